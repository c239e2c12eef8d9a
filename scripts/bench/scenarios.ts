/**
 * The measurements of one arm session: memory per socket, pairing latency, the maximum sustained
 * message rate, and round trips at fixed rates. Each loop is bounded in steps and time.
 */
import { slope } from './stats';
import { trafficPasses, type Session, type TrafficFigures } from './session';
import { LISTENER_CAPACITY } from './staff';

export interface Sizes {
  generators: number;
  listenersPerGen: number;
  /** Idle visitor counts at which the server's memory is read after a forced GC. */
  memorySteps: number[];
  pairRates: number[];
  pairSeconds: number;
  trafficConversations: number;
  /** The round trips' rates, as fractions of the reference rate (the relay's maximum), in the order they run. */
  rttFractions: number[];
  search: { start: number; factor: number; windowMs: number; maxSteps: number; refineSteps: number };
  rttWindowMs: number;
  drainMs: number;
  /** Longest wait for other work on a shared machine to stop before each measured window. */
  quietWaitMs: number;
  /** How long the machine's load is sampled for that check, before every window. */
  quietSampleMs: number;
}

/** One generator: on two cores a second one would take CPU from the server under test (three busy
 * processes on two cores), and one socket.io-client process drives the baseline to its limit. */
export const QUICK: Sizes = {
  generators: 1,
  listenersPerGen: 20,
  memorySteps: [0, 400, 800],
  pairRates: [100, 500],
  pairSeconds: 0.4,
  trafficConversations: 200,
  // One x1.5 step above the old start of 3,000 (a failing arm is still searched downwards), with
  // 250 ms quiet checks: the quick run had grown to 182 s on the fifteenth session's machine.
  search: { start: 4500, factor: 1.5, windowMs: 2000, maxSteps: 7, refineSteps: 0 },
  rttFractions: [0.25, 0.5, 0.8],
  rttWindowMs: 2000,
  drainMs: 1500,
  quietWaitMs: 1_500,
  quietSampleMs: 250,
};

export const FULL: Sizes = {
  generators: 1,
  listenersPerGen: 120,
  memorySteps: [0, 1000, 2000, 4000],
  pairRates: [100, 500],
  pairSeconds: 2,
  trafficConversations: 1000,
  search: { start: 2000, factor: 1.25, windowMs: 8000, maxSteps: 14, refineSteps: 2 },
  rttFractions: [0.25, 0.5, 0.8],
  rttWindowMs: 10_000,
  drainMs: 3000,
  quietWaitMs: 30_000,
  quietSampleMs: 500,
};

/**
 * `sizes` with counted pairing windows of `seconds`, and listeners enough that every chat of the
 * longest window has room (the chats of a window end only after it). A 2 s window at 500 chats/s
 * is short next to the collector's rhythm: whether one full collection falls in it decides its
 * p99 (docs/benchmarks.md, fourteenth session).
 */
export function withPairSeconds(sizes: Sizes, seconds: number): Sizes {
  const chats = Math.max(...sizes.pairRates) * seconds;
  const listenersPerGen = Math.max(sizes.listenersPerGen, Math.ceil(chats / sizes.generators / LISTENER_CAPACITY));
  return { ...sizes, pairSeconds: seconds, listenersPerGen };
}

export interface MemoryResult {
  heapPerSocket: number;
  rssPerSocket: number;
  points: Array<{ sockets: number; heapUsed: number; rss: number }>;
}

