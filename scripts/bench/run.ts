/**
 * `npm run bench [-- --quick] [--rounds N] [--arms baseline,memory,redis] [--profile] [--tsx]
 *  [--concurrency on|off] [--max-conversations N] [--generators N] [--nice=-N] [--no-write]`
 *
 * Measures the baseline relay and our server (in-process and Redis store) under the same load,
 * alternating the order of arms between rounds, with the baseline once more to show the noise.
 * Prints a table and writes it into docs/benchmarks.md. Every target is on 127.0.0.1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ArmKind } from './arms';
import { buildAll, ROOT, serverExists } from './build';
import { RAMP_STEPS, runConcurrency, type ConcurrencyResult } from './concurrency';
import { writeResults, resultsBlock, type RunSummary } from './docs';
import { describeMachine, machineLine } from './machine';
import { flameGraphs } from './flame';
import { summarizeProfile } from './profile-top';
import { setBenchPriority } from './procs';
import type { Round } from './report';
import { runArm } from './run-arm';
import { FULL, QUICK, withPairSeconds } from './scenarios';
import { probeStalls, stallLine } from './stalls';

const LABELS: Record<ArmKind, string> = { baseline: 'baseline', memory: 'ours-memory', redis: 'ours-redis' };
/** Before each round: a thread spins this long with the other core kept busy, as under load. */
const STALL_PROBE_SECONDS = 5;
const STALL_THRESHOLD_MS = 0.2;

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      arms: { type: 'string', default: 'baseline,memory,redis' },
      profile: { type: 'boolean', default: false },
      tsx: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'max-conversations': { type: 'string', default: '18000' },
      'no-write': { type: 'boolean', default: false },
      generators: { type: 'string' },
      nice: { type: 'string', default: '0' },
      'pair-seconds': { type: 'string' },
    },
  });
  const kinds = (values.arms ?? '').split(',').filter((a): a is ArmKind => a === 'baseline' || a === 'memory' || a === 'redis');
  const quick = values.quick ?? false;
  return {
    quick,
    rounds: Number(values.rounds ?? (quick ? 1 : 2)),
    kinds: kinds.includes('baseline') ? kinds : (['baseline', ...kinds] as ArmKind[]),
    profile: values.profile ?? false,
    tsx: values.tsx ?? false,
    concurrency: (values.concurrency ?? (quick ? 'off' : 'on')) === 'on',
    maxConversations: Number(values['max-conversations']),
    write: !(values['no-write'] ?? false),
    generators: values.generators === undefined ? undefined : Number(values.generators),
    nice: Number(values.nice),
    pairSeconds: values['pair-seconds'] === undefined ? undefined : Number(values['pair-seconds']),
  };
}

/** Round 1 starts with the baseline (its maximum sets the reference rate) and ends with the
 * baseline again for the noise; later rounds reverse the order of the one before. */
function orderOf(round: number, kinds: ArmKind[]): string[] {
  const labels = kinds.map((k) => LABELS[k]);
  if (round === 0) return [...labels, 'baseline-2'];
  return round % 2 === 1 ? [...labels].reverse() : labels;
}

function kindOf(label: string): ArmKind {
  return label.startsWith('baseline') ? 'baseline' : label === 'ours-redis' ? 'redis' : 'memory';
}

async function main(): Promise<void> {
  const o = options();
  setBenchPriority(o.nice);
  const t0 = Date.now();
  const startedAt = new Date();
  const outDir = join(ROOT, 'test-artifacts', 'bench');
  const profileDir = o.profile ? join(outDir, 'profiles') : undefined;
  mkdirSync(outDir, { recursive: true });
  const log = (line: string) => console.log(line);
  const machine = describeMachine(ROOT);
  log(`machine: ${machineLine(machine)}`);
  if (!serverExists()) {
    log('server/main.ts does not exist yet: running the baseline arm only');
    o.kinds = ['baseline'];
  }
  const built = await buildAll(o.tsx ? 'tsx' : 'dist', o.kinds.length > 1);
  const base = o.quick ? QUICK : FULL;
  const generated = o.generators ? { ...base, generators: o.generators } : base;
  const sizes = o.pairSeconds ? withPairSeconds(generated, o.pairSeconds) : generated;
  const rounds: Round[] = [];
  let referenceRate: number | undefined;
  for (let r = 0; r < o.rounds; r++) {
    const stalls = await probeStalls(STALL_PROBE_SECONDS, STALL_THRESHOLD_MS, 1);
    const round: Round = { order: orderOf(r, o.kinds), arms: {}, stalls };
    log(`round ${r + 1}: ${round.order.join(' → ')}`);
    log(`  machine stalls: ${stallLine(stalls)}`);
    for (const label of round.order) {
      const kind = kindOf(label);
      const result = await runArm({ kind, label, built, sizes, referenceRate, logDir: outDir, profileDir: kind === 'baseline' ? undefined : profileDir, log });
      if (label === 'baseline' && referenceRate === undefined && result.search?.max) referenceRate = result.search.max;
      round.arms[label] = result;
    }
    rounds.push(round);
  }
  const concurrency: ConcurrencyResult[] = [];
  if (o.concurrency) {
    const steps = RAMP_STEPS.filter((n) => n <= o.maxConversations);
    for (const kind of o.kinds) {
      log(`concurrency: ${LABELS[kind]}`);
      concurrency.push(await runConcurrency({ kind, label: LABELS[kind], built, generators: 3, steps, windowMs: o.quick ? 10_000 : 20_000, logDir: outDir, log }));
    }
  }
  const summary: RunSummary = {
    mode: o.quick ? 'quick' : 'full', machine, rounds, concurrency, referenceRate: referenceRate ?? 0,
    startedAt, seconds: (Date.now() - t0) / 1000, serverMode: built.server.mode === 'dist' ? 'dist/ (tsc build)' : 'tsx',
  };
  log(`\n${resultsBlock(summary)}\n`);
  writeFileSync(join(outDir, `results-${startedAt.getTime()}.json`), JSON.stringify(summary, null, 1));
  if (o.write) writeResults(join(ROOT, 'docs', 'benchmarks.md'), summary);
  if (profileDir) log(`${summarizeProfile(profileDir, 25)}\n${flameGraphs(profileDir)}`);
  log(`bench finished in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
