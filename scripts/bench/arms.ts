/**
 * Starts one arm's server as its own process (forked, so it answers the benchmark's memory and
 * exit requests over IPC): the baseline relay, or our server with the in-process or Redis store.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { readScriptFiles } from '../../server/store/redis/scripts';
import { freePort, startRedis, type TestRedis } from '../../tests/support/redis-server';
import type { Built } from './build';
import { applyPriority, cpuSeconds, procCounters, stopChild, track, trackPid, type ProcCounters } from './procs';
import type { LoopStalls } from './loop-gaps';
import { isServerReply, RELAY_EXTRA_CPU_ENV, type HeapSampled, type MemoryFigures, type ServerReply, type ServerRequestBody } from './types';

export type ArmKind = 'baseline' | 'memory' | 'redis';

export interface ArmOptions {
  kind: ArmKind;
  built: Built;
  logDir: string;
  label: string;
  /** Write a V8 CPU profile of the server into this folder when it exits. */
  profileDir?: string;
  /** More node flags for the server (diagnosis, e.g. --trace-gc; its output goes to the log). */
  serverFlags?: string[];
  /** Baseline only: CPU time the relay spends on each message besides relaying it (calibration). */
  relayExtraCpuUs?: number;
}

export interface CommandStat {
  calls: number;
  usec: number;
}

const READY_TIMEOUT_MS = 60_000;

export class Arm {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: ServerReply & { bench: 'reply' }) => void>();

  constructor(
    readonly label: string,
    readonly kind: ArmKind,
    readonly url: string,
    readonly setupToken: string,
    readonly child: ChildProcess,
    readonly redis?: TestRedis,
    private readonly onStopped: () => void = () => undefined,
  ) {
    child.on('message', (msg: unknown) => {
      if (!isServerReply(msg) || msg.bench !== 'reply') return;
      this.waiting.get(msg.id)?.(msg);
      this.waiting.delete(msg.id);
    });
  }

  get origin(): string {
    return this.url;
  }

  private request(body: ServerRequestBody, timeoutMs = 30_000): Promise<ServerReply & { bench: 'reply' }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: no reply to ${body.bench}`)), timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.error) reject(new Error(`${this.label}: ${body.bench}: ${reply.error}`));
        else resolve(reply);
      });
      this.child.send({ ...body, id });
    });
  }

  /** Heap and RSS of the server, after a forced full GC. */
  async memory(): Promise<MemoryFigures> {
    const { memory } = await this.request({ bench: 'memory', gc: true });
    if (!memory) throw new Error(`${this.label}: no memory figures`);
    return memory;
  }

  /** Starts a sampling heap profile in the server. */
  async startHeapSampling(sampled: HeapSampled): Promise<void> {
    await this.request({ bench: 'heap-sampling', action: 'start', sampled });
  }

  /** Stops the sampling heap profile and has the server write it to `file`. */
  async stopHeapSampling(file: string): Promise<void> {
    await this.request({ bench: 'heap-sampling', action: 'stop', file });
  }

  /** Starts a CPU profile of the server (a window, unlike --cpu-prof's whole run). */
  async startCpuWindow(): Promise<void> {
    await this.request({ bench: 'cpu-window', action: 'start' });
  }

  /** Stops the window's CPU profile and has the server write it to `file`. */
  async stopCpuWindow(file: string): Promise<void> {
    await this.request({ bench: 'cpu-window', action: 'stop', file });
  }

  /** Starts recording the server's event-loop stalls and GC pauses. */
  async startLoopStalls(): Promise<void> {
    await this.request({ bench: 'loop-stalls', action: 'start' });
  }

  /** The server's event-loop stalls and GC pauses since `startLoopStalls`. */
  async stopLoopStalls(): Promise<LoopStalls> {
    const { stalls } = await this.request({ bench: 'loop-stalls', action: 'stop' });
    if (!stalls) throw new Error(`${this.label}: no loop stalls`);
    return stalls;
  }

  /** CPU seconds used by the server process (and by its redis-server, through INFO). */
  async cpu(): Promise<{ server: number; redis: number }> {
    return { server: await cpuSeconds(this.child.pid), redis: this.redis ? await redisCpu(this.redis.url) : 0 };
  }

  /** The server's CPU split and system calls so far. */
  procCounters(): Promise<ProcCounters | null> {
    return procCounters(this.child.pid);
  }

  async stop(): Promise<void> {
    // A normal exit, so --cpu-prof writes its profile; then make sure.
    await this.request({ bench: 'exit' }, 5_000).catch(() => undefined);
    await stopChild(this.child, 10_000);
    await this.redis?.stop();
    this.onStopped();
  }
}

async function withRedis<T>(url: string, work: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await work(client);
  } finally {
    client.disconnect();
  }
}

async function redisCpu(url: string): Promise<number> {
  const info = await withRedis(url, (c) => c.info('cpu'));
  const value = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return value('used_cpu_user') + value('used_cpu_sys');
}

async function redisPid(url: string): Promise<number | undefined> {
  const info = await withRedis(url, (c) => c.info('server'));
  const pid = /process_id:(\d+)/.exec(info)?.[1];
  return pid ? Number(pid) : undefined;
}

/** Redis INFO commandstats as { command: { calls, usec } }. */
export async function commandStats(url: string): Promise<Record<string, CommandStat>> {
  const info = await withRedis(url, (c) => c.info('commandstats'));
  const stats: Record<string, CommandStat> = {};
  for (const m of info.matchAll(/cmdstat_([^:]+):calls=(\d+),usec=(\d+)/g)) stats[m[1]] = { calls: Number(m[2]), usec: Number(m[3]) };
  return stats;
}

/** Our Lua scripts by SHA1 (what EVALSHA names them by), so MONITOR counts can say which ran. */
function scriptNamesBySha(): Map<string, string> {
  return new Map(readScriptFiles().map(({ name, lua }) => [createHash('sha1').update(lua).digest('hex'), name]));
}

/** Counts the commands Redis runs while `work` runs (MONITOR): sent by clients (round trips)
 * apart from those run inside Lua scripts. For diagnosis only: MONITOR slows Redis down. */
export async function monitorCommands(url: string, work: () => Promise<void>): Promise<{ client: Record<string, number>; lua: Record<string, number> }> {
  const counts = { client: {} as Record<string, number>, lua: {} as Record<string, number> };
  const scripts = scriptNamesBySha();
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const monitor = await client.monitor();
  // ioredis's MONITOR parsing can trip on some lines ("Command queue state error"): counts are
  // approximate then, but the run goes on instead of dying on an unhandled 'error' event.
  for (const c of [client, monitor]) c.on('error', () => undefined);
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const bucket = source === 'lua' ? counts.lua : counts.client;
    let cmd = String(args[0]).toLowerCase();
    if (cmd === 'evalsha') cmd += ` ${scripts.get(String(args[1])) ?? String(args[1]).slice(0, 8)}`;
    bucket[cmd] = (bucket[cmd] ?? 0) + 1;
  });
  try {
    await work();
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    monitor.disconnect();
    client.disconnect();
  }
  return counts;
}

function waitForReadyMessage(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('baseline did not start')), READY_TIMEOUT_MS);
    child.on('message', (msg: unknown) => {
      if (isServerReply(msg) && msg.bench === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}); see its log`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not answer /healthz');
}

