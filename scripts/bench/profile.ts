/**
 * `tsx scripts/bench/profile.ts [--rate N] [--seconds N] [--conversations N] [--generators N] [--arms a,b] [--nice=-N]
 *   [--server-flags="--trace-gc"] [--cpu-prof=off|window] [--monitor=off] [--pairing N [--pairing-cold]] [--memory] [--relay-extra-us 0,10,20]`
 *
 * With `--pairing N` it profiles pairing instead: N chats a second for `--seconds`, after as many
 * paired once unmeasured to warm the server up, as the full run does (`--pairing-cold`: without). With `--memory`
 * it measures heap and RSS per idle visitor socket instead (the full run's memory scenario; the
 * readings follow a forced GC, so one run each is nearly exact and quick to compare). With
 * `--relay-extra-us` the baseline runs once per value, spending that much more CPU on each message
 * (calibration: how the tail grows with the CPU a message costs on this machine).
 *
 * `--heap-sample=promoted` also takes a sampling heap profile of each server over the measured
 * window (of messages, or of pairings with `--pairing`), of the objects that outlive a scavenge (what the old generation has to collect), and
 * prints its top allocation sites; `--heap-sample=all` samples every allocation. The files stay in
 * test-artifacts/bench/profiles/*.heapprofile (Chrome DevTools opens them).
 *
 * `--cpu-prof=window` profiles only the measured window (of messages or pairings), through the
 * inspector (250 µs sampling), and gives each function's share also in microseconds of CPU a
 * message or pairing; `--cpu-prof=on` (`node --cpu-prof`) covers the whole run, set-up included.
 * Each profile is also drawn as a flame graph, an HTML page beside it (scripts/bench/flame.ts).
 *
 * `--repeat N` runs every arm N times, alternating, and ends with the median and the spread of each
 * figure: one 10 s window's p99 moves 1.5-3x between identical runs on a shared 2-core machine, so
 * an A/B comparison needs several. `--server-flags-b="..."` adds a second run of each arm with other
 * node flags right after the first (A/B, same conditions).
 *
 * Profiles each arm's server (`node --cpu-prof`) under one fixed message rate, so the profiles and
 * the CPU time per message of the baseline and our arms compare like for like. Prints the CPU per
 * message, the latency, the Redis commands per message, and each profile's top functions.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commandStats, monitorCommands, type ArmKind, type CommandStat } from './arms';
import { buildAll, ROOT, type Built } from './build';
import { setBenchPriority, type ProcCounters } from './procs';
import { summarizeHeapFile } from './heap-top';
import { windowStallsLine } from './loop-gaps';
import { flameGraphs } from './flame';
import { summarizeFile } from './profile-top';
import { describeMemory, FULL, memoryScenario } from './scenarios';
import { Session, stallFloors } from './session';
import { median } from './stats';
import { LISTENER_CAPACITY } from './staff';
import type { HeapSampled } from './types';

const LABELS: Record<ArmKind, string> = { baseline: 'baseline', memory: 'ours-memory', redis: 'ours-redis' };

/** Each command's calls a unit, with Redis's own time a unit in brackets (a script's time includes
 * the commands it runs, which are also counted under their own names). */
function perMessage(before: Record<string, CommandStat>, after: Record<string, CommandStat>, n: number): string {
  return Object.entries(after)
    .map(([cmd, a]) => ({ cmd, calls: (a.calls - (before[cmd]?.calls ?? 0)) / n, us: (a.usec - (before[cmd]?.usec ?? 0)) / n }))
    .filter(({ calls }) => calls > 0.001)
    .sort((a, b) => b.calls - a.calls)
    .map(({ cmd, calls, us }) => `${cmd} ${calls.toFixed(2)} (${us.toFixed(2)} µs)`)
    .join(', ');
}

function perUnitCounts(c: Record<string, number>, n: number): string {
  return Object.entries(c).sort((a, b) => b[1] - a[1]).map(([cmd, v]) => `${cmd} ${(v / n).toFixed(2)}`).join(', ') || 'none';
}

/** Redis commands per visitor connection, per pairing and per message, split into round trips
 * from the server and commands run inside scripts (MONITOR, at a low rate). */
async function roundTrips(s: Session, url: string): Promise<string> {
  const n = 50;
  await s.endAll();
  const connect = await monitorCommands(url, async () => void (await s.connectVisitors(n, 100)));
  const pair = await monitorCommands(url, async () => void (await s.pair(n, 50)));
  let sent = 0;
  const message = await monitorCommands(url, async () => void (sent = (await s.traffic(200, 2000, 2000)).sent));
  const line = (what: string, c: { client: Record<string, number>; lua: Record<string, number> }, k: number) =>
    `  per ${what}: round trips ${perUnitCounts(c.client, k)} | inside scripts ${perUnitCounts(c.lua, k)}`;
  return ['Redis commands (MONITOR):', line('visitor connection', connect, n), line('pairing', pair, n), line('message', message, Math.max(1, sent))].join('\n');
}

