/**
 * Work deferred to the end of the current turn of the event loop: one `setImmediate` runs, once
 * the turn's I/O callbacks are done, first what was batched during the turn (`flush`: the
 * messages' script call) and then the release of the corked Redis connections (`release`), so
 * everything the turn asked of Redis leaves in one system call per connection, with no extra turn.
 */
type Stage = 'flush' | 'release';

const queues: Record<Stage, Array<() => void>> = { flush: [], release: [] };
let scheduled = false;

function runQueue(queue: Array<() => void>, errors: unknown[]): void {
  // Indexing, not iterating a copy: a flush that writes registers a release meanwhile.
  for (let i = 0; i < queue.length; i++) {
    try {
      queue[i]();
    } catch (err) {
      errors.push(err);
    }
  }
  queue.length = 0;
}

function runTurnEnd(): void {
  const errors: unknown[] = [];
  // What the callbacks register meanwhile runs in this pass too, flushes always before releases.
  while (queues.flush.length > 0 || queues.release.length > 0) {
    runQueue(queues.flush, errors);
    runQueue(queues.release, errors);
  }
  scheduled = false;
  // Every connection is released before a failing callback's error surfaces.
  if (errors.length > 0) throw errors[0];
}

/** Runs `fn` at the end of this turn: every `flush` before any `release`. */
export function atTurnEnd(stage: Stage, fn: () => void): void {
  queues[stage].push(fn);
  if (!scheduled) {
    scheduled = true;
    setImmediate(runTurnEnd);
  }
}
