/**
 * Turns rounds of arm results into one table: each arm's median over rounds, and our arms as a
 * ratio (or difference) to the baseline measured in the same round.
 */
import type { ConcurrencyResult } from './concurrency';
import { pairingAt, rttAt, type ArmResult } from './run-arm';
import { stallFloors, type TrafficFigures } from './session';
import type { StallProbe } from './stalls';
import { median } from './stats';
import { HEAP_ABOVE_RELAY_BYTES, PAIRING_P99_MS, RATE_RATIO_TARGETS, RTT_P50_ABOVE_RELAY_MS, RTT_P99_MS, sideOf } from './targets';

export interface Round {
  order: string[];
  arms: Record<string, ArmResult>;
  /** How much the machine stalled a spinning thread just before the round (absent in older results). */
  stalls?: StallProbe;
}

interface Figure {
  name: string;
  get: (a: ArmResult) => number | undefined;
  /** ratio: ours / baseline; diff: ours - baseline. */
  compare: 'ratio' | 'diff';
  digits: number;
  target?: { memory?: string; redis?: string };
  /** A ratio's threshold per arm: its comparison is never shown rounded onto the other side. */
  threshold?: Record<string, number>;
}

const pairLatency = (rate: number, p: 'p50' | 'p99') => (a: ArmResult) => pairingAt(a, rate)?.latency[p];
const rttLatency = (fraction: number, p: 'p50' | 'p99') => (a: ArmResult) => rttAt(a, fraction)?.latency[p];

/** Server (plus Redis) CPU time per relayed message: the cost that bounds throughput on any machine. */
function cpuPerMessage(t: TrafficFigures | undefined): number | undefined {
  if (!t || t.rate === 0) return undefined;
  return ((t.serverCpuPct + t.redisCpuPct) / 100 / t.rate) * 1e6;
}

/**
 * The floor that one process's event-loop stalls put under the round-trip p99 at 50% of the
 * reference rate: the share of the tail the server itself, or the load generator, accounts for.
 */
function stallFloorAt(a: ArmResult, who: 'server' | 'generator'): number | undefined {
  const t = rttAt(a, 0.5);
  return t && stallFloors(t)[who];
}

const HEAP_TARGET = `≤ +${HEAP_ABOVE_RELAY_BYTES / 1000} KB`;

const FIGURES: Figure[] = [
  { name: 'pairing p50 @100/s (ms)', get: pairLatency(100, 'p50'), compare: 'diff', digits: 2 },
  { name: 'pairing p99 @100/s (ms)', get: pairLatency(100, 'p99'), compare: 'diff', digits: 2 },
  { name: 'pairing p50 @500/s (ms)', get: pairLatency(500, 'p50'), compare: 'diff', digits: 2 },
  { name: 'pairing p99 @500/s (ms)', get: pairLatency(500, 'p99'), compare: 'diff', digits: 2, target: { redis: `≤ ${PAIRING_P99_MS} ms` } },
  { name: 'round trip p50 @25% (ms)', get: rttLatency(0.25, 'p50'), compare: 'diff', digits: 2 },
  { name: 'round trip p99 @25% (ms)', get: rttLatency(0.25, 'p99'), compare: 'diff', digits: 2 },
  { name: 'round trip p50 @50% (ms)', get: rttLatency(0.5, 'p50'), compare: 'diff', digits: 2, target: { memory: `≤ +${RTT_P50_ABOVE_RELAY_MS} ms`, redis: `≤ +${RTT_P50_ABOVE_RELAY_MS} ms` } },
  { name: 'round trip p99 @50% (ms)', get: rttLatency(0.5, 'p99'), compare: 'diff', digits: 2, target: { memory: `≤ ${RTT_P99_MS} ms`, redis: `≤ ${RTT_P99_MS} ms` } },
  { name: 'round trip p50 @80% (ms)', get: rttLatency(0.8, 'p50'), compare: 'diff', digits: 2 },
  { name: 'round trip p99 @80% (ms)', get: rttLatency(0.8, 'p99'), compare: 'diff', digits: 2 },
  { name: 'server stall floor of p99 @50% (ms)', get: (a) => stallFloorAt(a, 'server'), compare: 'diff', digits: 2 },
  { name: 'generator stall floor of p99 @50% (ms)', get: (a) => stallFloorAt(a, 'generator'), compare: 'diff', digits: 2 },
  { name: 'max sustained (msgs/s)', get: (a) => a.search?.max, compare: 'ratio', digits: 0, target: { memory: `≥ ${RATE_RATIO_TARGETS['ours-memory']}x`, redis: `≥ ${RATE_RATIO_TARGETS['ours-redis']}x` }, threshold: RATE_RATIO_TARGETS },
  { name: 'server CPU per message @50% (µs)', get: (a) => cpuPerMessage(rttAt(a, 0.5)), compare: 'ratio', digits: 1 },
  { name: 'heap per socket (KiB)', get: (a) => (a.memory ? a.memory.heapPerSocket / 1024 : undefined), compare: 'diff', digits: 2, target: { memory: HEAP_TARGET, redis: HEAP_TARGET } },
  { name: 'RSS per socket (KiB)', get: (a) => (a.memory ? a.memory.rssPerSocket / 1024 : undefined), compare: 'diff', digits: 2 },
];

