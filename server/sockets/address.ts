/** The client's address for rate limiting, hashed at once: the raw address is never kept. */
import type { Socket } from 'socket.io';
import { addressKey } from '../http/rate-limits';

/** The keyed hash of the socket's address; behind `trustProxy` proxies, of the forwarded one. */
export function socketAddressKey(socket: Socket, trustProxy: number): string {
  let address = socket.handshake.address;
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  if (trustProxy > 0 && typeof forwarded === 'string') {
    const hops = forwarded.split(',').map((s) => s.trim());
    address = hops[Math.max(0, hops.length - trustProxy)] ?? address;
  }
  return addressKey(address);
}
