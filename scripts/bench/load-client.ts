/**
 * A load-generator process, forked by the harness. It holds its own visitors, listeners and
 * conversations, runs one command at a time from the IPC channel, and reports how busy it was
 * itself (CPU, event-loop delay) with every reply so the harness can reject generator-bound runs.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SocketPool, type VisitorSocket } from './load-sockets';
import { runSchedule, Traffic } from './load-traffic';
import type { ConnectResult, EndResult, GenCommand, GenHealth, GenReply, GenRequest, GenResultBody, ListenerSpec, PairResult } from './types';

const CONNECT_PARALLEL = 64;
/** monitorEventLoopDelay reports the timer period plus the delay: subtract the period. */
const ELD_RESOLUTION_MS = 2;
let pool: SocketPool | undefined;
let traffic: Traffic | undefined;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('generator not initialised');
  return value;
}

function countError(errors: Record<string, number>, err: unknown): void {
  const key = err instanceof Error ? err.message.slice(0, 60) : String(err);
  errors[key] = (errors[key] ?? 0) + 1;
}

/** Runs `count` connection attempts at most `ratePerSec` per second and CONNECT_PARALLEL at once. */
async function connectMany(count: number, ratePerSec: number, connect: (i: number) => Promise<unknown>): Promise<ConnectResult> {
  const t0 = performance.now();
  const result: ConnectResult = { connected: 0, failed: 0, errors: {}, ms: 0 };
  let inFlight = 0;
  const attempts: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    while (inFlight >= CONNECT_PARALLEL || performance.now() - t0 < (i * 1000) / ratePerSec) await sleep(1);
    inFlight++;
    const attempt = connect(i).then(
      () => void result.connected++,
      (err: unknown) => {
        result.failed++;
        countError(result.errors, err);
      },
    );
    attempts.push(attempt.finally(() => void inFlight--));
  }
  await Promise.all(attempts);
  result.ms = performance.now() - t0;
  return result;
}

function connectListeners(spec: ListenerSpec): Promise<ConnectResult> {
  const p = need(pool);
  return connectMany(spec.count, 500, (i) => p.connectListener(spec.cookies?.[i], spec.capacity));
}

async function pair(ratePerSec: number, count: number, timeoutMs: number): Promise<PairResult> {
  const p = need(pool);
  const visitors: VisitorSocket[] = p.idle.splice(0, count);
  const samples: number[] = [];
  const errors: Record<string, number> = {};
  p.onPaired = (ms) => samples.push(ms);
  await runSchedule({ ratePerSec, count: visitors.length, durationMs: (visitors.length * 1000) / ratePerSec + 1 }, (i, at) =>
    p.start(visitors[i], at, (code) => countError(errors, new Error(code))),
  );
  const until = performance.now() + timeoutMs;
  const failed = () => Object.values(errors).reduce((a, b) => a + b, 0);
  while (samples.length + failed() < visitors.length && performance.now() < until) await sleep(5);
  p.onPaired = () => undefined;
  await abandon(visitors.filter((v) => !p.paired.has(v)));
  const samplesUs = Uint32Array.from(samples, (ms) => Math.max(1, Math.round(ms * 1000)));
  return { samplesUs, failed: failed(), timedOut: visitors.length - samples.length - failed(), errors };
}

/** Visitors still waiting leave the queue and hang up, so they hold no listener later. */
async function abandon(visitors: VisitorSocket[]): Promise<void> {
  const p = need(pool);
  await Promise.all(visitors.map((v) => new Promise<void>((resolve) => v.timeout(5_000).emit('chat:end', {}, () => resolve()))));
  for (const v of visitors) p.close(v);
}

/** Ends every conversation from the visitor side and waits until the listeners saw it end. */
async function endAll(timeoutMs: number): Promise<EndResult> {
  const p = need(pool);
  const convs = p.conversations;
  let endedSeen = 0;
  p.onListenerEnded = () => void endedSeen++;
  const acks = convs.map(
    (c) =>
      new Promise<boolean>((resolve) => {
        c.visitor.timeout(timeoutMs).emit('chat:end', {}, (err, reply) => resolve(!err && reply.ok));
      }),
  );
  const oks = await Promise.all(acks);
  const ended = oks.filter(Boolean).length;
  const until = performance.now() + timeoutMs;
  while (endedSeen < ended && performance.now() < until) await sleep(5);
  p.onListenerEnded = () => undefined;
  for (const c of convs) p.close(c.visitor);
  p.conversations = [];
  return { ended, failed: convs.length - ended };
}

async function execute(cmd: GenCommand): Promise<GenResultBody> {
  switch (cmd.kind) {
    case 'init':
      traffic = new Traffic(cmd.config.index, cmd.config.text);
      pool = new SocketPool(cmd.config, (side, m) => traffic?.onMessage(side, m));
      return {};
    case 'listeners':
      return connectListeners(cmd.spec);
    case 'visitors':
      return connectMany(cmd.count, cmd.ratePerSec, () => need(pool).connectVisitor());
    case 'pair':
      return pair(cmd.ratePerSec, cmd.count, cmd.timeoutMs);
    case 'traffic': {
      const p = need(pool);
      const schedule = { ratePerSec: cmd.ratePerSec, count: cmd.limit ?? Number.MAX_SAFE_INTEGER, durationMs: cmd.durationMs };
      return need(traffic).run(p.conversations, schedule, cmd.drainMs, () => p.disconnects);
    }
    case 'endAll':
      return endAll(cmd.timeoutMs);
    case 'dropIdle':
      need(pool).dropIdle();
      return {};
    case 'close':
      pool?.closeAll();
      return {};
  }
}

async function handle(req: GenRequest): Promise<void> {
  // A full collection before each traffic window, so that one is unlikely inside it. A generator
  // that stands still for one sends the messages it owed in a burst afterwards, and every arm then
  // has to absorb that burst; at 17,086 msgs/s one fell inside 9 windows of 12 (docs/benchmarks.md,
  // eighteenth session). Outside the window's timing and CPU figures.
  if (req.kind === 'traffic') globalThis.gc?.();
  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  eld.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const health = (): GenHealth => {
    eld.disable();
    const cpu = process.cpuUsage(cpu0);
    const wallUs = (performance.now() - t0) * 1000;
    const cpuPct = wallUs > 0 ? (100 * (cpu.user + cpu.system)) / wallUs : 0;
    const delay = (ns: number) => Math.max(0, ns / 1e6 - ELD_RESOLUTION_MS);
    return { cpuPct, eldP99Ms: delay(eld.percentile(99)), eldMaxMs: delay(eld.max), rssMb: process.memoryUsage().rss / 2 ** 20 };
  };
  let reply: GenReply;
  try {
    reply = { id: req.id, ok: true, body: await execute(req), health: health() };
  } catch (err) {
    reply = { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err), health: health() };
  }
  process.send?.(reply, () => {
    if (req.kind === 'close') process.exit(0);
  });
}

process.on('message', (msg: unknown) => {
  if (typeof msg === 'object' && msg !== null && 'id' in msg && 'kind' in msg) void handle(msg as GenRequest);
});
process.on('disconnect', () => process.exit(0));