function fmt(value: number | undefined, digits: number): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

function fmtCompare(value: number | undefined, f: Figure, label: string): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  const threshold = f.threshold?.[label];
  if (f.compare === 'ratio') return `${threshold === undefined ? value.toFixed(2) : sideOf(value, threshold)}x`;
  return `${value >= 0 ? '+' : ''}${value.toFixed(f.digits)}`;
}

function values(rounds: Round[], label: string, f: Figure): number[] {
  return rounds.map((r) => (r.arms[label] ? f.get(r.arms[label]) : undefined)).filter((v): v is number => v !== undefined);
}

function comparisons(rounds: Round[], label: string, f: Figure): number[] {
  const out: number[] = [];
  for (const r of rounds) {
    const ours = r.arms[label] ? f.get(r.arms[label]) : undefined;
    const base = r.arms.baseline ? f.get(r.arms.baseline) : undefined;
    if (ours === undefined || base === undefined) continue;
    out.push(f.compare === 'ratio' ? (base > 0 ? ours / base : Number.NaN) : ours - base);
  }
  return out;
}

const ARM_TITLES: Record<string, string> = {
  baseline: 'baseline',
  'ours-memory': 'ours, in-process',
  'ours-redis': 'ours, Redis',
  'baseline-2': 'baseline again (noise)',
};

/** The markdown table of every figure; columns for the arms that ran. */
export function figuresTable(rounds: Round[]): string {
  const labels = Object.keys(ARM_TITLES).filter((l) => rounds.some((r) => r.arms[l]));
  const others = labels.filter((l) => l !== 'baseline');
  const head = ['figure', ...labels.flatMap((l) => (l === 'baseline' ? [ARM_TITLES[l]] : [ARM_TITLES[l], 'vs baseline'])), 'target'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const f of FIGURES) {
    const cells = [f.name];
    for (const l of labels) {
      cells.push(fmt(median(values(rounds, l, f)), f.digits));
      if (others.includes(l)) cells.push(fmtCompare(median(comparisons(rounds, l, f)), f, l));
    }
    const t = f.target;
    cells.push(t ? [t.memory && `in-process ${t.memory}`, t.redis && `Redis ${t.redis}`].filter(Boolean).join('; ') : '');
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The concurrency ramp: conversations held per arm and why it stopped. */
export function concurrencyTable(results: ConcurrencyResult[]): string {
  const lines = ['| arm | conversations held | sockets on the server | stopped because | heap per conversation (KiB) | RSS per conversation (KiB) |', '| --- | --- | --- | --- | --- | --- |'];
  for (const c of results) {
    lines.push(`| ${ARM_TITLES[c.label] ?? c.label} | ${c.held} | ${c.sockets} | ${c.stopReason} | ${fmt(c.heapPerConversation / 1024, 2)} | ${fmt(c.rssPerConversation / 1024, 2)} |`);
  }
  return lines.join('\n');
}

/** The relay's CPU per message may move this much between its runs before the run says the machine drifted. */
export const DRIFT_LIMIT = 1.25;

/**
 * The relay does the same work in every run, so its CPU per message at the middle round-trip rate
 * measures the machine: when it moves by DRIFT_LIMIT or more across the run, figures from
 * different minutes (ratios between arms, above all the maximum-rate searches) moved with it.
 */
export function driftNote(rounds: Round[]): string | null {
  const runs: Array<{ where: string; us: number }> = [];
  rounds.forEach((r, i) => {
    for (const label of r.order) {
      const arm = label.startsWith('baseline') ? r.arms[label] : undefined;
      const us = arm && cpuPerMessage(rttAt(arm, 0.5));
      if (us !== undefined) runs.push({ where: `round ${i + 1} ${label}`, us });
    }
  });
  if (runs.length < 2) return null;
  const low = runs.reduce((a, b) => (b.us < a.us ? b : a));
  const high = runs.reduce((a, b) => (b.us > a.us ? b : a));
  if (high.us < low.us * DRIFT_LIMIT) return null;
  const all = runs.map((x) => `${fmt(x.us, 1)} (${x.where})`).join(', ');
  return (
    `the machine drifted: the baseline's CPU per message at 50% of the reference rate ranged ${fmt(low.us, 1)}–${fmt(high.us, 1)} µs ` +
    `across its runs (${all}); figures measured minutes apart, the maximum-rate ratios above all, moved with it.`
  );
}

/** Each arm's run health: generator-bound windows and failures, so a reader can discount them; machine drift. */
export function healthNotes(rounds: Round[]): string[] {
  const drift = driftNote(rounds);
  const notes: string[] = drift ? [drift] : [];
  rounds.forEach((r, i) => {
    for (const [label, a] of Object.entries(r.arms)) {
      if (a.search?.genBound) notes.push(`round ${i + 1}, ${label}: the maximum-rate search stopped on a saturated generator; its maximum is a lower bound.`);
      const genRtt = a.rtt.filter((t) => t.genBound).length;
      if (genRtt) notes.push(`round ${i + 1}, ${label}: ${genRtt} round-trip window(s) had a saturated generator, also when run again.`);
      for (const f of a.failures) notes.push(`round ${i + 1}, ${label}: failed: ${f}`);
    }
  });
  return notes;
}
