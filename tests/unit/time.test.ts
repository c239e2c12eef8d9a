import { iso } from '../../server/time';

describe('iso', () => {
  it('formats like Date#toISOString, within a second, across seconds and back again', () => {
    const start = Date.UTC(2026, 10, 30, 23, 59, 58, 990);
    // Forwards a millisecond at a time over three seconds and a day's end, then a step back.
    for (let ms = start; ms < start + 2_100; ms += 1) expect(iso(ms)).toBe(new Date(ms).toISOString());
    for (const ms of [start + 5, start, start + 1_000, start + 999]) expect(iso(ms)).toBe(new Date(ms).toISOString());
  });

  it('formats the edges: the epoch, before it, years past 9999, a fraction of a millisecond', () => {
    const cases = [0, 7, 999, 1_000, -1, -999, -1_000, -1_001, 8.64e15, 253_402_300_800_000 + 5, 1_700_000_000_123.7, 1_700_000_000_123];
    for (const ms of cases) expect(iso(ms)).toBe(new Date(ms).toISOString());
  });

  it('refuses an invalid time as Date#toISOString does', () => {
    expect(() => iso(Number.NaN)).toThrow(RangeError);
    expect(() => iso(Infinity)).toThrow(RangeError);
    expect(() => iso(8.64e15 + 5)).toThrow(RangeError);
  });
});
