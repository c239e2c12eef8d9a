/**
 * One arm under load: its server, the generators aimed at it, the staff accounts (ours only), and
 * the operations scenarios are built from. Figures come back merged over all generators.
 */
import { startArm, type Arm, type ArmKind } from './arms';
import { cpus } from 'node:os';
import { machineTicks, waitForQuiet } from './procs';
import type { Built } from './build';
import { loopFloor, type LoopStalls } from './loop-gaps';
import { GeneratorSet, worstHealth } from './generators';
import { LISTENER_CAPACITY, listenerCookies, supervisorCookie } from './staff';
import { addCounts, backlogGrows, summarize, sumSeries, type LatencySummary } from './stats';
import type { ConnectResult, EndResult, GenHealth, PairResult, TrafficResult } from './types';

/** A generator whose CPU or event-loop delay passes these is the bottleneck: its run is invalid. */
const GEN_CPU_LIMIT_PCT = 90;
const GEN_ELD_LIMIT_MS = 20;

export interface SessionOptions {
  kind: ArmKind;
  label: string;
  built: Built;
  generators: number;
  /** Listener accounts per generator, each taking LISTENER_CAPACITY conversations. */
  listenersPerGen: number;
  logDir: string;
  profileDir?: string;
  /** Longest wait for a quiet machine before each measured window. */
  quietWaitMs?: number;
  /** How long each of those checks samples the machine's load (500 ms when unset). */
  quietSampleMs?: number;
  serverFlags?: string[];
  relayExtraCpuUs?: number;
  log?: (line: string) => void;
}

export interface PairFigures {
  rate: number;
  latency: LatencySummary;
  failed: number;
  timedOut: number;
  errors: Record<string, number>;
  gen: GenHealth;
  genBound: boolean;
}

export interface TrafficFigures {
  rate: number;
  sent: number;
  acked: number;
  delivered: number;
  errors: Record<string, number>;
  latency: LatencySummary;
  growing: boolean;
  disconnects: number;
  unmatched: number;
  gen: GenHealth;
  genBound: boolean;
  serverCpuPct: number;
  redisCpuPct: number;
  /** Busy share of all cores, 100 = every core busy. */
  machineCpuPct: number;
  /** CPU used by processes outside this benchmark (% of one core): other work on a shared machine. */
  foreignCpuPct: number;
  /** Of that, time the hypervisor gave to other machines (steal, % of one core). */
  stealCpuPct: number;
  /** Where the server's event loop stood still over the sending window (absent in older results). */
  serverStalls?: LoopStalls;
  /** The same for each generator. */
  genStalls?: LoopStalls[];
}

