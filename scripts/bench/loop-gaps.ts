/**
 * Where a process's event loop stood still during a window: a 1 ms timer notes every tick that came
 * late (the loop was busy, collecting garbage, or the process was descheduled), and a `gc`
 * performance observer notes every garbage-collection pause by kind. The server (through its IPC
 * hook) and each load generator run one over a traffic window, so a round-trip tail can be laid
 * against the stalls of each process it passed through: a message that arrives during a stall
 * waits for it, so the stalls alone put a floor under the tail (`stallFloor`).
 */
import { constants, performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { stallFloor } from './stats';

/** The timer's period; a tick later than this by more than THRESHOLD_MS is a stall. */
const PERIOD_MS = 1;
const THRESHOLD_MS = 1;
/** Bounds the memory of a long window: 1 ms gaps every other tick of 100 s. */
const MAX_GAPS = 50_000;

export type GcKind = 'minor' | 'major' | 'incremental' | 'weak';

export interface GcPauses {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface LoopStalls {
  windowMs: number;
  /** Every stall over THRESHOLD_MS: how much later than its period the timer ran, in ms. */
  gapsMs: number[];
  /** When each of those ended, in ms from the start of the window (absent in older results). */
  gapsAtMs?: number[];
  /**
   * The process's CPU time (all its threads) during each of those stalls, in ms: about the stall's
   * length when the process was busy (a long task, a collection), far less when it was not running
   * (descheduled by the kernel or the hypervisor, or blocked). Absent in older results.
   */
  gapsCpuMs?: number[];
  /** The window's start on the monotonic clock in µs, the clock of a V8 CPU profile's timestamps. */
  startedAtMonoUs?: number;
  /** Garbage-collection pauses by kind (only the kinds seen). */
  gc: Partial<Record<GcKind, GcPauses>>;
}

const GC_KINDS: Record<number, GcKind> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
};

function gcKind(entry: PerformanceEntry): GcKind | undefined {
  // Node's `gc` entries carry their kind in `detail` (typed only on some entry classes).
  const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
  return detail?.kind === undefined ? undefined : GC_KINDS[detail.kind];
}

/** Records the loop's stalls and GC pauses from `start()` until `stop()`. */
export class LoopGaps {
  private timer: NodeJS.Timeout | undefined;
  private observer: PerformanceObserver | undefined;
  private startedAt = 0;
  private startedAtMonoUs = 0;
  private gapsMs: number[] = [];
  private gapsAtMs: number[] = [];
  private gapsCpuMs: number[] = [];
  private gc: LoopStalls['gc'] = {};

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    this.stop();
    this.gapsMs = [];
    this.gapsAtMs = [];
    this.gapsCpuMs = [];
    this.gc = {};
    this.startedAt = performance.now();
    this.startedAtMonoUs = Number(process.hrtime.bigint() / 1000n);
    let last = this.startedAt;
    let lastCpu = process.cpuUsage();
    this.timer = setInterval(() => {
      const now = performance.now();
      const cpu = process.cpuUsage();
      const late = now - last - PERIOD_MS;
      if (late > THRESHOLD_MS && this.gapsMs.length < MAX_GAPS) {
        this.gapsMs.push(late);
        this.gapsAtMs.push(now - this.startedAt);
        this.gapsCpuMs.push((cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000);
      }
      last = now;
      lastCpu = cpu;
    }, PERIOD_MS);
    this.timer.unref();
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.notePause(entry);
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** What was recorded since `start()`; an empty recording when it is not running. */
  stop(): LoopStalls {
    if (!this.running) return { windowMs: 0, gapsMs: [], gc: {} };
    if (this.observer) {
      // Pauses still buffered for the callback belong to the window too.
      for (const entry of this.observer.takeRecords()) this.notePause(entry);
      this.observer.disconnect();
      this.observer = undefined;
    }
    clearInterval(this.timer);
    this.timer = undefined;
    return {
      windowMs: performance.now() - this.startedAt, gapsMs: this.gapsMs, gapsAtMs: this.gapsAtMs, gapsCpuMs: this.gapsCpuMs,
      startedAtMonoUs: this.startedAtMonoUs, gc: this.gc,
    };
  }

  private notePause(entry: PerformanceEntry): void {
    const kind = gcKind(entry);
    if (!kind) return;
    const pauses = (this.gc[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    pauses.count += 1;
    pauses.totalMs += entry.duration;
    pauses.maxMs = Math.max(pauses.maxMs, entry.duration);
  }
}

/** The floor that these processes' stalls together put under the given share of round trips. */
export function loopFloor(stalls: Array<LoopStalls | undefined>, fraction: number): number | undefined {
  const seen = stalls.filter((s): s is LoopStalls => s !== undefined && s.windowMs > 0);
  if (seen.length === 0) return undefined;
  const windowMs = Math.max(...seen.map((s) => s.windowMs));
  return stallFloor(seen.flatMap((s) => s.gapsMs), windowMs, fraction);
}

function longestStall(s: LoopStalls): number {
  return s.gapsMs.reduce((a, b) => Math.max(a, b), 0);
}

/** `longest 12.3 ms`, with when it ended in the window where that was recorded. */
function longestPhrase(s: LoopStalls): string {
  const longest = longestStall(s);
  const i = s.gapsMs.indexOf(longest);
  const at = s.gapsAtMs?.[i];
  const cpu = s.gapsCpuMs?.[i];
  const details = [at === undefined ? '' : `at ${(at / 1000).toFixed(2)} s`, cpu === undefined ? '' : `process CPU ${cpu.toFixed(1)} ms in it`].filter(Boolean);
  return `longest ${longest.toFixed(1)} ms${details.length ? ` (${details.join(', ')})` : ''}`;
}

/** Stalls over LONG_MS are the ones that make a tail; how much of them the process spent running. */
const LONG_MS = 10;

function longStallsPhrase(s: LoopStalls): string {
  let count = 0;
  let total = 0;
  let cpu = 0;
  s.gapsMs.forEach((g, i) => {
    if (g <= LONG_MS) return;
    count += 1;
    total += g;
    cpu += s.gapsCpuMs?.[i] ?? 0;
  });
  if (count === 0) return '';
  return `, ${count} over ${LONG_MS} ms totalling ${total.toFixed(0)} ms${s.gapsCpuMs ? ` with process CPU ${cpu.toFixed(0)} ms` : ''}`;
}

/** One phrase: the longest stall, the p99 floor, and the GC pauses by kind. */
export function loopLine(s: LoopStalls): string {
  const stalled = s.gapsMs.reduce((a, b) => a + b, 0);
  const gc = (Object.entries(s.gc) as Array<[GcKind, GcPauses]>)
    .map(([kind, p]) => `${kind} ${p.count}× max ${p.maxMs.toFixed(1)} ms`)
    .join(', ');
  return (
    `${longestPhrase(s)}${longStallsPhrase(s)}, stalled ${((100 * stalled) / Math.max(1, s.windowMs)).toFixed(1)}%, ` +
    `floor p99 ${(loopFloor([s], 0.01) ?? 0).toFixed(1)} ms; GC ${gc || 'none'}`
  );
}

/** A traffic window's stalls: the server's, each generator's, and the floor they all put under p99 together. */
export function windowStallsLine(server: LoopStalls | undefined, gens: LoopStalls[] | undefined): string {
  if (!server && !gens?.length) return '';
  const parts = [server ? `server ${loopLine(server)}` : 'server –', ...(gens ?? []).map((g, i) => `generator${gens && gens.length > 1 ? ` ${i + 1}` : ''} ${loopLine(g)}`)];
  return `stalls: ${parts.join(' | ')} | together floor p99 ${(loopFloor([server, ...(gens ?? [])], 0.01) ?? 0).toFixed(1)} ms`;
}
