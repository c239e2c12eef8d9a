/**
 * Opening hours such as `mon-fri 10:00-22:00; sat,sun 14:00-20:00`, read as wall-clock times in
 * one IANA zone, so daylight-saving changes move the UTC instants and not the local ones.
 */
import { DateTime } from 'luxon';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const MINUTES_PER_DAY = 24 * 60;
/** A week is enough to find the next opening of any weekly schedule (one more day for safety). */
const DAYS_TO_SEARCH = 8;

/** Minutes since local midnight: [start, end), end up to 24:00. */
interface Interval {
  start: number;
  end: number;
}

export interface OpeningHours {
  /** True when no hours are configured. */
  readonly alwaysOpen: boolean;
  /** Whether the service is open at this instant. */
  isOpen(nowMs: number): boolean;
  /** The first instant at or after now when it is open (ISO UTC); undefined when always open. */
  nextOpenAt(nowMs: number): string | undefined;
}

/** A message that names the faulty variable (OPENING_HOURS or TIMEZONE), for the config loader. */
export class OpeningHoursError extends Error {
  constructor(spec: string | null, detail: string) {
    super(spec === null ? detail : `OPENING_HOURS "${spec}": ${detail}. Expected e.g. "mon-fri 10:00-22:00; sat,sun 14:00-20:00".`);
    this.name = 'OpeningHoursError';
  }
}

/** Parses OPENING_HOURS in the zone TIMEZONE; unset or blank means always open. Throws OpeningHoursError. */
export function parseOpeningHours(spec: string | undefined, timezone: string): OpeningHours {
  if (!DateTime.now().setZone(timezone).isValid) {
    throw new OpeningHoursError(null, `TIMEZONE "${timezone}" is not a known IANA time zone`);
  }
  if (spec === undefined || spec.trim() === '') return alwaysOpen();
  const week = parseWeek(spec);
  return {
    alwaysOpen: false,
    isOpen: (nowMs) => openAt(week, DateTime.fromMillis(nowMs, { zone: timezone })),
    nextOpenAt: (nowMs) => nextOpening(week, nowMs, timezone),
  };
}

function alwaysOpen(): OpeningHours {
  return { alwaysOpen: true, isOpen: () => true, nextOpenAt: () => undefined };
}

/** Index 0 is Monday (luxon weekday 1). */
function parseWeek(spec: string): Interval[][] {
  const week: Interval[][] = DAYS.map(() => []);
  const rules = spec.split(';').map((r) => r.trim()).filter(Boolean);
  if (rules.length === 0) throw new OpeningHoursError(spec, 'no rule found');
  for (const rule of rules) {
    const match = /^(\S+)\s+(\S+)$/.exec(rule.replace(/\s*([,-])\s*/g, '$1'));
    if (!match) throw new OpeningHoursError(spec, `"${rule}" should be days then hours`);
    const intervals = match[2].split(',').map((part) => parseInterval(spec, part));
    for (const day of parseDays(spec, match[1])) week[day].push(...intervals);
  }
  return week.map(mergeIntervals);
}

function parseDays(spec: string, text: string): number[] {
  const days = new Set<number>();
  for (const item of text.toLowerCase().split(',')) {
    const [from, to, extra] = item.split('-');
    if (extra !== undefined) throw new OpeningHoursError(spec, `"${item}" is not a day or a day range`);
    const first = dayIndex(spec, from);
    const last = to === undefined ? first : dayIndex(spec, to);
    // A range may wrap around the week end, e.g. `fri-mon`.
    for (let d = first; ; d = (d + 1) % DAYS.length) {
      days.add(d);
      if (d === last) break;
    }
  }
  return [...days];
}

function dayIndex(spec: string, name: string): number {
  const index = DAYS.indexOf(name as (typeof DAYS)[number]);
  if (index < 0) throw new OpeningHoursError(spec, `"${name}" is not a day (use ${DAYS.join(', ')})`);
  return index;
}

function parseInterval(spec: string, text: string): Interval {
  const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new OpeningHoursError(spec, `"${text}" is not a time range like 10:00-22:00`);
  const start = toMinutes(spec, match[1], match[2], false);
  const end = toMinutes(spec, match[3], match[4], true);
  if (end <= start) {
    throw new OpeningHoursError(spec, `"${text}" ends before it starts (split a night across two days: mon 22:00-24:00; tue 00:00-02:00)`);
  }
  return { start, end };
}

function toMinutes(spec: string, hours: string, minutes: string, isEnd: boolean): number {
  const h = Number(hours);
  const m = Number(minutes);
  const total = h * 60 + m;
  if (m > 59 || total > MINUTES_PER_DAY || (!isEnd && total === MINUTES_PER_DAY)) {
    throw new OpeningHoursError(spec, `"${hours}:${minutes}" is not a valid time`);
  }
  return total;
}

function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end) last.end = Math.max(last.end, next.end);
    else merged.push({ ...next });
  }
  return merged;
}

function openAt(week: Interval[][], local: DateTime): boolean {
  const minute = minuteOfDay(local);
  return week[local.weekday - 1].some((i) => minute >= i.start && minute < i.end);
}

function nextOpening(week: Interval[][], nowMs: number, timezone: string): string | undefined {
  const today = DateTime.fromMillis(nowMs, { zone: timezone }).startOf('day');
  for (let offset = 0; offset < DAYS_TO_SEARCH; offset += 1) {
    const day = today.plus({ days: offset });
    for (const interval of week[day.weekday - 1]) {
      const startMs = atMinute(day, interval.start);
      const endMs = atMinute(day, interval.end);
      if (endMs > nowMs) return new Date(Math.max(startMs, nowMs)).toISOString();
    }
  }
  return undefined;
}

/** The first instant of a day whose local time is at or past `minutes` (a time skipped by DST opens at the gap's end). */
function atMinute(day: DateTime, minutes: number): number {
  if (minutes >= MINUTES_PER_DAY) return day.plus({ days: 1 }).toMillis();
  let at = day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
  // luxon moves a skipped time forward by the whole gap; step back to the first minute after the gap.
  for (let before = at.minus({ minutes: 1 }); before.day === at.day && minuteOfDay(before) >= minutes; before = before.minus({ minutes: 1 })) {
    at = before;
  }
  return at.toMillis();
}

function minuteOfDay(local: DateTime): number {
  return local.hour * 60 + local.minute;
}
