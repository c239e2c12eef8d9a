import { createHook } from 'node:async_hooks';

/**
 * How many timers that `work` armed, of `minMs` or longer, still hold the process open 100 ms after
 * it settled. A stray one keeps a server that is shutting down, or a jest worker, alive until it
 * fires. A rejection of `work` is the caller's: assertions inside it fail the test as usual.
 */
export async function timersLeftBy(work: () => Promise<unknown>, minMs = 0): Promise<number> {
  const pending = new Map<number, NodeJS.Timeout>();
  let recording = true;
  const hook = createHook({
    init: (id, type, _trigger, resource) => {
      if (recording && type === 'Timeout') pending.set(id, resource as NodeJS.Timeout);
    },
    destroy: (id) => void pending.delete(id),
  }).enable();
  try {
    await work();
    recording = false;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const duration = (t: NodeJS.Timeout) => (t as unknown as { _idleTimeout: number })._idleTimeout;
    return [...pending.values()].filter((t) => t.hasRef() && duration(t) >= minMs).length;
  } finally {
    hook.disable();
  }
}
