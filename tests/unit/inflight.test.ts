import { Inflight } from '../../server/sockets/handler';

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('Inflight', () => {
  it('drains at once when nothing is pending', async () => {
    await expect(new Inflight().drain()).resolves.toBeUndefined();
  });

  it('waits for tracked promises, fulfilled or rejected, and for begun work until it ends', async () => {
    const inflight = new Inflight();
    const a = deferred();
    const b = deferred();
    inflight.track(a.promise);
    inflight.track(b.promise).catch(() => undefined);
    inflight.begin();
    let drained = false;
    const drain = inflight.drain().then(() => (drained = true));
    a.resolve();
    await settle();
    expect(drained).toBe(false);
    b.reject(new Error('failed'));
    await settle();
    expect(drained).toBe(false);
    inflight.end();
    await drain;
    expect(drained).toBe(true);
  });

  it('keeps waiting for work that starts while it drains', async () => {
    const inflight = new Inflight();
    const first = deferred();
    const second = deferred();
    inflight.track(first.promise);
    let drained = false;
    const drain = inflight.drain().then(() => (drained = true));
    inflight.track(second.promise); // started before the first settles: still pending at that moment
    first.resolve();
    await settle();
    expect(drained).toBe(false);
    second.resolve();
    await drain;
    expect(drained).toBe(true);
  });
});