interface ProfileOptions {
  rate: number;
  seconds: number;
  conversations: number;
  /** Load generators (one process each); more than one for more sockets than one process may open. */
  generators: number;
  dir: string;
  built: Built;
  serverFlags: string[];
  /** Off: CPU per message without the profiler's overhead (for A/B comparisons); window: the
   * measured window only. */
  cpuProf: 'on' | 'off' | 'window';
  monitor: boolean;
  /** Chats a second to pair, instead of relaying messages; 0: messages. */
  pairing: number;
  /** Heap and RSS per idle visitor socket, instead of relaying messages. */
  memory: boolean;
  /** Baseline only: extra CPU per message (µs). */
  relayExtraCpuUs?: number;
  /** Sampling heap profile of the measured window. */
  heapSample?: HeapSampled;
  /** Pairs as many chats once before the measured pairing window (then ends them), as the full
   * run does: a warm server. `--pairing-cold` leaves it out. */
  pairingWarmup: boolean;
}

/** One run's message figures, for the medians of `--repeat`. */
interface RunFigures {
  p50: number;
  p99: number;
  serverCpuUs: number;
  /** Floors the server's and the generator's stalls put under p99. */
  serverFloor: number;
  genFloor: number;
}

/** Pairs `seconds × pairing` visitors (connected beforehand) at the pairing rate. */
async function pairingLine(s: Session, o: ProfileOptions): Promise<string> {
  const n = Math.round(o.pairing * o.seconds);
  if (o.pairingWarmup) {
    await s.connectVisitors(n, 1000);
    await s.pair(n, o.pairing, 30_000);
    await s.endAll();
    await s.dropIdle();
  }
  await s.connectVisitors(n, 1000);
  const before = s.arm.redis ? await commandStats(s.arm.redis.url) : {};
  const cpuFile = join(o.dir, `pairing-${s.arm.label}-${Date.now()}.cpuprofile`);
  const heapFile = join(o.dir, `pairing-${s.arm.label}-${Date.now()}.heapprofile`);
  if (o.heapSample) await s.arm.startHeapSampling(o.heapSample);
  if (o.cpuProf === 'window') await s.arm.startCpuWindow();
  const proc0 = await s.arm.procCounters();
  const cpu0 = await s.arm.cpu();
  const t0 = Date.now();
  const p = await s.pair(n, o.pairing, 30_000);
  const cpu1 = await s.arm.cpu();
  const seconds = (Date.now() - t0) / 1000;
  const proc1 = await s.arm.procCounters();
  if (o.cpuProf === 'window') await s.arm.stopCpuWindow(cpuFile);
  if (o.heapSample) await s.arm.stopHeapSampling(heapFile);
  const busy = (a: number, b: number) => `${((100 * (b - a)) / seconds).toFixed(0)}% (${(((b - a) * 1e6) / n).toFixed(0)} µs a pairing)`;
  const redis = s.arm.redis ? ` | Redis per pairing: ${perMessage(before, await commandStats(s.arm.redis.url), n)}` : '';
  const line =
    `pairing ${p.rate}/s: p50 ${p.latency.p50.toFixed(2)} p99 ${p.latency.p99.toFixed(2)} ms, n ${n}, failed ${p.failed}, ` +
    `timed out ${p.timedOut}, CPU server ${busy(cpu0.server, cpu1.server)} redis ${busy(cpu0.redis, cpu1.redis)}${redis}` +
    (proc0 && proc1 ? `\n${procLine(proc0, proc1, n, 'pairing')}` : '');
  const heap = o.heapSample ? `\n${summarizeHeapFile(heapFile, n, o.heapSample, 25, 'pairing')}` : '';
  return o.cpuProf === 'window' ? `${line}${heap}\n${summarizeFile(cpuFile, 30, n, 'pairing')}\n${flameGraphs(cpuFile)}` : `${line}${heap}`;
}

/** Heap and RSS per idle visitor socket: the full run's memory scenario. */
async function memoryLine(s: Session): Promise<string> {
  return describeMemory(await memoryScenario(s, FULL.memorySteps), true);
}

function labelOf(kind: ArmKind, o: ProfileOptions): string {
  return o.relayExtraCpuUs ? `${LABELS[kind]}+${o.relayExtraCpuUs}us` : LABELS[kind];
}