export interface SearchResult {
  max: number;
  /** The search stopped because a generator, not the server, was saturated. */
  genBound: boolean;
  steps: TrafficFigures[];
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Heap and RSS slope per idle connected visitor socket, from forced-GC readings at each step. */
export async function memoryScenario(s: Session, steps: number[]): Promise<MemoryResult> {
  const points: MemoryResult['points'] = [];
  let connected = 0;
  for (const target of steps) {
    if (target > connected) connected += (await s.connectVisitors(target - connected, 1000)).connected;
    await pause(300);
    const m = await s.arm.memory();
    points.push({ sockets: connected, heapUsed: m.heapUsed, rss: m.rss });
  }
  await s.dropIdle();
  return {
    heapPerSocket: slope(points.map((p) => ({ x: p.sockets, y: p.heapUsed }))),
    rssPerSocket: slope(points.map((p) => ({ x: p.sockets, y: p.rss }))),
    points,
  };
}

/** "11.57 KiB heap, 24.86 KiB RSS per socket"; with `points`, also the heap after GC at each step. */
export function describeMemory(m: MemoryResult, points = false): string {
  const line = `${(m.heapPerSocket / 1024).toFixed(2)} KiB heap, ${(m.rssPerSocket / 1024).toFixed(2)} KiB RSS per socket`;
  if (!points) return line;
  return `${line} (heap after GC at ${m.points.map((p) => `${p.sockets}: ${(p.heapUsed / 1048576).toFixed(2)} MiB`).join(', ')})`;
}

/**
 * A traffic window at `rate`, run again once when `again` rejects it; the second counts. Every
 * window run goes to `log`, the rejected one with its flags.
 */
async function windowAt(
  s: Session,
  rate: number,
  windowMs: number,
  drainMs: number,
  again: (t: TrafficFigures) => boolean,
  log: (t: TrafficFigures) => void,
): Promise<TrafficFigures> {
  let t = await s.traffic(Math.round(rate), windowMs, drainMs);
  log(t);
  await pause(500);
  if (again(t)) {
    t = await s.traffic(Math.round(rate), windowMs, drainMs);
    log(t);
    await pause(500);
  }
  return t;
}

/**
 * One search window; one that fails or saturates a generator is run again once, and the second
 * counts. A stall that has nothing to do with the rate (steal time, other work, a collector) can
 * put a window's p99 past 50 ms, or a generator behind its schedule, at any rate: a search once
 * stopped at its first step, 2,000 msgs/s, with a p99 of 152 ms at a third of a core.
 */
function step(s: Session, sizes: Sizes, rate: number, log: (t: TrafficFigures) => void): Promise<TrafficFigures> {
  return windowAt(s, rate, sizes.search.windowMs, sizes.drainMs, (t) => !trafficPasses(t, 50) || t.genBound, log);
}

/** Raises the rate until a window fails (p99 >= 50 ms, loss, growing backlog) or a generator
 * saturates, then bisects between the last pass and the first failure. */
export async function searchMax(s: Session, sizes: Sizes, log: (t: TrafficFigures) => void): Promise<SearchResult> {
  const { start, factor, maxSteps, refineSteps } = sizes.search;
  const steps: TrafficFigures[] = [];
  let rate = start;
  let lastPass = 0;
  let firstFail = 0;
  for (let i = 0; i < maxSteps && rate >= 100; i++) {
    const t = await step(s, sizes, rate, log);
    steps.push(t);
    if (t.genBound) return { max: lastPass, genBound: true, steps };
    if (trafficPasses(t, 50)) {
      lastPass = rate;
      if (firstFail) break;
      rate *= factor;
    } else {
      firstFail = rate;
      if (lastPass) break;
      rate /= 2;
    }
  }
  for (let i = 0; i < refineSteps && lastPass && firstFail > lastPass; i++) {
    const mid = (lastPass + firstFail) / 2;
    const t = await step(s, sizes, mid, log);
    steps.push(t);
    if (t.genBound) return { max: lastPass, genBound: true, steps };
    if (trafficPasses(t, 50)) lastPass = mid;
    else firstFail = mid;
  }
  return { max: Math.round(lastPass), genBound: false, steps };
}

/**
 * Round trips at fixed rates (fractions of the baseline's maximum). A window whose generator
 * saturated measured the generator, not the server (the issue rejects such runs): it is run again
 * once and the second counts; one saturated again stays, and the run health counts it.
 */
export async function rttScenario(s: Session, rates: number[], windowMs: number, drainMs: number, log: (t: TrafficFigures) => void = () => {}): Promise<TrafficFigures[]> {
  const out: TrafficFigures[] = [];
  for (const rate of rates) out.push(await windowAt(s, rate, windowMs, drainMs, (t) => t.genBound, log));
  return out;
}
