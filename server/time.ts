/** Time helpers shared by the domain and both stores: epoch milliseconds in, wire formats out. */

/** Epoch milliseconds as an ISO-8601 UTC string (every time on the wire). */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Whole seconds between two instants, never negative (every duration on the wire). */
export const secondsBetween = (from: number, to: number): number => Math.max(0, Math.floor((to - from) / 1000));
