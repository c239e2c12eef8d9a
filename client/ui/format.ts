/** Numbers, durations and times in the page's language, through Intl (plurals included). */
import type { Lang } from './i18n/index';

function unit(lang: Lang, value: number, name: 'second' | 'minute' | 'hour', display: 'long' | 'short'): string {
  return new Intl.NumberFormat(lang, { style: 'unit', unit: name, unitDisplay: display }).format(value);
}

/** "45 seconds", "5 minutes", "1 hour 5 minutes" (short: "5 min"). */
export function formatDuration(seconds: number, lang: Lang, display: 'long' | 'short' = 'long'): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return unit(lang, s, 'second', display);
  const minutes = Math.round(s / 60);
  if (minutes < 60) return unit(lang, minutes, 'minute', display);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? unit(lang, hours, 'hour', display) : `${unit(lang, hours, 'hour', display)} ${unit(lang, rest, 'minute', display)}`;
}

/** Rounded up to whole minutes, for wait estimates that should not promise too much. */
export function formatMinutes(seconds: number, lang: Lang): string {
  return unit(lang, Math.max(1, Math.ceil(seconds / 60)), 'minute', 'long');
}

export function formatTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** A coming moment split for a sentence: which day (today, tomorrow, a weekday, a date) and the time. */
export interface When {
  day: 'today' | 'tomorrow' | 'weekday' | 'date';
  /** The weekday's name or the date, for `weekday` and `date`. */
  name: string;
  time: string;
}

export function splitWhen(iso: string, lang: Lang, now = new Date()): When | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(date);
  const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOf(date) - startOf(now)) / 86_400_000);
  if (days <= 0) return { day: 'today', name: '', time };
  if (days === 1) return { day: 'tomorrow', name: '', time };
  if (days < 7) return { day: 'weekday', name: new Intl.DateTimeFormat(lang, { weekday: 'long' }).format(date), time };
  return { day: 'date', name: new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long' }).format(date), time };
}

export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang).format(value);
}
