import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TimerFreeRateLimiter } from '../../server/store/memory/limiter';

function fakeClock(start = 1_000_000) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

async function rejection(p: Promise<unknown>): Promise<RateLimiterRes> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof RateLimiterRes)) throw new Error(`expected a RateLimiterRes rejection, got ${String(err)}`);
  return err;
}

describe('TimerFreeRateLimiter', () => {
  it('counts points per key within the window and starts a new window after it', async () => {
    const clock = fakeClock();
    const limiter = new TimerFreeRateLimiter({ keyPrefix: 't', points: 2, duration: 10 }, clock.read);
    expect((await limiter.consume('a')).remainingPoints).toBe(1);
    expect((await limiter.consume('a')).remainingPoints).toBe(0);
    await limiter.consume('b'); // another key has its own count
    clock.now += 4_000;
    const refused = await rejection(limiter.consume('a'));
    expect(refused.consumedPoints).toBe(3);
    expect(refused.msBeforeNext).toBe(6_000);
    clock.now += 6_000; // the window is over
    const fresh = await limiter.consume('a');
    expect(fresh.consumedPoints).toBe(1);
    expect(fresh.isFirstInDuration).toBe(true);
  });

  it('blocks for blockDuration once the points are spent', async () => {
    const clock = fakeClock();
    const limiter = new TimerFreeRateLimiter({ keyPrefix: 'b', points: 1, duration: 1, blockDuration: 60 }, clock.read);
    await limiter.consume('k');
    expect((await rejection(limiter.consume('k'))).msBeforeNext).toBe(60_000);
    clock.now += 30_000; // the 1 s window is long over, the block is not
    await rejection(limiter.consume('k'));
    clock.now += 30_000;
    await expect(limiter.consume('k')).resolves.toBeInstanceOf(RateLimiterRes);
  });

  it('arms no timer per key, where the library limiter arms one each', async () => {
    const timers = jest.spyOn(global, 'setTimeout');
    try {
      const ours = new TimerFreeRateLimiter({ keyPrefix: 'n', points: 5, duration: 10 });
      for (let i = 0; i < 200; i++) await ours.consume(`key-${i}`);
      expect(timers).not.toHaveBeenCalled();

      const library = new RateLimiterMemory({ keyPrefix: 'l', points: 5, duration: 10 });
      for (let i = 0; i < 200; i++) await library.consume(`key-${i}`);
      expect(timers).toHaveBeenCalledTimes(200);
      for (let i = 0; i < 200; i++) await library.delete(`key-${i}`);
    } finally {
      timers.mockRestore();
    }
  });

  it('forgets expired keys in a pass during a later write, and treats them as absent meanwhile', async () => {
    const clock = fakeClock();
    const limiter = new TimerFreeRateLimiter({ keyPrefix: 's', points: 5, duration: 1 }, clock.read);
    for (let i = 0; i < 100; i++) await limiter.consume(`key-${i}`);
    clock.now += 2_000;
    expect(await limiter.get('key-1')).toBeNull();
    await limiter.consume('key-1'); // within the sweep interval: nothing is swept yet
    expect(limiter.keyCount).toBe(100);
    clock.now += 10_000;
    await limiter.consume('late'); // a new key's write sweeps
    expect(limiter.keyCount).toBe(1);
  });

  it('answers get, penalty, reward and delete through its public methods', async () => {
    const clock = fakeClock();
    const limiter = new TimerFreeRateLimiter({ keyPrefix: 'p', points: 3, duration: 10 }, clock.read);
    expect(await limiter.get('k')).toBeNull();
    await limiter.penalty('k', 2);
    expect((await limiter.get('k'))?.consumedPoints).toBe(2);
    await limiter.reward('k', 1);
    expect((await limiter.get('k'))?.remainingPoints).toBe(2);
    expect(await limiter.delete('k')).toBe(true);
    expect(await limiter.delete('k')).toBe(false);
    expect(await limiter.get('k')).toBeNull();
  });

  it('dumps and restores its live keys only', async () => {
    const clock = fakeClock(Date.now());
    const limiter = new TimerFreeRateLimiter({ keyPrefix: 'd', points: 3, duration: 10 }, clock.read);
    await limiter.consume('a', 2);
    const copy = new TimerFreeRateLimiter({ keyPrefix: 'd', points: 3, duration: 10 }, clock.read);
    const restored = copy.restore(limiter.dump());
    expect(restored).toEqual({ invalid: 0, expired: 0, restored: 1 });
    expect((await copy.get('a'))?.consumedPoints).toBe(2);
    await rejection(copy.consume('a', 2));
  });

  it('take() counts like consume(), on the same key and window, at once', async () => {
    const clock = fakeClock();
    const limiter = new TimerFreeRateLimiter({ keyPrefix: 'k', points: 3, duration: 10 }, clock.read);
    expect(limiter.take('a')).toBe(0);
    await limiter.consume('a'); // the same count: two points of three
    clock.now += 2_500;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(7_500); // the fourth point: refused until the window ends
    await rejection(limiter.consume('a'));
    expect(limiter.take('b')).toBe(0); // another key has its own count
    clock.now += 7_500;
    expect(limiter.take('a')).toBe(0); // a new window
    expect((await limiter.get('a'))?.consumedPoints).toBe(1);
  });

  it('take() refuses a limiter whose blockDuration or execEvenly only consume() applies', () => {
    expect(() => new TimerFreeRateLimiter({ points: 1, duration: 1, blockDuration: 5 }).take('x')).toThrow(/consume/);
    expect(() => new TimerFreeRateLimiter({ points: 1, duration: 1, execEvenly: true }).take('x')).toThrow(/consume/);
  });
});
