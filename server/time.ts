/** Time helpers shared by the domain and both stores: epoch milliseconds in, wire formats out. */

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
  const second = Math.floor(ms / 1000) * 1000;
  if (second !== secondStart || !Number.isInteger(ms)) {
    const full = new Date(ms).toISOString();
    // A fractional ms formats as its whole ms; leave it out of the cache.
    if (!Number.isInteger(ms)) return full;
    secondStart = second;
    secondPrefix = full.slice(0, -4);
    lastMs = ms;
    lastIso = full;
    return full;
  }
  const milli = ms - second;
  lastMs = ms;
  lastIso = `${secondPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  return lastIso;
}

/** Whole seconds between two instants, never negative (every duration on the wire). */
export const secondsBetween = (from: number, to: number): number => Math.max(0, Math.floor((to - from) / 1000));
