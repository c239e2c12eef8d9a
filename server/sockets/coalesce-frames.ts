/**
 * One socket write per burst of packets for each client connection. engine.io sends the first
 * packet of a burst at once and holds the rest until that write's callback, then hands them to
 * `ws`, which writes every frame with its own system call: the five frames of a pairing (the
 * `chat:start` answer and `session`, then `chat:assigned` and `session`, and the listener's
 * `chat:assigned`) cost eight to twelve writes, and on a machine with slow system calls each costs
 * more than the JavaScript around it (docs/benchmarks.md).
 *
 * Here a connection's flush waits for `process.nextTick`, so every packet sent to that client
 * meanwhile goes to the transport together, and over WebSocket the TCP socket is corked around it,
 * so the frames leave in one `writev`. Our handlers send from promise reactions (after an `await`),
 * and a tick queued from one runs only once the reactions queued meanwhile have run too: a
 * handler's answer and the pushes that go with it leave together. Waiting for the end of the whole
 * event-loop turn instead (as the Redis connections do, `atTurnEnd`) batched no more frames a
 * pairing and held every message behind the turn's other reads: 0.3 ms more at the median at
 * 6,000 messages a second. Order, acknowledgements and the closing handshake are engine.io's own:
 * only the moment of its flush moves.
 *
 * engine.io has no option for this; it reaches two internals, `Socket#flush` (engine.io 6) and the
 * `ws` socket's `_socket`, and tests/unit/coalesce-frames.test.ts fails if either moves.
 */
import type { Socket as NetSocket } from 'node:net';
import type { Socket } from 'socket.io';

/** engine.io's connection under a Socket.IO client. */
type EngineSocket = Socket['conn'];

interface EngineInternals {
  flush(): void;
  transport: { name: string; socket?: { _socket?: NetSocket } };
}

/** The TCP socket under a WebSocket transport; none under HTTP long-polling. */
function tcpSocket(transport: EngineInternals['transport']): NetSocket | undefined {
  if (transport.name !== 'websocket') return undefined;
  const stream = transport.socket?._socket;
  return typeof stream?.cork === 'function' ? stream : undefined;
}

export function coalesceFrames(conn: EngineSocket): void {
  const internals = conn as unknown as EngineInternals;
  const flushNow = internals.flush.bind(conn);
  let pending = false;
  const release = () => {
    pending = false;
    const stream = tcpSocket(internals.transport);
    stream?.cork();
    try {
      flushNow();
    } finally {
      stream?.uncork();
    }
  };
  internals.flush = () => {
    if (pending) return;
    pending = true;
    process.nextTick(release);
  };
}
