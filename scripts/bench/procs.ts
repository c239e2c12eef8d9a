/**
 * Every child process the harness starts is registered here and killed when the harness exits,
 * however it exits (normal end, exception, Ctrl-C): a benchmark never leaves servers behind.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, setPriority } from 'node:os';

const children = new Set<ChildProcess>();
/** Processes started by helpers that hand out no ChildProcess (the test Redis). */
const pids = new Set<number>();
let installed = false;
let priority = 0;

/** Scheduling priority (nice value, negative = favoured; needs root) of every later child, so
 * other work on a shared machine disturbs the measurement less. */
export function setBenchPriority(nice: number): void {
  priority = nice;
}

/** Applies the benchmark's priority to a process (also one the harness did not fork, e.g. Redis). */
export function applyPriority(pid: number | undefined): void {
  if (priority === 0 || pid === undefined) return;
  try {
    setPriority(pid, priority);
  } catch {
    // Not permitted: the run goes on at normal priority.
  }
}

function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  pids.clear();
}

/** Registers a process by id so it dies with the harness; `forget` once it was stopped cleanly. */
export function trackPid(pid: number): { forget: () => void } {
  install();
  pids.add(pid);
  return { forget: () => void pids.delete(pid) };
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Registers a child so it dies with the harness; forgets it once it exits by itself. */
export function track<T extends ChildProcess>(child: T): T {
  install();
  children.add(child);
  applyPriority(child.pid);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The fields of a /proc stat line after the ") " that ends comm: utime and stime are 11 and 12. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 when unknown. */
export async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  try {
    const fields = statFields(await readFile(`/proc/${pid}/stat`, 'utf8'));
    // Fields 14 and 15 of /proc/PID/stat (utime, stime).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** A process's CPU split (seconds in user space and in the kernel) and its read and write system
 * calls so far (/proc/PID/stat and /proc/PID/io). */
export interface ProcCounters {
  user: number;
  system: number;
  /** CPU seconds of the main (JavaScript) thread alone; the rest is V8's and libuv's helper threads. */
  mainThread: number;
  readCalls: number;
  writeCalls: number;
  /** Bytes those calls read and wrote (sockets included). */
  readBytes: number;
  writeBytes: number;
  /** Page faults served without I/O (first touches of fresh memory, among others): kernel time. */
  minorFaults: number;
  /** The main thread's context switches: it waited (voluntary) or was preempted (involuntary). */
  voluntarySwitches: number;
  involuntarySwitches: number;
}

/** The process's counters so far; null when unknown (no such process, or no /proc). */
export async function procCounters(pid: number | undefined): Promise<ProcCounters | null> {
  if (pid === undefined) return null;
  try {
    const fields = statFields(await readFile(`/proc/${pid}/stat`, 'utf8'));
    const main = statFields(await readFile(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
    const io = Object.fromEntries((await readFile(`/proc/${pid}/io`, 'utf8')).trim().split('\n').map((l) => l.split(': ')));
    const status = await readFile(`/proc/${pid}/task/${pid}/status`, 'utf8');
    const count = (name: string) => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return {
      user: Number(fields[11]) / 100,
      system: Number(fields[12]) / 100,
      mainThread: (Number(main[11]) + Number(main[12])) / 100,
      readCalls: Number(io.syscr),
      writeCalls: Number(io.syscw),
      readBytes: Number(io.rchar),
      writeBytes: Number(io.wchar),
      // Field 10 of /proc/PID/stat (minflt), for the whole process.
      minorFaults: Number(fields[7]),
      voluntarySwitches: count('voluntary_ctxt_switches'),
      involuntarySwitches: count('nonvoluntary_ctxt_switches'),
    };
  } catch {
    return null;
  }
}

/** Busy, stolen (by the hypervisor) and total jiffies of the whole machine, from /proc/stat. */
export async function machineTicks(): Promise<{ busy: number; steal: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  // idle and iowait are the fourth and fifth fields, steal the eighth.
  return { busy: total - v[3] - v[4], steal: v[7] ?? 0, total };
}

/**
 * On a shared machine, waits (at most `maxWaitMs`) until other work uses under `limitPct` of one
 * core, sampled over `sampleMs` while the benchmark itself is idle. Returns the last reading.
 */
export async function waitForQuiet(limitPct: number, maxWaitMs: number, sampleMs = 500): Promise<number> {
  const cores = cpus().length;
  const until = Date.now() + maxWaitMs;
  for (;;) {
    const a = await machineTicks();
    await new Promise((r) => setTimeout(r, sampleMs));
    const b = await machineTicks();
    const busyPct = ((100 * (b.busy - a.busy)) / Math.max(1, b.total - a.total)) * cores;
    if (busyPct < limitPct || Date.now() >= until) return busyPct;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
