/** Time helpers shared by the domain and both stores: epoch milliseconds in, wire formats out. */

/** The largest distance from the epoch a Date can hold. */
const MAX_DATE_MS = 8.64e15;

let lastMs = Number.NaN;
let lastIso = '';
let secondStart = Number.NaN;
/** The formatted string of `secondStart` up to its milliseconds: "2026-11-30T09:15:42." */
let secondPrefix = '';

/**
 * Epoch milliseconds as an ISO-8601 UTC string (every time on the wire). Every message carries its
 * time and `Date#toISOString` costs about as much as the rest of a store append, so a busy node
 * formats a second once and adds the milliseconds to it; the last string is kept as well.
 */
export function iso(ms: number): string {
  if (ms === lastMs) return lastIso;
  // Fractions (formatted as their whole ms) and times outside Date's range (thrown) bypass the cache.
  if (!Number.isInteger(ms) || Math.abs(ms) > MAX_DATE_MS) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000) * 1000;
  if (second !== secondStart) {
    secondPrefix = new Date(second).toISOString().slice(0, -4);
    secondStart = second;
  }
  const milli = ms - second;
  lastMs = ms;
  lastIso = `${secondPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  return lastIso;
}

/** Whole seconds between two instants, never negative (every duration on the wire). */
export const secondsBetween = (from: number, to: number): number => Math.max(0, Math.floor((to - from) / 1000));
