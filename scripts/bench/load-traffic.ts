/**
 * Open-loop load: events fire on a fixed schedule whatever the acks do, and latencies count from
 * the intended send time (so a stalled server cannot hide its stall by slowing the sender).
 */
import { performance } from 'node:perf_hooks';
import type { Message } from '../../shared/protocol';
import type { Conversation } from './load-sockets';
import { LoopGaps } from './loop-gaps';
import type { TrafficResult } from './types';

const TICK_MS = 1;
const BACKLOG_SAMPLE_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Schedule {
  ratePerSec: number;
  count: number;
  durationMs: number;
}

/** Fires `fire(i, intendedAt)` for i = 0.. on schedule until count or duration is reached;
 * returns the lateness of each firing in ms. */
export async function runSchedule(schedule: Schedule, fire: (i: number, intendedAt: number) => void): Promise<Float64Array> {
  const { ratePerSec, count, durationMs } = schedule;
  const total = Math.min(count, Math.floor((ratePerSec * durationMs) / 1000));
  const lags = new Float64Array(total);
  const t0 = performance.now();
  const step = 1000 / ratePerSec;
  let next = 0;
  while (next < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - t0) / step) + 1);
    for (; next < due; next++) {
      const intendedAt = t0 + next * step;
      lags[next] = now - intendedAt;
      fire(next, intendedAt);
    }
    if (now - t0 > durationMs + 5_000) break; // a hopelessly late generator gives up
    await sleep(TICK_MS);
  }
  return lags.subarray(0, next);
}

export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Tracks messages in flight and the round trip of each, keyed by clientMsgId. */
export class Traffic {
  private inflight = new Map<string, number>();
  private samples: number[] = [];
  private counter = 0;
  acked = 0;
  unmatched = 0;
  private ackErrors: Record<string, number> = {};
  private readonly loop = new LoopGaps();

  constructor(
    private readonly genIndex: number,
    private readonly text: string,
  ) {}

  /** The pool calls this for every `message` a socket receives. */
  onMessage(receiver: 'visitor' | 'listener', message: Message): void {
    if (message.from === receiver || message.from === 'system' || !message.clientMsgId) return;
    const sentAt = this.inflight.get(message.clientMsgId);
    if (sentAt === undefined) {
      this.unmatched++;
      return;
    }
    this.inflight.delete(message.clientMsgId);
    this.samples.push(performance.now() - sentAt);
  }

  private onAck(ok: boolean, code: string): void {
    if (ok) this.acked++;
    else this.ackErrors[code] = (this.ackErrors[code] ?? 0) + 1;
  }

  /** Sends one message on one side of a conversation. */
  send(conv: Conversation, fromVisitor: boolean, intendedAt: number): void {
    const clientMsgId = `g${this.genIndex}m${(this.counter++).toString(36).padStart(8, '0')}`;
    this.inflight.set(clientMsgId, intendedAt);
    if (fromVisitor) {
      conv.visitor.emit('message:send', { clientMsgId, text: this.text }, (r) => this.onAck(r.ok, r.ok ? '' : r.error.code));
    } else {
      const payload = { conversationId: conv.id, clientMsgId, text: this.text };
      conv.listener.emit('message:send', payload, (r) => this.onAck(r.ok, r.ok ? '' : r.error.code));
    }
  }

  /** Runs one open-loop window over the conversations: sender k is conversation k mod n, visitor
   * side on even laps and listener side on odd ones, so each side of each conversation sends
   * once every 2n messages. */
  async run(convs: Conversation[], schedule: Schedule, drainMs: number, disconnects: () => number): Promise<TrafficResult> {
    this.reset();
    const n = convs.length;
    if (n === 0) return { ...this.result(0, 0, [], 0, 0), cpuPct: 0, stalls: this.loop.stop() };
    const backlog: number[] = [];
    const sampler = setInterval(() => backlog.push(this.inflight.size), BACKLOG_SAMPLE_MS);
    const before = disconnects();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    this.loop.start();
    const lags = await runSchedule(schedule, (k, at) => this.send(convs[k % n], Math.floor(k / n) % 2 === 0, at));
    const stalls = this.loop.stop();
    const windowMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuPct = (100 * (cpu.user + cpu.system)) / 1000 / windowMs;
    clearInterval(sampler);
    const drainUntil = performance.now() + drainMs;
    while ((this.inflight.size > 0 || this.acked + this.errorCount() < lags.length) && performance.now() < drainUntil) await sleep(10);
    return { ...this.result(lags.length, percentile(lags, 99), backlog, disconnects() - before, windowMs), cpuPct, stalls };
  }

  private errorCount(): number {
    return Object.values(this.ackErrors).reduce((a, b) => a + b, 0);
  }

  private reset(): void {
    this.inflight.clear();
    this.samples = [];
    this.acked = 0;
    this.unmatched = 0;
    this.ackErrors = {};
  }

  private result(sent: number, lagP99: number, backlog: number[], disconnects: number, windowMs: number): Omit<TrafficResult, 'cpuPct' | 'stalls'> {
    const samplesUs = Uint32Array.from(this.samples, (ms) => Math.max(1, Math.round(ms * 1000)));
    const delivered = this.samples.length;
    this.inflight.clear();
    return { sent, acked: this.acked, delivered, ackErrors: this.ackErrors, samplesUs, backlog, sendLagP99Ms: lagP99, unmatched: this.unmatched, disconnects, windowMs };
  }
}
