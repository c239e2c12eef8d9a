/**
 * How many concurrent conversations an arm holds, each side sending a message every 10 s, before
 * p99 passes 100 ms or connections fail. Ramps up in steps; reads memory after a GC at each step.
 */
import { readFile } from 'node:fs/promises';
import type { ArmKind } from './arms';
import type { Built } from './build';
import { windowStallsLine } from './loop-gaps';
import { Session, trafficPasses, type TrafficFigures } from './session';
import { LISTENER_CAPACITY } from './staff';
import { slope } from './stats';

const SECONDS_BETWEEN_MESSAGES = 10;
/** The conversations of each step of the ramp, up to the issue's 20,000 (`--max-conversations` cuts it short). */
export const RAMP_STEPS = [1000, 2000, 4000, 6000, 8000, 10000, 12000, 14000, 16000, 18000, 20000];
const P99_LIMIT_MS = 100;

export interface ConcurrencyStep {
  conversations: number;
  traffic?: TrafficFigures;
  heapUsed: number;
  rss: number;
  connectFailed: number;
  connectErrors: Record<string, number>;
  pairFailed: number;
}

/**
 * What ended a ramp. The server's own failures are in SERVER_STOPS; the rest say nothing of the
 * server: its last step held, the harness could not connect (often the open-files limit), the
 * generator saturated, no window ran, or the run threw.
 */
export type StopKind = 'last step' | 'connections failed' | 'pairings failed' | 'no traffic' | 'generator saturated' | 'latency' | 'backlog' | 'losses' | 'error';

/**
 * The server's own stops: p99 over the limit, a growing backlog, lost messages or disconnects, and
 * failed or timed-out pairings (the server did not pair in time).
 */
export const SERVER_STOPS: ReadonlySet<StopKind> = new Set<StopKind>(['latency', 'backlog', 'losses', 'pairings failed']);

interface Stop {
  kind: StopKind;
  reason: string;
}

export interface ConcurrencyResult {
  label: string;
  held: number;
  sockets: number;
  stopKind: StopKind;
  /** The stop as read in the table, with its figures and the step it happened at. */
  stopReason: string;
  heapPerConversation: number;
  rssPerConversation: number;
  serverFdLimit: string;
  steps: ConcurrencyStep[];
}

export interface ConcurrencyOptions {
  kind: ArmKind;
  label: string;
  built: Built;
  generators: number;
  steps: number[];
  windowMs: number;
  logDir: string;
  log: (line: string) => void;
  /** Extra node flags for the server (e.g. `--trace-gc`). */
  serverFlags?: string[];
}

async function fdLimit(pid: number | undefined): Promise<string> {
  const limits = await readFile(`/proc/${pid}/limits`, 'utf8').catch(() => '');
  return /Max open files\s+(\d+)\s+(\d+)/.exec(limits)?.slice(1, 3).join('/') ?? 'unknown';
}

function why(step: ConcurrencyStep): Stop | undefined {
  const t = step.traffic;
  if (step.connectFailed > 0) return { kind: 'connections failed', reason: `${step.connectFailed} connections failed (${JSON.stringify(step.connectErrors)})` };
  if (step.pairFailed > 0) return { kind: 'pairings failed', reason: `${step.pairFailed} pairings failed or timed out` };
  if (!t) return { kind: 'no traffic', reason: 'no traffic measured' };
  if (t.genBound) return { kind: 'generator saturated', reason: 'load generator saturated' };
  if (!trafficPasses(t, P99_LIMIT_MS)) {
    if (t.latency.p99 >= P99_LIMIT_MS) return { kind: 'latency', reason: `p99 ${t.latency.p99.toFixed(0)} ms` };
    if (t.growing) return { kind: 'backlog', reason: `a growing backlog (p99 ${t.latency.p99.toFixed(0)} ms)` };
    return { kind: 'losses', reason: `lost ${t.sent - t.delivered}, disconnects ${t.disconnects}` };
  }
  return undefined;
}

async function rampStep(s: Session, o: ConcurrencyOptions, target: number, current: number): Promise<ConcurrencyStep> {
  const added = await s.addConversations(target - current, 500);
  const conversations = current + added.pair.latency.n;
  const m = await s.arm.memory();
  const step: ConcurrencyStep = {
    conversations, heapUsed: m.heapUsed, rss: m.rss,
    connectFailed: added.connect.failed, connectErrors: added.connect.errors, pairFailed: added.pair.failed + added.pair.timedOut,
  };
  if (step.connectFailed === 0 && step.pairFailed === 0) {
    const rate = (2 * conversations) / SECONDS_BETWEEN_MESSAGES;
    step.traffic = await s.traffic(rate, o.windowMs, 5_000);
  }
  return step;
}

/** Ramps one arm up through `steps` conversation counts; stops at the first failing step. */
export async function runConcurrency(o: ConcurrencyOptions): Promise<ConcurrencyResult> {
  const top = Math.max(...o.steps);
  // Each step gives a generator at most one conversation more than an even share (the remainder):
  // without room for those, the last step failed a few pairings whatever the server did.
  const listenersPerGen = Math.ceil((top / o.generators + o.steps.length) / LISTENER_CAPACITY);
  const result: ConcurrencyResult = {
    label: o.label, held: 0, sockets: 0, stopKind: 'last step', stopReason: `reached the last step (${top})`,
    heapPerConversation: 0, rssPerConversation: 0, serverFdLimit: 'unknown', steps: [],
  };
  const s = await Session.open({ kind: o.kind, label: `${o.label}-concurrency`, built: o.built, generators: o.generators, listenersPerGen, logDir: o.logDir, serverFlags: o.serverFlags });
  try {
    result.serverFdLimit = await fdLimit(s.arm.child.pid);
    const listeners = await s.connectListeners();
    let current = 0;
    for (const target of o.steps) {
      const step = await rampStep(s, o, target, current);
      result.steps.push(step);
      current = step.conversations;
      const t = step.traffic;
      o.log(`  ${o.label} ${current} conversations: ${t ? `p50 ${t.latency.p50.toFixed(1)} p99 ${t.latency.p99.toFixed(1)} ms, sent ${t.sent} delivered ${t.delivered}` : 'no traffic'}`);
      if (t?.serverStalls) o.log(`    ${windowStallsLine(t.serverStalls, t.genStalls)}`);
      const stop = why(step);
      if (stop) {
        result.stopKind = stop.kind;
        result.stopReason = `${stop.reason} at ${target}`;
        break;
      }
      result.held = current;
      result.sockets = current + listeners.connected;
    }
  } catch (err) {
    result.stopKind = 'error';
    result.stopReason = `error: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await s.close().catch(() => undefined);
  }
  const points = result.steps.map((p) => ({ x: p.conversations, heap: p.heapUsed, rss: p.rss }));
  result.heapPerConversation = slope(points.map((p) => ({ x: p.x, y: p.heap })));
  result.rssPerConversation = slope(points.map((p) => ({ x: p.x, y: p.rss })));
  return result;
}
