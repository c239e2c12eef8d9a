/** Store contract: the history samples behind the dashboard's charts. */
import type { StatsSample, Store } from '../../../server/store/types';
import type { FixtureAccessor } from './helpers';

const MINUTE = 60_000;

/** A sample at `at` whose figures all differ, so a mixed-up field shows. */
function sampleAt(at: number, waiting = 3): StatsSample {
  return { at, waiting, urgent: 1, oldestWaitSeconds: 240, medianWaitSeconds15m: 95, active: 4, available: 2 };
}

export function describeStatsSamples(fx: FixtureAccessor): void {
  let store: Store;
  let t0: number;

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  describe('stats samples', () => {
    test('a store without samples returns none', async () => {
      expect(await store.statsSamples(0)).toEqual([]);
    });

    test('samples come back whole and in time order, whatever order they were appended in', async () => {
      await store.appendStatsSample(sampleAt(t0 + MINUTE, 5), 3600);
      await store.appendStatsSample(sampleAt(t0, 4), 3600);
      await store.appendStatsSample(sampleAt(t0 + 2 * MINUTE, 6), 3600);
      expect(await store.statsSamples(0)).toEqual([sampleAt(t0, 4), sampleAt(t0 + MINUTE, 5), sampleAt(t0 + 2 * MINUTE, 6)]);
    });

    test('since keeps the samples taken at or after it', async () => {
      for (const minutes of [0, 1, 2, 3]) await store.appendStatsSample(sampleAt(t0 + minutes * MINUTE, minutes), 3600);
      expect((await store.statsSamples(t0 + 2 * MINUTE)).map((s) => s.waiting)).toEqual([2, 3]);
      expect((await store.statsSamples(t0 + 2 * MINUTE + 1)).map((s) => s.waiting)).toEqual([3]);
      expect(await store.statsSamples(t0 + 4 * MINUTE)).toEqual([]);
    });

    test('an append drops the samples older than keepSeconds before it', async () => {
      await store.appendStatsSample(sampleAt(t0, 0), 120);
      await store.appendStatsSample(sampleAt(t0 + MINUTE, 1), 120);
      await store.appendStatsSample(sampleAt(t0 + 2 * MINUTE, 2), 120);
      expect((await store.statsSamples(0)).map((s) => s.waiting)).toEqual([0, 1, 2]);
      await store.appendStatsSample(sampleAt(t0 + 2 * MINUTE + 30_000, 3), 120);
      expect((await store.statsSamples(0)).map((s) => s.waiting)).toEqual([1, 2, 3]);
    });

    test('returned samples are copies', async () => {
      await store.appendStatsSample(sampleAt(t0), 3600);
      const [first] = await store.statsSamples(0);
      first.waiting = 99;
      expect(await store.statsSamples(0)).toEqual([sampleAt(t0)]);
    });
  });
}
