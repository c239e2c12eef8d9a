/**
 * Benchmark-only IPC hooks for a server process forked by the harness: answers `memory` (after a
 * forced GC when the process runs with --expose-gc), `heap-sampling` (a sampling heap profile of a
 * window the harness chooses) and `exit` (a normal exit, so --cpu-prof writes its profile). When
 * the harness goes away, the server goes too: no orphans.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
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
  return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external };
}

let inspector: Session | undefined;

/**
 * A sampling heap profile. `promoted` leaves out objects that die young (they cost a scavenge, not
 * a mark): what remains stays alive, or is promoted and freed by a major GC, the garbage that makes
 * old-generation collections long.
 */
async function startHeapSampling(sampled: HeapSampled): Promise<void> {
  inspector ??= new Session();
  inspector.connect();
  await inspector.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: sampled === 'all',
  });
}

async function stopHeapSampling(file: string): Promise<void> {
  if (!inspector) throw new Error('no heap sampling was started');
  // Scavenge first: the young generation still holds the last moments' short-lived objects,
  // which the profile would otherwise count as alive.
  for (let i = 0; i < 2; i++) globalThis.gc?.({ type: 'minor' });
  try {
    const { profile } = await inspector.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
  } finally {
    inspector.disconnect();
  }
}

function reply(message: ServerReply): void {
  if (process.send) process.send(message);
}

/** Installs the hooks once; a no-op when the process has no IPC channel. */
export function installServerHooks(): void {
  if (!process.send) return;
  process.on('message', (msg: unknown) => {
    if (!isServerRequest(msg)) return;
    if (msg.bench === 'memory') reply({ bench: 'reply', id: msg.id, memory: measure(msg.gc) });
    if (msg.bench === 'heap-sampling') {
      const id = msg.id;
      (msg.action === 'start' ? startHeapSampling(msg.sampled) : stopHeapSampling(msg.file)).then(
        () => reply({ bench: 'reply', id }),
        (err: unknown) => reply({ bench: 'reply', id, error: String(err) }),
      );
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
