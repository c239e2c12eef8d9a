/** Small statistics for the harness: latency summaries, slopes, medians, backlog trends. */
import { createHistogram } from 'node:perf_hooks';

export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

/** Merges per-generator samples (microseconds) into one summary in milliseconds. */
export function summarize(parts: Uint32Array[]): LatencySummary {
  const h = createHistogram();
  let n = 0;
  for (const part of parts) {
    for (const us of part) h.record(Math.max(1, us));
    n += part.length;
  }
  if (n === 0) return { n: 0, p50: 0, p99: 0, max: 0 };
  return { n, p50: h.percentile(50) / 1000, p99: h.percentile(99) / 1000, max: h.max / 1000 };
}

/** Least-squares slope of y over x. */
export function slope(points: Array<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Adds per-generator backlog series element by element (they sample on the same period). */
export function sumSeries(series: number[][]): number[] {
  const len = Math.min(...series.map((s) => s.length));
  return Array.from({ length: Number.isFinite(len) ? len : 0 }, (_, i) => series.reduce((a, s) => a + s[i], 0));
}

/**
 * A backlog grows when its last quarter averages twice its first and more than 50 ms of load (the
 * p99 limit): a smaller one is a short stall the latency figures already count. (With 10 ms, one
 * 2 s quick-mode window whose last samples met a stall stopped a search at p99 13.5 ms.)
 */
export function backlogGrows(backlog: number[], ratePerSec: number): boolean {
  const q = Math.floor(backlog.length / 4);
  if (q < 1) return false;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(backlog.slice(0, q));
  const last = mean(backlog.slice(-q));
  return last > 2 * first && last > ratePerSec * 0.05;
}

export function addCounts(target: Record<string, number>, more: Record<string, number>): Record<string, number> {
  for (const [k, v] of Object.entries(more)) target[k] = (target[k] ?? 0) + v;
  return target;
}

/**
 * The latency `fraction` of steadily arriving messages would exceed with these stalls alone (0 when
 * they are too few): a message arriving `t` into a stall of `g` waits `g - t`, so the share waiting
 * longer than L is Σ max(0, g - L) over the window.
 */
export function stallFloor(gapsMs: number[], windowMs: number, fraction: number): number {
  const target = fraction * windowMs;
  const gaps = [...gapsMs].sort((a, b) => b - a);
  let sum = 0;
  for (let k = 1; k <= gaps.length; k += 1) {
    sum += gaps[k - 1];
    // With the k longest gaps above it, the share over L is (sum - k·L) / window, for L between gap k + 1 and gap k.
    const floor = (sum - target) / k;
    const next = gaps[k] ?? 0;
    if (floor >= next) return Math.max(0, floor);
  }
  return 0;
}
