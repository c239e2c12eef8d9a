import { FULL, QUICK, rttScenario, searchMax, withPairSeconds, type Sizes } from '../../scripts/bench/scenarios';
import type { Session, TrafficFigures } from '../../scripts/bench/session';
import { trafficWindow } from '../support/bench-windows';

/** A session whose traffic windows are, in order, `windows` (each checked against the rate asked). */
function scripted(windows: TrafficFigures[]): { session: Session; asked: Array<[number, number, number]> } {
  const asked: Array<[number, number, number]> = [];
  const queue = [...windows];
  const traffic = async (rate: number, windowMs: number, drainMs: number): Promise<TrafficFigures> => {
    asked.push([rate, windowMs, drainMs]);
    const next = queue.shift();
    if (!next) throw new Error(`no window scripted for ${rate}/s`);
    if (next.rate !== rate) throw new Error(`scripted ${next.rate}/s, asked ${rate}/s`);
    return next;
  };
  return { session: { traffic } as unknown as Session, asked };
}

const saturated = (rate: number) => trafficWindow(rate, 40, { genBound: true, latency: { n: rate, p50: 9, p99: 80, max: 90 } });
const slow = (rate: number) => trafficWindow(rate, 90, { latency: { n: rate, p50: 3, p99: 70, max: 95 } });

describe('round trips at fixed rates', () => {
  it('runs a window whose generator saturated again, once, and counts the second', async () => {
    const second = trafficWindow(2000, 50, { latency: { n: 2000, p50: 2, p99: 12, max: 20 } });
    const { session, asked } = scripted([trafficWindow(1000), saturated(2000), second]);
    const logged: TrafficFigures[] = [];
    const out = await rttScenario(session, [1000, 2000], 3000, 500, (t) => logged.push(t));
    expect(out).toEqual([trafficWindow(1000), second]);
    expect(asked).toEqual([[1000, 3000, 500], [2000, 3000, 500], [2000, 3000, 500]]);
    expect(logged.map((t) => t.genBound)).toEqual([false, true, false]);
  });

  it('keeps a window saturated twice, and does not repeat a slow one: its tail is the figure', async () => {
    const { session, asked } = scripted([saturated(1000), saturated(1000), slow(2000)]);
    const out = await rttScenario(session, [1000, 2000], 3000, 500);
    expect(out.map((t) => [t.rate, t.genBound, t.latency.p99])).toEqual([[1000, true, 80], [2000, false, 70]]);
    expect(asked).toHaveLength(3);
  });
});

describe('the maximum-rate search', () => {
  const sizes: Sizes = { ...QUICK, search: { start: 1000, factor: 2, windowMs: 2000, maxSteps: 3, refineSteps: 0 } };

  it('gives a failing step a second window, and stops at the first step that fails twice', async () => {
    const { session, asked } = scripted([trafficWindow(1000), slow(2000), trafficWindow(2000), slow(4000), slow(4000)]);
    const result = await searchMax(session, sizes, () => undefined);
    expect(result.max).toBe(2000);
    expect(result.genBound).toBe(false);
    expect(asked.map(([rate]) => rate)).toEqual([1000, 2000, 2000, 4000, 4000]);
    expect(result.steps.map((t) => t.latency.p99)).toEqual([5, 5, 70]);
  });

  it('stops on a generator saturated twice, with the last pass as a lower bound', async () => {
    const { session } = scripted([trafficWindow(1000), saturated(2000), saturated(2000)]);
    const result = await searchMax(session, sizes, () => undefined);
    expect(result).toMatchObject({ max: 1000, genBound: true });
  });
});

describe('longer pairing windows (--pair-seconds)', () => {
  it('adds listeners so that every chat of the longest window has room, and never takes any away', () => {
    expect(withPairSeconds(FULL, 6)).toMatchObject({ pairSeconds: 6, listenersPerGen: 300 });
    expect(withPairSeconds({ ...FULL, generators: 2 }, 6)).toMatchObject({ pairSeconds: 6, listenersPerGen: 150 });
    expect(withPairSeconds(FULL, 1)).toMatchObject({ pairSeconds: 1, listenersPerGen: FULL.listenersPerGen });
    expect(withPairSeconds(FULL, 6).pairRates).toEqual(FULL.pairRates);
  });
});
