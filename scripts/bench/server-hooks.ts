/**
 * Benchmark-only IPC hooks for a server process forked by the harness: answers `memory` (after a
 * forced GC when the process runs with --expose-gc), `heap-sampling` (a sampling heap profile of a
 * window the harness chooses), `cpu-window` (a CPU profile of such a window), `loop-stalls` (the
 * event loop's stalls and GC pauses over such a window: see LoopGaps) and `exit` (a normal
 * exit, so --cpu-prof writes its profile). When the harness goes away, the server goes too: no
 * orphans.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { LoopGaps } from './loop-gaps';
import type { HeapSampled, MemoryFigures, ServerReply, ServerRequest } from './types';

function isServerRequest(value: unknown): value is ServerRequest {
  return typeof value === 'object' && value !== null && 'bench' in value && 'id' in value;
}

function measure(forceGc: boolean): MemoryFigures {
  if (forceGc && globalThis.gc) {
    // Two passes: the first may only promote what the second frees.
    globalThis.gc();
    globalThis.gc();
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers };
}

let inspector: Session | undefined;
/** Profiles running on the inspector session: it is connected while there is one. */
let running = 0;

/** The inspector session, connected for the profiles that run (a heap and a CPU profile may overlap). */
function connectInspector(): Session {
  inspector ??= new Session();
  if (running === 0) inspector.connect();
  running += 1;
  return inspector;
}

/** Runs `stop` on the session and writes its profile; disconnects after the last profile, whatever happens. */
async function writeProfile(file: string, stop: (session: Session) => Promise<object>): Promise<void> {
  if (!inspector || running === 0) throw new Error('no profile was started');
  try {
    writeFileSync(file, JSON.stringify(await stop(inspector)));
  } finally {
    running -= 1;
    if (running === 0) inspector.disconnect();
  }
}

/**
 * A sampling heap profile. `promoted` leaves out objects that die young (they cost a scavenge, not
 * a mark): what remains stays alive, or is promoted and freed by a major GC, the garbage that makes
 * old-generation collections long.
 */
async function startHeapSampling(sampled: HeapSampled): Promise<void> {
  await connectInspector().post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: sampled === 'all',
  });
}

async function stopHeapSampling(file: string): Promise<void> {
  // Scavenge first: the young generation still holds the last moments' short-lived objects,
  // which the profile would otherwise count as alive.
  for (let i = 0; i < 2; i++) globalThis.gc?.({ type: 'minor' });
  await writeProfile(file, async (session) => (await session.post('HeapProfiler.stopSampling')).profile);
}

/** Sampling interval of the window's CPU profile: finer than --cpu-prof's 1 ms, for a 10 s window. */
const CPU_SAMPLING_US = 250;

async function startCpuWindow(): Promise<void> {
  const session = connectInspector();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: CPU_SAMPLING_US });
  await session.post('Profiler.start');
}

async function stopCpuWindow(file: string): Promise<void> {
  await writeProfile(file, async (session) => (await session.post('Profiler.stop')).profile);
}

function answer(id: number, work: Promise<void>): void {
  work.then(
    () => reply({ bench: 'reply', id }),
    (err: unknown) => reply({ bench: 'reply', id, error: String(err) }),
  );
}

function reply(message: ServerReply): void {
  if (process.send) process.send(message);
}

const loop = new LoopGaps();

/** Installs the hooks once; a no-op when the process has no IPC channel. */
export function installServerHooks(): void {
  if (!process.send) return;
  process.on('message', (msg: unknown) => {
    if (!isServerRequest(msg)) return;
    if (msg.bench === 'memory') reply({ bench: 'reply', id: msg.id, memory: measure(msg.gc) });
    if (msg.bench === 'heap-sampling') answer(msg.id, msg.action === 'start' ? startHeapSampling(msg.sampled) : stopHeapSampling(msg.file));
    if (msg.bench === 'cpu-window') answer(msg.id, msg.action === 'start' ? startCpuWindow() : stopCpuWindow(msg.file));
    if (msg.bench === 'loop-stalls') {
      if (msg.action === 'start') loop.start();
      reply({ bench: 'reply', id: msg.id, stalls: msg.action === 'stop' ? loop.stop() : undefined });
    }
    if (msg.bench === 'exit') {
      reply({ bench: 'reply', id: msg.id });
      setTimeout(() => process.exit(0), 50);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** Tells the harness the server listens (the baseline calls it; ours is polled on /healthz). */
export function announceReady(port: number): void {
  reply({ bench: 'ready', port });
}
