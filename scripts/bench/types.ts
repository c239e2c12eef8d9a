/**
 * Messages between the harness (parent) and its load-generator processes, and the figures they
 * return. Sent over a fork() IPC channel with 'advanced' serialization, so typed arrays travel as is.
 */
import type { LoopStalls } from './loop-gaps';

/** How a generator reaches the arm under test. */
export interface GenConfig {
  index: number;
  url: string;
  origin: string;
  /** Visitors of this generator ask for this language; its listeners speak only it, so every
   * conversation has both ends in this process and one clock measures it. */
  language: string;
  /** Source addresses in 127.0.0.0/8 to spread sockets over (ephemeral ports per address). */
  localAddresses: string[];
  /** Text of every load message. */
  text: string;
}

/** Listeners of one generator: cookies for our server, or a bare count for the baseline relay. */
export interface ListenerSpec {
  cookies?: string[];
  count: number;
  capacity: number;
}

export type GenCommand =
  | { kind: 'init'; config: GenConfig }
  | { kind: 'listeners'; spec: ListenerSpec }
  | { kind: 'visitors'; count: number; ratePerSec: number }
  | { kind: 'pair'; ratePerSec: number; count: number; timeoutMs: number }
  | { kind: 'traffic'; ratePerSec: number; durationMs: number; drainMs: number; limit?: number }
  | { kind: 'endAll'; timeoutMs: number }
  | { kind: 'dropIdle' }
  | { kind: 'close' };

export type GenRequest = GenCommand & { id: number };

/** How busy the generator itself was during a command: a saturated generator invalidates a run. */
export interface GenHealth {
  cpuPct: number;
  eldP99Ms: number;
  eldMaxMs: number;
  rssMb: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  errors: Record<string, number>;
  ms: number;
}

export interface PairResult {
  /** Pairing latencies in microseconds: chat:start to both sides seeing chat:assigned. */
  samplesUs: Uint32Array;
  failed: number;
  timedOut: number;
  errors: Record<string, number>;
}

export interface TrafficResult {
  sent: number;
  acked: number;
  delivered: number;
  ackErrors: Record<string, number>;
  /** Round trips in microseconds: intended send time to the peer's `message` event. */
  samplesUs: Uint32Array;
  /** Messages still in flight, sampled every 250 ms during the measuring window. */
  backlog: number[];
  /** p99 of how late the generator sent compared with its schedule. */
  sendLagP99Ms: number;
  unmatched: number;
  disconnects: number;
  windowMs: number;
  /** The generator's CPU over the sending window (not the drain). */
  cpuPct: number;
  /** Where the generator's event loop stood still over the sending window. */
  stalls: LoopStalls;
}

export interface EndResult {
  ended: number;
  failed: number;
}

export type GenResultBody = ConnectResult | PairResult | TrafficResult | EndResult | Record<string, never>;

export type GenReply =
  | { id: number; ok: true; body: GenResultBody; health: GenHealth }
  | { id: number; ok: false; error: string; health: GenHealth };

/** Benchmark-only requests the harness sends to a server process over IPC. */
export type ServerRequestBody =
  | { bench: 'memory'; gc: boolean }
  | { bench: 'exit' }
  /** Sampling heap profile (`start`), written to `file` on `stop`: see HeapSampled. */
  | { bench: 'heap-sampling'; action: 'start'; sampled: HeapSampled }
  | { bench: 'heap-sampling'; action: 'stop'; file: string }
  /** CPU profile of a window the harness chooses (`start`), written to `file` on `stop`. */
  | { bench: 'cpu-window'; action: 'start' }
  | { bench: 'cpu-window'; action: 'stop'; file: string }
  /** Event-loop stalls and GC pauses of a window the harness chooses, answered on `stop`. */
  | { bench: 'loop-stalls'; action: 'start' | 'stop' };

/**
 * What a sampling heap profile counts: `promoted`, objects that outlive a scavenge (the garbage a
 * major GC has to collect, and what stays); `all`, every allocation.
 */
export type HeapSampled = 'promoted' | 'all';

export type ServerRequest = ServerRequestBody & { id: number };

export interface MemoryFigures {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  /** ArrayBuffers and SharedArrayBuffers (the in-process transcripts), which `external` leaves out of the second. */
  arrayBuffers: number;
}

export type ServerReply =
  | { bench: 'reply'; id: number; memory?: MemoryFigures; stalls?: LoopStalls; error?: string }
  | { bench: 'ready'; port: number };

export function isServerReply(value: unknown): value is ServerReply {
  return typeof value === 'object' && value !== null && 'bench' in value;
}

export function isGenReply(value: unknown): value is GenReply {
  return typeof value === 'object' && value !== null && 'id' in value && 'ok' in value && 'health' in value;
}

/**
 * Calibration of the baseline: microseconds of CPU the relay burns on each message besides
 * relaying it, to show how the round-trip tail grows with the CPU a message costs on this machine.
 */
export const RELAY_EXTRA_CPU_ENV = 'BENCH_RELAY_EXTRA_CPU_US';
