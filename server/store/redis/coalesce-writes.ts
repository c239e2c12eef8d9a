/**
 * One socket write per event-loop turn for an ioredis connection. ioredis writes every command on
 * its own, and on a busy node each write is a system call that costs more than the JavaScript
 * around it (docs/benchmarks.md). Here the connection's socket is corked at the first write of a
 * turn and uncorked once the turn's I/O callbacks have run (`atTurnEnd`, after the turn's batched
 * messages are handed over), so all the commands issued meanwhile leave in one `writev`. Commands
 * keep their order, their own replies and their own errors; node-redis does the same on every
 * connection (cork, then uncork on the next tick).
 *
 * ioredis's own auto-pipelining would also batch, but it builds a Pipeline object (copying every
 * defined script onto it) per batch, which cost more than it saved at the batch sizes measured.
 */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { atTurnEnd } from './turn-end';

const PATCHED = Symbol('coalescedWrites');

type Patchable = Socket & { [PATCHED]?: true };

function corkPerTurn(stream: Patchable): void {
  if (stream[PATCHED]) return;
  stream[PATCHED] = true;
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let corked = false;
  const release = () => {
    corked = false;
    stream.uncork();
  };
  stream.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      stream.cork();
      atTurnEnd('release', release);
    }
    return write(...args);
  }) as Socket['write'];
}

/** Applies to the client's current connection and to each one it opens when it reconnects. */
export function coalesceWrites(client: Redis): void {
  const apply = () => {
    if (client.stream) corkPerTurn(client.stream as Patchable);
  };
  client.on('connect', apply);
  apply();
}
