/** Socket.IO acknowledgements as promises: a timeout or a lost connection becomes an `unavailable` reply. */
import type { Reply } from '../../shared/errors';

export const ACK_TIMEOUT_MS = 8000;

export async function ask<T extends object>(send: () => Promise<Reply<T>>): Promise<Reply<T>> {
  try {
    return await send();
  } catch {
    return { ok: false, error: { code: 'unavailable', message: 'No answer from the server.' } };
  }
}
