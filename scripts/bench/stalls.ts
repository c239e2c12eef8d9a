/**
 * How often the machine itself stops a running thread, whatever the thread does: one process spins
 * on the clock and records every gap between two consecutive reads longer than a threshold (the
 * thread was descheduled: by the hypervisor, which the kernel counts as steal time, by an
 * interrupt, or by another process). Optional spinners keep the other cores busy, as a benchmark
 * does.
 *
 * From the gaps comes a latency floor: a server that did nothing but wait through them would keep
 * `fraction` of the messages arriving at a steady rate waiting longer than the floor. A message
 * waits `g - t` when it arrives `t` into a gap of `g`, so the share that waits longer than L is
 * Σ max(0, g - L) over the window. A round trip crosses two processes (the server and the load
 * generator), so its tail has at least this floor, not at most.
 *
 * `tsx scripts/bench/stalls.ts [--seconds 10] [--threshold-ms 0.2] [--spinners 0]`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { machineTicks } from './procs';
import { stallFloor } from './stats';

export interface StallProbe {
  seconds: number;
  spinners: number;
  thresholdMs: number;
  /** Every gap over the threshold, in ms, in the order seen. */
  gapsMs: number[];
  /** Steal time the kernel counted over the probe, as a share of the machine's time. */
  stealPct: number;
}

/** Spins on the clock for `seconds`; returns the gaps over `thresholdMs` and the steal time meanwhile. */
export async function probeStalls(seconds: number, thresholdMs: number, spinners: number): Promise<StallProbe> {
  const children = Array.from({ length: spinners }, () => spawnSpinner(seconds + 2));
  try {
    // Let the spinners start before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await machineTicks();
    const gapsMs = spin(seconds, thresholdMs);
    const after = await machineTicks();
    const stealPct = (100 * (after.steal - before.steal)) / Math.max(1, after.total - before.total);
    return { seconds, spinners, thresholdMs, gapsMs, stealPct };
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}

function spin(seconds: number, thresholdMs: number): number[] {
  const gaps: number[] = [];
  const threshold = BigInt(Math.round(thresholdMs * 1e6));
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let last = start;
  while (last < end) {
    const now = process.hrtime.bigint();
    if (now - last > threshold) gaps.push(Number(now - last) / 1e6);
    last = now;
  }
  return gaps;
}

/** A process that keeps one core busy for at most `seconds`. */
function spawnSpinner(seconds: number): ChildProcess {
  const code = `const end = Date.now() + ${Math.round(seconds * 1000)}; while (Date.now() < end) {}`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

/** One line: how long the thread stood still, in how many gaps of which lengths, and the floors they put on p99 and p99.9. */
export function stallLine(p: StallProbe): string {
  const windowMs = p.seconds * 1000;
  const stalled = p.gapsMs.reduce((a, b) => a + b, 0);
  const over = [1, 2, 5, 10, 20, 50].map((ms) => `${p.gapsMs.filter((g) => g > ms).length} over ${ms} ms`).join(', ');
  const longest = p.gapsMs.reduce((a, b) => Math.max(a, b), 0);
  const floor = (fraction: number) => stallFloor(p.gapsMs, windowMs, fraction).toFixed(2);
  return (
    `a thread spinning ${p.seconds} s (${p.spinners} other core${p.spinners === 1 ? '' : 's'} kept busy) stood still ${((100 * stalled) / windowMs).toFixed(2)}% of the time ` +
    `in ${p.gapsMs.length} gaps over ${p.thresholdMs} ms (${over}; longest ${longest.toFixed(1)} ms); steal ${p.stealPct.toFixed(2)}% of the machine; ` +
    `floor of p99 ${floor(0.01)} ms, of p99.9 ${floor(0.001)} ms`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      'threshold-ms': { type: 'string', default: '0.2' },
      spinners: { type: 'string', default: '0' },
    },
  });
  const spinners = Math.min(Number(values.spinners), cpus().length - 1);
  console.log(stallLine(await probeStalls(Number(values.seconds), Number(values['threshold-ms']), spinners)));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