async function profileArm(kind: ArmKind, o: ProfileOptions, figures?: RunFigures[]): Promise<string> {
  const label = labelOf(kind, o);
  const built = o.built;
  const s = await Session.open({
    kind, label: `profile-${label}`, built, generators: o.generators, listenersPerGen: Math.ceil(Math.ceil(o.conversations / o.generators) / LISTENER_CAPACITY),
    logDir: o.dir, profileDir: o.cpuProf === 'on' ? o.dir : undefined, quietWaitMs: 30_000, serverFlags: o.serverFlags, relayExtraCpuUs: o.relayExtraCpuUs,
  });
  let line = `${label}: `;
  try {
    await s.connectListeners();
    if (o.memory) line += await memoryLine(s);
    else if (o.pairing > 0) line += await pairingLine(s, o);
    else line += await messageLines(s, o, label, figures);
  } finally {
    await s.close();
  }
  const file = join(o.dir, `profile-${label}.cpuprofile`);
  return o.cpuProf === 'on' ? `${line}\n${summarizeFile(file, 30)}\n${flameGraphs(file)}` : line;
}

/** Relays messages at the fixed rate: CPU per message, latency, Redis commands per message. */
async function messageLines(s: Session, o: ProfileOptions, label: string, figures?: RunFigures[]): Promise<string> {
  await s.addConversations(o.conversations, 500);
  await s.traffic(o.rate / 2, 3000, 2000);
  const before = s.arm.redis ? await commandStats(s.arm.redis.url) : {};
  const heapFile = join(o.dir, `heap-${label}-${Date.now()}.heapprofile`);
  const cpuFile = join(o.dir, `window-${label}-${Date.now()}.cpuprofile`);
  // The window's own wait for a quiet machine comes first, so a profile holds the window and its drain.
  if (o.heapSample || o.cpuProf === 'window') await s.quiet();
  if (o.heapSample) await s.arm.startHeapSampling(o.heapSample);
  if (o.cpuProf === 'window') await s.arm.startCpuWindow();
  const proc0 = await s.arm.procCounters();
  const t = await s.traffic(o.rate, o.seconds * 1000, 3000);
  const proc1 = await s.arm.procCounters();
  if (o.cpuProf === 'window') await s.arm.stopCpuWindow(cpuFile);
  if (o.heapSample) await s.arm.stopHeapSampling(heapFile);
  const redis = s.arm.redis ? ` | Redis per message: ${perMessage(before, await commandStats(s.arm.redis.url), t.sent)}` : '';
  const cpuUs = (pct: number) => ((pct / 100 / t.rate) * 1e6).toFixed(1);
  const floors = stallFloors(t);
  figures?.push({
    p50: t.latency.p50, p99: t.latency.p99, serverCpuUs: (t.serverCpuPct / 100 / t.rate) * 1e6,
    serverFloor: floors.server ?? Number.NaN, genFloor: floors.generator ?? Number.NaN,
  });
  let line =
    `${t.rate}/s, p50 ${t.latency.p50.toFixed(2)} p99 ${t.latency.p99.toFixed(2)} ms, delivered ${t.delivered}/${t.sent}, ` +
    `CPU per message: server ${cpuUs(t.serverCpuPct)} µs, redis ${cpuUs(t.redisCpuPct)} µs, generator ${cpuUs(t.gen.cpuPct)} µs, other work ${t.foreignCpuPct.toFixed(0)}% of a core (steal ${t.stealCpuPct.toFixed(0)}%)${redis}`;
  if (proc0 && proc1) line += `\n${procLine(proc0, proc1, t.sent)}`;
  line += `\n${windowStallsLine(t.serverStalls, t.genStalls)}`;
  // Beside the profiles: the stalls' times line up with a CPU profile's (the same monotonic clock).
  writeFileSync(join(o.dir, `stalls-${label}-${Date.now()}.json`), JSON.stringify({ server: t.serverStalls, generators: t.genStalls }));
  if (s.arm.redis && o.monitor) line += `\n${await roundTrips(s, s.arm.redis.url)}`;
  if (o.heapSample) line += `\n${summarizeHeapFile(heapFile, t.sent, o.heapSample)}`;
  if (o.cpuProf === 'window') line += `\n${summarizeFile(cpuFile, 30, t.sent)}\n${flameGraphs(cpuFile)}`;
  return line;
}

