/**
 * Where each of the targets stands after a run, judged by fixed rules so that every run
 * says it the same way (the hand-written judgements of earlier runs are in docs/benchmarks.md).
 *
 * Each round is judged on its own, against the baseline of the same round, as met, not met or
 * unknown; the target's status is what a majority of its rounds say (with three rounds, the
 * median's verdict), and "not shown" otherwise. A round is unknown when its figure is only a bound
 * on the wrong side: a maximum found with a saturated generator is a lower bound on that arm's
 * maximum, and a latency from a window with a saturated generator is an upper bound on the
 * server's. A latency target that the relay misses in the same round is not judged: the machine,
 * not our server, sets that tail there.
 */
import type { ConcurrencyResult } from './concurrency';
import type { Round } from './report';
import type { ArmResult } from './run-arm';
import { median } from './stats';

type Verdict = 'met' | 'not met' | 'unknown';

interface RoundVerdict {
  value: number;
  verdict: Verdict;
  /** Why a round is unknown. */
  why?: string;
}

export interface TargetRow {
  target: string;
  /** The median over rounds and each round's figure, as printed. */
  figure: string;
  status: 'met' | 'not met' | 'not shown' | 'at the machine\'s limit';
  /** Each round's verdict, or the concurrency run's stop. */
  rounds: string;
}

/** The conversations target. */
export const CONVERSATIONS_TARGET = 20_000;
/** Heap per socket above the baseline's: 3 KB. */
const HEAP_TARGET_BYTES = 3_000;

/** Each of our arms' maximum rate as a share of the relay's. */
export const RATE_RATIO_TARGETS: Record<string, number> = { 'ours-memory': 0.85, 'ours-redis': 0.7 };

const ARMS = [
  { label: 'ours-memory', name: 'in-process', rateRatio: RATE_RATIO_TARGETS['ours-memory'] },
  { label: 'ours-redis', name: 'Redis', rateRatio: RATE_RATIO_TARGETS['ours-redis'] },
] as const;

/** A figure of one arm, and whether a saturated generator measured it. */
interface Reading {
  value: number;
  genBound: boolean;
}

/** An arm's reading, which a round may lack. */
type Get = (a: ArmResult) => Reading | undefined;

const maxRate: Get = (a) => (a.search ? { value: a.search.max, genBound: a.search.genBound } : undefined);
const rttAt50: (p: 'p50' | 'p99') => Get = (p) => (a) => {
  const t = a.rtt[1];
  return t && { value: t.latency[p], genBound: t.genBound };
};
const pairingP99At500: Get = (a) => {
  const w = a.pairing.find((x) => x.rate === 500);
  return w && { value: w.latency.p99, genBound: w.genBound };
};

/** Round verdicts of a figure where higher is better: ours / baseline ≥ `min`. */
function ratioVerdicts(rounds: Round[], label: string, min: number): RoundVerdict[] {
  // A round whose relay passed no rate at all has no ratio.
  return pairs(rounds, label, maxRate).filter(([, base]) => base.value > 0).map(([ours, base]): RoundVerdict => {
    const value = ours.value / base.value;
    // A saturated generator makes that side's maximum a lower bound: the baseline's bounds the ratio
    // from above, ours from below.
    if (value >= min) return base.genBound ? { value, verdict: 'unknown', why: 'relay a lower bound' } : { value, verdict: 'met' };
    if (ours.genBound) return { value, verdict: 'unknown', why: base.genBound ? 'both lower bounds' : 'ours a lower bound' };
    return { value, verdict: 'not met' };
  });
}

/** Round verdicts of a latency (ms) that must stay at or under `max`, judged only where the relay meets it. */
function ceilingVerdicts(rounds: Round[], label: string, get: Get, max: number): RoundVerdict[] {
  return pairs(rounds, label, get).map(([ours, base]) => {
    const value = ours.value;
    if (value <= max) return { value, verdict: 'met' };
    if (base.value > max) return { value, verdict: 'unknown', why: `relay ${base.value.toFixed(1)} ms` };
    if (ours.genBound) return { value, verdict: 'unknown', why: 'generator saturated' };
    return { value, verdict: 'not met' };
  });
}

/** Round verdicts of ours - baseline that must stay at or under `max`. */
function diffVerdicts(rounds: Round[], label: string, get: Get, max: number): RoundVerdict[] {
  return pairs(rounds, label, get).map(([ours, base]) => {
    const value = ours.value - base.value;
    if (ours.genBound || base.genBound) return { value, verdict: 'unknown', why: 'generator saturated' };
    return { value, verdict: value <= max ? 'met' : 'not met' };
  });
}

function heapVerdicts(rounds: Round[], label: string): RoundVerdict[] {
  const heap: Get = (a) => (a.memory ? { value: a.memory.heapPerSocket, genBound: false } : undefined);
  return pairs(rounds, label, heap).map(([ours, base]) => {
    const value = (ours.value - base.value) / 1024;
    return { value, verdict: ours.value - base.value <= HEAP_TARGET_BYTES ? 'met' : 'not met' };
  });
}

/** The figure of ours and of the baseline, for each round that has both. */
function pairs(rounds: Round[], label: string, get: Get): Array<[ours: Reading, baseline: Reading]> {
  const out: Array<[Reading, Reading]> = [];
  for (const r of rounds) {
    const ours = r.arms[label] && get(r.arms[label]);
    const base = r.arms.baseline && get(r.arms.baseline);
    if (ours && base) out.push([ours, base]);
  }
  return out;
}

