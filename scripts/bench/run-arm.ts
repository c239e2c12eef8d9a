/**
 * One arm's session from start to stop: memory, pairing, maximum rate, round trips at the
 * reference rates, and (Redis arm) the Redis commands each message and each pairing cost.
 */
import { commandStats, type CommandStat } from './arms';
import type { ArmKind } from './arms';
import type { Built } from './build';
import { describeMemory, memoryScenario, rttScenario, searchMax, type MemoryResult, type SearchResult, type Sizes } from './scenarios';
import { LISTENER_CAPACITY } from './staff';
import { windowStallsLine } from './loop-gaps';
import { FOREIGN_LIMIT_PCT, Session, type PairFigures, type TrafficFigures } from './session';

export interface ArmResult {
  label: string;
  kind: ArmKind;
  memory?: MemoryResult;
  pairing: PairFigures[];
  search?: SearchResult;
  rttRates: number[];
  /** The fractions of the reference rate the round trips ran at, in order (`Sizes`). */
  rttFractions: number[];
  /** The round trips at each of `rttFractions`: read them with `rttAt`. */
  rtt: TrafficFigures[];
  /** Redis calls per relayed message (at the middle reference rate) and per pairing. */
  redisPerMessage?: Record<string, number>;
  redisPerPairing?: Record<string, number>;
  failures: string[];
}

/** The round trips at this fraction of the reference rate. */
export function rttAt(a: ArmResult, fraction: number): TrafficFigures | undefined {
  const i = a.rttFractions.indexOf(fraction);
  return i < 0 ? undefined : a.rtt[i];
}

/** The pairings at this many new chats a second. */
export function pairingAt(a: ArmResult, rate: number): PairFigures | undefined {
  return a.pairing.find((x) => x.rate === rate);
}

export interface ArmRunOptions {
  kind: ArmKind;
  label: string;
  built: Built;
  sizes: Sizes;
  /** The baseline's maximum rate the round trips are measured at fractions of; measured here when unset. */
  referenceRate?: number;
  logDir: string;
  profileDir?: string;
  log: (line: string) => void;
  /** Extra node flags for the server (e.g. `--trace-gc`). */
  serverFlags?: string[];
}

function perUnit(before: Record<string, CommandStat>, after: Record<string, CommandStat>, units: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cmd, a] of Object.entries(after)) {
    const calls = a.calls - (before[cmd]?.calls ?? 0);
    if (calls > 0 && units > 0) out[cmd] = calls / units;
  }
  return out;
}

async function redisStats(s: Session): Promise<Record<string, CommandStat>> {
  return s.arm.redis ? commandStats(s.arm.redis.url) : {};
}

function describe(t: TrafficFigures): string {
  const flags = [t.genBound ? 'GEN-BOUND' : '', t.foreignCpuPct > FOREIGN_LIMIT_PCT ? `NOISY(other ${t.foreignCpuPct.toFixed(0)}%, of it steal ${t.stealCpuPct.toFixed(0)}%)` : '', t.growing ? 'growing' : '', t.delivered < t.sent ? `lost ${t.sent - t.delivered}` : ''].filter(Boolean);
  const errs = Object.keys(t.errors).length ? ` errors ${JSON.stringify(t.errors)}` : '';
  return (
    `rate ${t.rate}/s p50 ${t.latency.p50.toFixed(2)} p99 ${t.latency.p99.toFixed(2)} ms, sent ${t.sent} delivered ${t.delivered}, ` +
    `cpu: server ${t.serverCpuPct.toFixed(0)}%${t.redisCpuPct ? ` redis ${t.redisCpuPct.toFixed(0)}%` : ''} gen ${t.gen.cpuPct.toFixed(0)}% machine ${t.machineCpuPct.toFixed(0)}%, ` +
    `gen eld99 ${t.gen.eldP99Ms.toFixed(1)} ms ${flags.join(' ')}${errs}` +
    (t.serverStalls || t.genStalls ? `\n      ${windowStallsLine(t.serverStalls, t.genStalls)}` : '')
  );
}

/**
 * Pairing latency at each rate, after one unrecorded pass at the highest: the first chats a
 * process ever pairs run through cold code while the JIT compiles it on helper threads, and a
 * helpline's server pairs warm. The message windows get a warm-up of their own the same way.
 */
