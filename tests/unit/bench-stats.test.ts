/** The benchmark's test for a growing backlog: a real overload, not a stall at a window's end. */
import { backlogGrows } from '../../scripts/bench/stats';

describe('backlogGrows', () => {
  const rate = 10_000;

  it('flags a backlog that keeps growing (a server below the offered rate)', () => {
    // 10% short of the rate over an 8 s window sampled every 250 ms: 250 more in flight a sample.
    const backlog = Array.from({ length: 32 }, (_, i) => 20 + 250 * i);
    expect(backlogGrows(backlog, rate)).toBe(true);
  });

  it('does not flag a stall shorter than the p99 limit at the end of a short window', () => {
    // Quick mode: 8 samples; the last two meet a 20 ms stall (200 messages in flight).
    expect(backlogGrows([20, 25, 18, 22, 30, 21, 200, 210], rate)).toBe(false);
  });

  it('does not flag a steady backlog, however large', () => {
    expect(backlogGrows(Array.from({ length: 32 }, () => 900), rate)).toBe(false);
  });
});
