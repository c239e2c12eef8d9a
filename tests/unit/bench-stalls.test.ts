import { probeStalls, stallLine } from '../../scripts/bench/stalls';
import { stallFloor } from '../../scripts/bench/stats';

/** The share of a window that steadily arriving messages spend waiting longer than `latency`. */
function shareOver(gaps: number[], windowMs: number, latency: number): number {
  return gaps.reduce((sum, g) => sum + Math.max(0, g - latency), 0) / windowMs;
}

describe('stall floor', () => {
  it('is 0 without gaps, or when all of them together stay under the fraction', () => {
    expect(stallFloor([], 1_000, 0.01)).toBe(0);
    expect(stallFloor([5, 3], 1_000, 0.01)).toBe(0);
  });

  it('is the latency that the given share of the window waits beyond', () => {
    // One 30 ms gap in a second: arrivals in its first 10 ms wait over 20 ms, 1% of the second.
    expect(stallFloor([30], 1_000, 0.01)).toBeCloseTo(20, 9);
    expect(stallFloor([25, 30], 1_000, 0.01)).toBeCloseTo(22.5, 9);
    expect(stallFloor([30, 25], 1_000, 0.01)).toBeCloseTo(22.5, 9);
    // A short gap below the floor adds nothing.
    expect(stallFloor([30, 1, 2], 1_000, 0.01)).toBeCloseTo(20, 9);
  });

  it('agrees with the definition on many gaps', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 50; run += 1) {
      const gaps = Array.from({ length: 1 + Math.floor(random() * 200) }, () => random() ** 3 * 60);
      const windowMs = 2_000 + random() * 20_000;
      const floor = stallFloor(gaps, windowMs, 0.01);
      if (floor > 0) expect(shareOver(gaps, windowMs, floor)).toBeCloseTo(0.01, 9);
      else expect(shareOver(gaps, windowMs, 0)).toBeLessThanOrEqual(0.01);
    }
  });
});

describe('stall probe', () => {
  it('records only gaps over its threshold and a steal share within the machine', async () => {
    const probe = await probeStalls(0.2, 0.05, 0);
    expect(probe.gapsMs.every((g) => g > 0.05)).toBe(true);
    expect(probe.stealPct).toBeGreaterThanOrEqual(0);
    expect(probe.stealPct).toBeLessThanOrEqual(100);
    expect(stallLine(probe)).toMatch(/floor of p99 [\d.]+ ms, of p99\.9 [\d.]+ ms$/);
  });
});