/** The server's user and kernel CPU and its system calls a message (or pairing), over the window and its drain. */
function procLine(a: ProcCounters, b: ProcCounters, messages: number, unit = 'message'): string {
  const us = (s: number) => ((s * 1e6) / messages).toFixed(1);
  const calls = (n: number) => (n / messages).toFixed(2);
  const bytes = (n: number) => (n / messages).toFixed(0);
  return (
    `server a ${unit} (window and drain): user ${us(b.user - a.user)} µs, kernel ${us(b.system - a.system)} µs, ` +
    `main thread ${us(b.mainThread - a.mainThread)} µs, other threads ${us(b.user + b.system - b.mainThread - (a.user + a.system - a.mainThread))} µs, ` +
    `read calls ${calls(b.readCalls - a.readCalls)} (${bytes(b.readBytes - a.readBytes)} bytes), write calls ${calls(b.writeCalls - a.writeCalls)} (${bytes(b.writeBytes - a.writeBytes)} bytes), ` +
    `minor page faults ${calls(b.minorFaults - a.minorFaults)}, main thread switches ${calls(b.voluntarySwitches - a.voluntarySwitches)} waiting and ` +
    `${calls(b.involuntarySwitches - a.involuntarySwitches)} preempted`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '6000' },
      seconds: { type: 'string', default: '15' },
      conversations: { type: 'string', default: '200' },
      generators: { type: 'string', default: '1' },
      arms: { type: 'string', default: 'baseline,memory,redis' },
      nice: { type: 'string', default: '0' },
      'server-flags': { type: 'string', default: '' },
      'cpu-prof': { type: 'string', default: 'on' },
      monitor: { type: 'string', default: 'on' },
      pairing: { type: 'string', default: '0' },
      memory: { type: 'boolean', default: false },
      'relay-extra-us': { type: 'string', default: '0' },
      repeat: { type: 'string', default: '1' },
      'server-flags-b': { type: 'string' },
      'heap-sample': { type: 'string', default: 'off' },
      'pairing-cold': { type: 'boolean', default: false },
    },
  });
  setBenchPriority(Number(values.nice));
  const dir = join(ROOT, 'test-artifacts', 'bench', 'profiles');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const kinds = (values.arms ?? '').split(',').filter((a): a is ArmKind => a in LABELS);
  const built = await buildAll('dist', kinds.some((k) => k !== 'baseline'));
  const serverFlags = (values['server-flags'] ?? '').split(' ').filter(Boolean);
  const o = { rate: Number(values.rate), seconds: Number(values.seconds), conversations: Number(values.conversations), generators: Number(values.generators), dir, built, serverFlags,
    cpuProf: cpuProfMode(values['cpu-prof']), monitor: values.monitor !== 'off', pairing: Number(values.pairing), memory: values.memory ?? false,
    heapSample: heapSampled(values['heap-sample']), pairingWarmup: !(values['pairing-cold'] ?? false) };
  if (o.heapSample && o.memory) throw new Error('--heap-sample profiles the message or pairing window: not with --memory');
  const extras = (values['relay-extra-us'] ?? '0').split(',').map(Number);
  const flagSets = [serverFlags, ...(values['server-flags-b'] === undefined ? [] : [values['server-flags-b'].split(' ').filter(Boolean)])];
  const runs = new Map<string, RunFigures[]>();
  for (let round = 0; round < Math.max(1, Number(values.repeat)); round++) {
    for (const kind of kinds) {
      for (const relayExtraCpuUs of kind === 'baseline' ? extras : [0]) {
        for (const flags of flagSets) {
          const run = { ...o, relayExtraCpuUs, serverFlags: flags };
          const key = `${labelOf(kind, run)}${flagSets.length > 1 ? ` [${flags.join(' ') || 'no flags'}]` : ''}`;
          const figures = runs.get(key) ?? [];
          runs.set(key, figures);
          console.log(`\n${flagSets.length > 1 ? `[${flags.join(' ') || 'no flags'}] ` : ''}${await profileArm(kind, run, figures)}`);
        }
      }
    }
  }
  if (Number(values.repeat) > 1) console.log(`\n${repeatSummary(runs)}`);
}

function cpuProfMode(value: string | undefined): ProfileOptions['cpuProf'] {
  if (value === undefined) return 'on';
  if (value === 'on' || value === 'off' || value === 'window') return value;
  throw new Error(`--cpu-prof: on, off or window, not ${value}`);
}

function heapSampled(value: string | undefined): HeapSampled | undefined {
  if (value === 'promoted' || value === 'all') return value;
  if (value === undefined || value === 'off') return undefined;
  throw new Error(`--heap-sample: promoted, all or off, not ${value}`);
}

/** Median and spread of each figure over the repeated runs of each arm. */
function repeatSummary(runs: Map<string, RunFigures[]>): string {
  const lines = ['medians over the repeated runs (all values sorted in brackets):'];
  for (const [key, figures] of runs) {
    if (figures.length === 0) continue;
    const of = (pick: (f: RunFigures) => number, digits: number) => {
      const values = figures.map(pick).sort((a, b) => a - b);
      return `${median(values).toFixed(digits)} [${values.map((v) => v.toFixed(digits)).join(' ')}]`;
    };
    lines.push(
      `  ${key}: p99 ${of((f) => f.p99, 1)} ms; p50 ${of((f) => f.p50, 2)} ms; server ${of((f) => f.serverCpuUs, 1)} µs a message; ` +
        `stall floor of p99: server ${of((f) => f.serverFloor, 1)} ms, generator ${of((f) => f.genFloor, 1)} ms`,
    );
  }
  return lines.join('\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