async function pairings(s: Session, o: ArmRunOptions, result: ArmResult): Promise<void> {
  const capacity = o.sizes.generators * o.sizes.listenersPerGen * LISTENER_CAPACITY;
  const pairAt = async (rate: number, measured: (p: PairFigures, redis: Record<string, number>) => void) => {
    const count = Math.min(capacity, Math.max(10, Math.round(rate * o.sizes.pairSeconds)));
    await s.connectVisitors(count, 1000);
    const before = await redisStats(s);
    const p = await s.pair(count, rate);
    measured(p, s.arm.redis ? perUnit(before, await redisStats(s), p.latency.n) : {});
    await s.endAll();
    await s.dropIdle();
  };
  const top = Math.max(...o.sizes.pairRates);
  await pairAt(top, (p) => o.log(`  ${o.label} pairing warm-up ${top}/s: p50 ${p.latency.p50.toFixed(2)} p99 ${p.latency.p99.toFixed(2)} ms (not counted)`));
  for (const rate of o.sizes.pairRates) {
    await pairAt(rate, (p, redis) => {
      if (s.arm.redis) result.redisPerPairing = redis;
      result.pairing.push(p);
      o.log(`  ${o.label} pairing ${rate}/s: p50 ${p.latency.p50.toFixed(2)} p99 ${p.latency.p99.toFixed(2)} ms (n ${p.latency.n}, timed out ${p.timedOut}, failed ${p.failed})`);
    });
  }
}

async function roundTrips(s: Session, o: ArmRunOptions, result: ArmResult, reference: number): Promise<void> {
  result.rttFractions = o.sizes.rttFractions;
  result.rttRates = o.sizes.rttFractions.map((f) => Math.round(f * reference));
  const middle = Math.floor(result.rttRates.length / 2);
  for (const [i, rate] of result.rttRates.entries()) {
    const before = i === middle ? await redisStats(s) : {};
    // A window run again counts alone, but Redis counted the commands of both.
    let sent = 0;
    const [t] = await rttScenario(s, [rate], o.sizes.rttWindowMs, o.sizes.drainMs, (w) => {
      sent += w.sent;
      o.log(`  ${o.label} round trip ${describe(w)}`);
    });
    if (i === middle && s.arm.redis) result.redisPerMessage = perUnit(before, await redisStats(s), sent);
    result.rtt.push(t);
  }
}

async function measure(s: Session, o: ArmRunOptions, result: ArmResult): Promise<void> {
  result.memory = await memoryScenario(s, o.sizes.memorySteps);
  o.log(`  ${o.label} memory: ${describeMemory(result.memory)}`);
  const listeners = await s.connectListeners();
  if (listeners.failed > 0) throw new Error(`listeners failed to connect: ${JSON.stringify(listeners.errors)}`);
  await pairings(s, o, result);
  const added = await s.addConversations(o.sizes.trafficConversations, 500);
  o.log(`  ${o.label} ${added.pair.latency.n} conversations for traffic`);
  // Warm-up: JIT and buffers settle before the first measured window.
  await s.traffic(o.sizes.search.start / 2, Math.min(3000, o.sizes.search.windowMs / 2), o.sizes.drainMs);
  result.search = await searchMax(s, o.sizes, (t) => o.log(`  ${o.label} search ${describe(t)}`));
  o.log(`  ${o.label} max sustained ${Math.round(result.search.max)} msgs/s${result.search.genBound ? ' (generator-bound: at least this)' : ''}`);
  await roundTrips(s, o, result, o.referenceRate ?? result.search.max);
}

/** Runs every figure of one arm; a failure is recorded, not thrown, so other arms still run. */
export async function runArm(o: ArmRunOptions): Promise<ArmResult> {
  const result: ArmResult = { label: o.label, kind: o.kind, pairing: [], rttFractions: [], rttRates: [], rtt: [], failures: [] };
  const t0 = Date.now();
  let s: Session | undefined;
  try {
    s = await Session.open({
      kind: o.kind, label: o.label, built: o.built, generators: o.sizes.generators,
      listenersPerGen: o.sizes.listenersPerGen, logDir: o.logDir, profileDir: o.profileDir,
      quietWaitMs: o.sizes.quietWaitMs, quietSampleMs: o.sizes.quietSampleMs, log: o.log, serverFlags: o.serverFlags,
    });
    await measure(s, o, result);
  } catch (err) {
    result.failures.push(err instanceof Error ? err.message : String(err));
    o.log(`  ${o.label} FAILED: ${result.failures.at(-1)}`);
  } finally {
    await s?.close().catch(() => undefined);
  }
  o.log(`  ${o.label} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return result;
}