function row(target: string, verdicts: RoundVerdict[], show: (v: number) => string): TargetRow | null {
  if (verdicts.length === 0) return null;
  const count = (v: Verdict) => verdicts.filter((x) => x.verdict === v).length;
  const majority = verdicts.length / 2;
  const status = count('met') > majority ? 'met' : count('not met') > majority ? 'not met' : 'not shown';
  const each = verdicts.map((v) => show(v.value)).join(', ');
  return {
    target,
    figure: `${show(median(verdicts.map((v) => v.value)))} (${each})`,
    status,
    rounds: verdicts.map((v) => (v.why ? `${v.verdict} (${v.why})` : v.verdict)).join(', '),
  };
}

/** `v` to two decimals, or more where two would round it onto the other side of `limit` (0.8499 is not 0.85). */
export function sideOf(v: number, limit: number): string {
  for (let digits = 2; digits < 6; digits += 1) {
    const shown = v.toFixed(digits);
    if (Number(shown) >= limit === v >= limit) return shown;
  }
  return String(v);
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const signedMs = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} ms`;

/** One row per target and arm that the run measured. */
export function targetRows(rounds: Round[], concurrency: ConcurrencyResult[]): TargetRow[] {
  const rows: Array<TargetRow | null> = [];
  for (const arm of ARMS) {
    rows.push(row(`${arm.name}: maximum rate ≥ ${arm.rateRatio}x the relay's`, ratioVerdicts(rounds, arm.label, arm.rateRatio), (v) => `${sideOf(v, arm.rateRatio)}x`));
  }
  for (const arm of ARMS) rows.push(row(`${arm.name}: round-trip p50 at 50% within 1 ms of the relay's`, diffVerdicts(rounds, arm.label, rttAt50('p50'), 1), signedMs));
  for (const arm of ARMS) rows.push(row(`${arm.name}: round-trip p99 at 50% ≤ 20 ms`, ceilingVerdicts(rounds, arm.label, rttAt50('p99'), 20), ms));
  rows.push(row('Redis: pairing p99 at 500 chats/s ≤ 30 ms', ceilingVerdicts(rounds, 'ours-redis', pairingP99At500, 30), ms));
  const relay = concurrency.find((c) => c.label === 'baseline');
  for (const c of concurrency) rows.push(concurrencyRow(c, relay));
  for (const arm of ARMS) rows.push(row(`${arm.name}: heap per socket ≤ 3 KB above the relay's`, heapVerdicts(rounds, arm.label), (v) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} KiB`));
  return rows.filter((r): r is TargetRow => r !== null);
}

/**
 * 20,000 conversations held, or the machine's limit with its reason. A run that held its last step
 * below 20,000 is at the machine's limit when the server's open-files limit leaves no room for
 * 20,000 conversations, counted with the sockets a held conversation took on the server in that run
 * (a visitor's, and a share of a listener's: each listener socket carries several conversations).
 * A run stopped by its latency or losses is at the machine's limit when the relay, ramped on the
 * same machine, held no more: as with the latency targets, the machine sets that bound.
 */
function concurrencyRow(c: ConcurrencyResult, relay: ConcurrencyResult | undefined): TargetRow | null {
  if (c.label.startsWith('baseline')) return null;
  const name = c.label === 'ours-redis' ? 'Redis' : 'in-process';
  const target = `${name}: ${CONVERSATIONS_TARGET.toLocaleString('en')} conversations held, or the machine's limit`;
  const base = { target, figure: `${c.held.toLocaleString('en')} held (${c.sockets.toLocaleString('en')} sockets)`, rounds: `stopped: ${c.stopReason}` };
  if (c.held >= CONVERSATIONS_TARGET) return { ...base, status: 'met' };
  const softLimit = Number(c.serverFdLimit.split('/')[0]);
  const lastStep = c.steps.at(-1)?.conversations ?? 0;
  const ranOut = c.stopReason.startsWith('reached the last step') && lastStep === c.held;
  const socketsEach = c.held > 0 ? c.sockets / c.held : 2;
  if (ranOut && Number.isFinite(softLimit) && softLimit < socketsEach * CONVERSATIONS_TARGET) {
    const most = Math.floor(softLimit / socketsEach).toLocaleString('en');
    return { ...base, status: 'at the machine\'s limit', rounds: `${base.rounds}; at ${socketsEach.toFixed(2)} sockets a conversation, the server's open-files limit (${c.serverFdLimit}) holds ${most} at most` };
  }
  const machineBound = /generator saturated|connections failed|error:|reached the last step/.test(c.stopReason);
  if (machineBound) return { ...base, status: 'not shown' };
  // Stopped by its latency or losses where the relay, on the same machine, held no more.
  if (relay && relay.held <= c.held && !relay.stopReason.startsWith('reached the last step')) {
    return { ...base, status: 'at the machine\'s limit', rounds: `${base.rounds}; the relay held ${relay.held.toLocaleString('en')} (stopped: ${relay.stopReason})` };
  }
  return { ...base, status: 'not met' };
}

/** The targets as a markdown table. */
export function targetsTable(rows: TargetRow[]): string {
  const lines = ['| target | figure (median; rounds) | status | each round |', '| --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.target} | ${r.figure} | ${r.status} | ${r.rounds} |`);
  return lines.join('\n');
}
