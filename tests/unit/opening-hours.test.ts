import { OpeningHoursError, parseOpeningHours } from '../../server/domain/opening-hours';

const BXL = 'Europe/Brussels';
const at = (iso: string) => Date.parse(iso);

describe('parseOpeningHours', () => {
  it('is always open when unset or blank, with no next opening', () => {
    for (const spec of [undefined, '', '   ']) {
      const hours = parseOpeningHours(spec, BXL);
      expect(hours.alwaysOpen).toBe(true);
      expect(hours.isOpen(at('2025-01-01T03:00:00Z'))).toBe(true);
      expect(hours.nextOpenAt(at('2025-01-01T03:00:00Z'))).toBeUndefined();
    }
  });

  it('reads day ranges, day lists and several intervals per day', () => {
    const hours = parseOpeningHours('mon-fri 10:00-12:00,14:00-22:00; sat,sun 14:00-20:00', 'UTC');
    // 2025-06-02 is a Monday.
    expect(hours.isOpen(at('2025-06-02T09:59:00Z'))).toBe(false);
    expect(hours.isOpen(at('2025-06-02T10:00:00Z'))).toBe(true);
    expect(hours.isOpen(at('2025-06-02T12:00:00Z'))).toBe(false);
    expect(hours.isOpen(at('2025-06-02T21:59:00Z'))).toBe(true);
    expect(hours.isOpen(at('2025-06-07T13:00:00Z'))).toBe(false);
    expect(hours.isOpen(at('2025-06-08T19:30:00Z'))).toBe(true);
  });

  it('accepts 24:00 as an end, upper case, spaces around separators and wrapping ranges', () => {
    const hours = parseOpeningHours('FRI - MON 20:00 - 24:00', 'UTC');
    expect(hours.isOpen(at('2025-06-08T23:59:00Z'))).toBe(true); // Sunday
    expect(hours.isOpen(at('2025-06-02T20:30:00Z'))).toBe(true); // Monday
    expect(hours.isOpen(at('2025-06-03T20:30:00Z'))).toBe(false); // Tuesday
  });

  it('merges overlapping rules for the same day', () => {
    const hours = parseOpeningHours('mon 10:00-14:00; mon 12:00-16:00', 'UTC');
    expect(hours.isOpen(at('2025-06-02T15:00:00Z'))).toBe(true);
    expect(hours.nextOpenAt(at('2025-06-02T16:00:00Z'))).toBe('2025-06-09T10:00:00.000Z');
  });

  it.each([
    ['mon', 'days then hours'],
    ['funday 10:00-12:00', '"funday" is not a day'],
    ['mon 10-12', 'not a time range'],
    ['mon 22:00-02:00', 'ends before it starts'],
    ['mon 10:00-25:00', 'not a valid time'],
    ['mon 24:00-24:00', 'not a valid time'],
    ['mon 10:61-12:00', 'not a valid time'],
    ['mon-tue-wed 10:00-12:00', 'not a day or a day range'],
    [';', 'no rule'],
  ])('refuses %p with a clear message', (spec, message) => {
    expect(() => parseOpeningHours(spec, BXL)).toThrow(OpeningHoursError);
    expect(() => parseOpeningHours(spec, BXL)).toThrow(message);
  });

  it('refuses an unknown time zone', () => {
    expect(() => parseOpeningHours('mon 10:00-12:00', 'Mars/Olympus')).toThrow('TIMEZONE "Mars/Olympus" is not a known IANA time zone');
  });
});

describe('nextOpenAt', () => {
  const hours = parseOpeningHours('mon-fri 10:00-22:00; sat,sun 14:00-20:00', BXL);

  it('is now while open', () => {
    expect(hours.nextOpenAt(at('2025-06-02T10:00:00Z'))).toBe('2025-06-02T10:00:00.000Z');
  });

  it('is later today, tomorrow or after the weekend', () => {
    // Brussels is UTC+2 in June: 10:00 local is 08:00Z.
    expect(hours.nextOpenAt(at('2025-06-02T05:00:00Z'))).toBe('2025-06-02T08:00:00.000Z');
    expect(hours.nextOpenAt(at('2025-06-02T20:30:00Z'))).toBe('2025-06-03T08:00:00.000Z');
    expect(hours.nextOpenAt(at('2025-06-06T21:00:00Z'))).toBe('2025-06-07T12:00:00.000Z');
  });

  it('finds an opening a week away', () => {
    const weekly = parseOpeningHours('wed 18:00-19:00', BXL);
    expect(weekly.nextOpenAt(at('2025-06-04T17:00:00Z'))).toBe('2025-06-11T16:00:00.000Z');
  });
});

describe('daylight saving time in Europe/Brussels', () => {
  const daily = parseOpeningHours('mon-sun 10:00-22:00', BXL);

  it('keeps local hours when clocks go forward (30 March 2025)', () => {
    expect(daily.isOpen(at('2025-03-29T09:30:00Z'))).toBe(true); // 10:30 CET
    expect(daily.isOpen(at('2025-03-30T08:30:00Z'))).toBe(true); // 10:30 CEST
    expect(daily.isOpen(at('2025-03-30T07:30:00Z'))).toBe(false); // 09:30 CEST
    expect(daily.nextOpenAt(at('2025-03-29T22:00:00Z'))).toBe('2025-03-30T08:00:00.000Z');
    expect(daily.isOpen(at('2025-03-30T19:59:00Z'))).toBe(true); // 21:59 CEST
    expect(daily.isOpen(at('2025-03-30T20:00:00Z'))).toBe(false); // 22:00 CEST
  });

  it('keeps local hours when clocks go back (26 October 2025)', () => {
    expect(daily.nextOpenAt(at('2025-10-25T21:00:00Z'))).toBe('2025-10-26T09:00:00.000Z');
    expect(daily.isOpen(at('2025-10-26T08:59:00Z'))).toBe(false); // 09:59 CET
    expect(daily.isOpen(at('2025-10-26T09:00:00Z'))).toBe(true); // 10:00 CET
  });

  it('shortens an interval that spans the skipped hour, and opens at its end when the start is skipped', () => {
    const night = parseOpeningHours('sun 01:00-04:00', BXL);
    expect(night.isOpen(at('2025-03-30T00:30:00Z'))).toBe(true); // 01:30 CET
    expect(night.isOpen(at('2025-03-30T01:30:00Z'))).toBe(true); // 03:30 CEST
    expect(night.isOpen(at('2025-03-30T02:00:00Z'))).toBe(false); // 04:00 CEST

    const skipped = parseOpeningHours('sun 02:30-05:00', BXL);
    expect(skipped.nextOpenAt(at('2025-03-29T23:00:00Z'))).toBe('2025-03-30T01:00:00.000Z'); // 03:00 CEST
    expect(skipped.isOpen(at('2025-03-30T01:00:00Z'))).toBe(true);
    expect(skipped.isOpen(at('2025-03-30T00:59:00Z'))).toBe(false); // 01:59 CET
  });

  it('lengthens an interval that spans the repeated hour', () => {
    const night = parseOpeningHours('sun 01:00-04:00', BXL);
    expect(night.nextOpenAt(at('2025-10-25T22:00:00Z'))).toBe('2025-10-25T23:00:00.000Z'); // 01:00 CEST
    expect(night.isOpen(at('2025-10-26T01:30:00Z'))).toBe(true); // 02:30 CET, the second time
    expect(night.isOpen(at('2025-10-26T02:59:00Z'))).toBe(true); // 03:59 CET
    expect(night.isOpen(at('2025-10-26T03:00:00Z'))).toBe(false); // 04:00 CET
  });
});
