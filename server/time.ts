/** Time helpers shared by the domain and both stores: epoch milliseconds in, wire formats out. */

let lastMs = Number.NaN;
let lastIso = '';

/**
 * Epoch milliseconds as an ISO-8601 UTC string (every time on the wire). Busy nodes format the
 * same millisecond several times over (every message carries its time), so the last one is kept.
 */
export function iso(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

/** Whole seconds between two instants, never negative (every duration on the wire). */
export const secondsBetween = (from: number, to: number): number => Math.max(0, Math.floor((to - from) / 1000));