/** The floors the server's stalls, and the generators' together, put under a window's p99 (undefined: not recorded). */
export function stallFloors(t: TrafficFigures): { server: number | undefined; generator: number | undefined } {
  return { server: loopFloor([t.serverStalls], 0.01), generator: loopFloor(t.genStalls ?? [], 0.01) };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Foreign load above this (% of one core) makes a window noisy. */
export const FOREIGN_LIMIT_PCT = 25;

export function isGenBound(h: GenHealth): boolean {
  return h.cpuPct >= GEN_CPU_LIMIT_PCT || h.eldP99Ms >= GEN_ELD_LIMIT_MS;
}

/** Whether a traffic window met the bar: every message acked and delivered, p99 under the limit,
 * no growing backlog, no dropped socket. */
export function trafficPasses(t: TrafficFigures, p99LimitMs: number): boolean {
  const clean = t.sent > 0 && t.acked === t.sent && t.delivered === t.sent && Object.keys(t.errors).length === 0;
  return clean && t.latency.p99 < p99LimitMs && !t.growing && t.disconnects === 0;
}

function mergeConnects(parts: ConnectResult[]): ConnectResult {
  const out: ConnectResult = { connected: 0, failed: 0, errors: {}, ms: 0 };
  for (const p of parts) {
    out.connected += p.connected;
    out.failed += p.failed;
    out.ms = Math.max(out.ms, p.ms);
    addCounts(out.errors, p.errors);
  }
  return out;
}

export class Session {
  private cookies: string[][] = [];

  private constructor(
    readonly arm: Arm,
    readonly gens: GeneratorSet,
    private readonly opts: SessionOptions,
  ) {}

  static async open(opts: SessionOptions): Promise<Session> {
    const { kind, built, logDir, label, profileDir, serverFlags, relayExtraCpuUs } = opts;
    const arm = await startArm({ kind, built, logDir, label, profileDir, serverFlags, relayExtraCpuUs });
    try {
      const gens = await GeneratorSet.start(opts.built.loadClient, opts.generators, arm.url, arm.origin, opts.built.nodeFlags);
      return new Session(arm, gens, opts);
    } catch (err) {
      await arm.stop();
      throw err;
    }
  }

  /** Creates and signs in the listener accounts (our server only) and connects one socket each. */
  async connectListeners(): Promise<ConnectResult> {
    const n = this.opts.listenersPerGen;
    if (this.arm.kind !== 'baseline' && this.cookies.length === 0) {
      const target = { url: this.arm.url, origin: this.arm.origin, setupToken: this.arm.setupToken };
      const admin = await supervisorCookie(target);
      for (let i = 0; i < this.gens.size; i++) this.cookies.push(await listenerCookies(target, admin, GeneratorSet.language(i), n));
    }
    const cookiesOf = (i: number) => (this.cookies.length > 0 ? this.cookies[i] : undefined);
    const out = await this.gens.all<ConnectResult>((i) => ({ kind: 'listeners', spec: { cookies: cookiesOf(i), count: n, capacity: LISTENER_CAPACITY } }));
    return mergeConnects(out.bodies);
  }

  async connectVisitors(total: number, ratePerSec: number): Promise<ConnectResult> {
    const rate = ratePerSec / this.gens.size;
    const out = await this.gens.all<ConnectResult>((i) => ({ kind: 'visitors', count: this.gens.share(total, i), ratePerSec: rate }));
    return mergeConnects(out.bodies);
  }

  async dropIdle(): Promise<void> {
    await this.gens.all(() => ({ kind: 'dropIdle' }));
  }

  /** Starts `total` chats from idle visitors at `ratePerSec` and times each pairing. */
  async pair(total: number, ratePerSec: number, timeoutMs = 10_000): Promise<PairFigures> {
    await this.quiet();
    const rate = ratePerSec / this.gens.size;
    const out = await this.gens.all<PairResult>((i) => ({ kind: 'pair', count: this.gens.share(total, i), ratePerSec: rate, timeoutMs }));
    const errors: Record<string, number> = {};
    for (const b of out.bodies) addCounts(errors, b.errors);
    const gen = worstHealth(out.health);
    return {
      rate: ratePerSec,
      latency: summarize(out.bodies.map((b) => b.samplesUs)),
      failed: out.bodies.reduce((a, b) => a + b.failed, 0),
      timedOut: out.bodies.reduce((a, b) => a + b.timedOut, 0),
      errors,
      gen,
      genBound: isGenBound(gen),
    };
  }

  /** Connects visitors and pairs them (not timed as a figure); returns the new conversations. */
  async addConversations(total: number, ratePerSec: number): Promise<{ connect: ConnectResult; pair: PairFigures }> {
    const connect = await this.connectVisitors(total, Math.max(ratePerSec, 1000));
    const pair = await this.pair(connect.connected, ratePerSec, 20_000);
    return { connect, pair };
  }

  async endAll(timeoutMs = 15_000): Promise<EndResult> {
    const out = await this.gens.all<EndResult>(() => ({ kind: 'endAll', timeoutMs }));
    return { ended: out.bodies.reduce((a, b) => a + b.ended, 0), failed: out.bodies.reduce((a, b) => a + b.failed, 0) };
  }

  /** CPU use of the server, its Redis and the whole machine over the next `ms`. */
  private async cpuOver(ms: number): Promise<{ server: number; redis: number; machine: number; steal: number }> {
    const [a0, m0] = await Promise.all([this.arm.cpu(), machineTicks()]);
    const t0 = Date.now();
    await delay(ms);
    const [a1, m1] = await Promise.all([this.arm.cpu(), machineTicks()]);
    const wall = (Date.now() - t0) / 1000;
    const share = (ticks: number) => (100 * ticks) / Math.max(1, m1.total - m0.total);
    return { server: (100 * (a1.server - a0.server)) / wall, redis: (100 * (a1.redis - a0.redis)) / wall, machine: share(m1.busy - m0.busy), steal: share(m1.steal - m0.steal) };
  }

  /** Waits for other work on the machine to calm down (bounded), logging when it had to. */
  async quiet(): Promise<void> {
    const t0 = Date.now();
    const busy = await waitForQuiet(FOREIGN_LIMIT_PCT, this.opts.quietWaitMs ?? 30_000, this.opts.quietSampleMs);
    const waited = Date.now() - t0;
    if (waited > 2_000) this.opts.log?.(`  (waited ${(waited / 1000).toFixed(0)} s for other work on the machine; now ${busy.toFixed(0)}% of a core)`);
  }

  /** One open-loop window of `ratePerSec` messages over every conversation. */
  async traffic(ratePerSec: number, windowMs: number, drainMs: number): Promise<TrafficFigures> {
    await this.quiet();
    const rate = ratePerSec / this.gens.size;
    await this.arm.startLoopStalls();
    const command = this.gens.all<TrafficResult>(() => ({ kind: 'traffic', ratePerSec: rate, durationMs: windowMs, drainMs }));
    // Stopped at the end of the sending window (the drain has no new messages to delay); a server
    // that no longer answers has no figure, and the window's other figures say why.
    const serverStalls = delay(windowMs).then(() => this.arm.stopLoopStalls()).catch(() => undefined);
    // CPU is read over the middle of the sending window, away from its start and drain.
    const cpu = await this.cpuOver(windowMs * 0.8);
    const out = await command;
    const b = out.bodies;
    const sum = (f: (t: TrafficResult) => number) => b.reduce((a, t) => a + f(t), 0);
    const errors: Record<string, number> = {};
    for (const t of b) addCounts(errors, t.ackErrors);
    const gen = { ...worstHealth(out.health), cpuPct: Math.max(...b.map((t) => t.cpuPct)) };
    const ours = cpu.server + cpu.redis + b.reduce((a, t) => a + t.cpuPct, 0);
    return {
      rate: ratePerSec,
      sent: sum((t) => t.sent),
      acked: sum((t) => t.acked),
      delivered: sum((t) => t.delivered),
      errors,
      latency: summarize(b.map((t) => t.samplesUs)),
      growing: backlogGrows(sumSeries(b.map((t) => t.backlog)), ratePerSec),
      disconnects: sum((t) => t.disconnects),
      unmatched: sum((t) => t.unmatched),
      gen,
      genBound: isGenBound(gen) || b.some((t) => t.sendLagP99Ms >= GEN_ELD_LIMIT_MS),
      serverCpuPct: cpu.server,
      redisCpuPct: cpu.redis,
      machineCpuPct: cpu.machine,
      foreignCpuPct: Math.max(0, cpu.machine * cpus().length - ours),
      stealCpuPct: cpu.steal * cpus().length,
      serverStalls: await serverStalls,
      genStalls: b.map((t) => t.stalls),
    };
  }

  async close(): Promise<void> {
    await this.gens.close().catch(() => undefined);
    await this.arm.stop();
  }
}