/**
 * Every rate limit is checked on every chat start and message, as in production, but scaled so far
 * up that the benchmark's load (all from 127.0.0.1, thousands of messages a second per address)
 * never reaches one.
 */
const RATE_LIMIT_MULTIPLIER = '100000';

function serverEnv(port: number, setupToken: string, redisUrl?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    RATE_LIMIT_MULTIPLIER: RATE_LIMIT_MULTIPLIER,
    LOG_LEVEL: 'warn',
    SETUP_TOKEN: setupToken,
  };
  if (redisUrl) env.REDIS_URL = redisUrl;
  return env;
}

function forkServer(opts: ArmOptions, common: { env: NodeJS.ProcessEnv; log: number }, prof: string[]): ChildProcess {
  const base = { env: common.env, stdio: ['ignore', common.log, common.log, 'ipc'], cwd: join(__dirname, '..', '..') } as const;
  if (opts.kind === 'baseline') return track(fork(opts.built.baseline, [], { ...base, stdio: [...base.stdio], execArgv: ['--expose-gc', ...opts.built.nodeFlags, ...prof] }));
  const { server, serverWrapper } = opts.built;
  const execArgv = ['--expose-gc', '--require', serverWrapper, ...server.execArgv, ...prof];
  return track(fork(server.entry, [], { ...base, stdio: [...base.stdio], execArgv }));
}

/** Starts one arm and resolves once it serves; on failure nothing it started is left running. */
export async function startArm(opts: ArmOptions): Promise<Arm> {
  mkdirSync(opts.logDir, { recursive: true });
  const log = openSync(join(opts.logDir, `${opts.label}.log`), 'a');
  const port = await freePort();
  const setupToken = randomBytes(24).toString('hex');
  const redis = opts.kind === 'redis' ? await startRedis({ appendonly: false }) : undefined;
  const redisId = redis ? await redisPid(redis.url) : undefined;
  applyPriority(redisId);
  const redisTracking = redisId ? trackPid(redisId) : undefined;
  const prof = opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profileDir, '--cpu-prof-name', `${opts.label}.cpuprofile`] : [];
  prof.push(...(opts.serverFlags ?? []));
  const url = `http://127.0.0.1:${port}`;
  const env = serverEnv(port, setupToken, redis?.url);
  if (opts.relayExtraCpuUs) env[RELAY_EXTRA_CPU_ENV] = String(opts.relayExtraCpuUs);
  const child = forkServer(opts, { env, log }, prof);
  closeSync(log); // the child holds its own copy
  try {
    await (opts.kind === 'baseline' ? waitForReadyMessage(child) : waitForHealth(url, child));
  } catch (err) {
    await stopChild(child, 2_000);
    await redis?.stop();
    redisTracking?.forget();
    throw err;
  }
  return new Arm(opts.label, opts.kind, url, setupToken, child, redis, () => redisTracking?.forget());
}
