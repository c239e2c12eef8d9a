/**
 * Benchmark-only IPC hooks for a server process forked by the harness: answers `memory` (after a
 * forced GC when the process runs with --expose-gc) and `exit` (a normal exit, so --cpu-prof
 * writes its profile). When the harness goes away, the server goes too: no orphans.
 */
import type { MemoryFigures, ServerReply, ServerRequest } from './types';

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

function reply(message: ServerReply): void {
  if (process.send) process.send(message);
}

/** Installs the hooks once; a no-op when the process has no IPC channel. */
export function installServerHooks(): void {
  if (!process.send) return;
  process.on('message', (msg: unknown) => {
    if (!isServerRequest(msg)) return;
    if (msg.bench === 'memory') reply({ bench: 'reply', id: msg.id, memory: measure(msg.gc) });
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
