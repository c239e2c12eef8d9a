/**
 * The one periodic task of a node (no per-socket timers): beats the node's heartbeat and reaps
 * nodes that stopped beating, claims due cluster timers, keeps routing going, sends queue
 * positions to this node's waiting visitors, queue summaries to its listeners, statistics to its
 * supervisors, and records the dashboard's history. (Staff sessions are checked by SessionGuard.)
 */
import type { Server, Socket } from 'socket.io';
import type { StatsSnapshot } from '../../shared/protocol';
import type { SocketDeps } from './deps';
import { errorSummary } from './handler';
import type { VisitorSocketData } from './notifier';

export const TICK_MS = 500;
const QUEUE_EVERY = 2; // ticks: once a second
const STATS_EVERY = 4; // every 2 s
const SAMPLE_EVERY = 60; // every 30 s, always a stats round, whose snapshot it reuses
const REAP_EVERY = 4; // every 2 s: a dead node's sockets are uncounted soon after its heartbeat lapses
const NAMESPACES = ['/visitor', '/listener', '/supervisor'] as const;
const QUEUE_REFRESH_MS = 30_000;
const STUCK_ROUND_MS = 30_000;

export class Ticker {
  private timer: NodeJS.Timeout | null = null;
  private count = 0;
  private busy = false;
  private busySince = 0;
  private lastQueue = '';
  private lastStats = '';
  private lastBeatAt = 0;
  private beating = false;

  constructor(
    private readonly io: Server,
    private readonly deps: SocketDeps,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round; a slow round makes the next ones skip rather than pile up (the heartbeat does not wait for it). */
  async tick(): Promise<void> {
    this.beatIfDue();
    // A round stuck past the deadline (a store call lost on the way) must not stop this node's
    // timers and routing for good: the next tick goes ahead.
    if (this.busy && Date.now() - this.busySince < STUCK_ROUND_MS) return;
    if (this.busy) this.deps.logger.error('a ticker round is stuck; starting the next one');
    this.busy = true;
    this.busySince = Date.now();
    this.count += 1;
    try {
      if (this.count % REAP_EVERY === 0) await this.reap();
      await this.deps.domain.lifecycle.runDueTimers();
      if (this.count % QUEUE_EVERY === 0) await this.queues();
      if (this.count % STATS_EVERY === 0) {
        const snapshot = await this.stats();
        if (this.sampleDue()) await this.sample(snapshot);
      }
    } catch (err) {
      this.deps.logger.error({ err: errorSummary(err) }, 'tick failed');
    } finally {
      this.busy = false;
    }
  }

  /** Beats on its own clock, beside a slow round: a busy node must not look dead. */
  private beatIfDue(): void {
    const now = Date.now();
    if (this.beating || now - this.lastBeatAt < this.deps.domain.lifecycle.heartbeatEveryMs) return;
    this.beating = true;
    this.lastBeatAt = now;
    this.deps.domain.lifecycle
      .heartbeat()
      .then((alive) => {
        if (!alive) this.rejoin();
      })
      .catch((err: unknown) => this.deps.logger.warn({ err: errorSummary(err) }, 'heartbeat failed'))
      .finally(() => {
        this.beating = false;
      });
  }

  /**
   * Other nodes presumed this one dead (it stalled past the timeout) and took back what its
   * sockets counted. Its clients reconnect, so everything is counted afresh.
   */
  private rejoin(): void {
    this.deps.logger.warn('this node was presumed dead and reaped; disconnecting its sockets so they reconnect');
    for (const name of NAMESPACES) this.io.of(name).local.disconnectSockets(true);
  }

  /** Reaps nodes that stopped beating; a failure waits for the next round and holds up nothing else. */
  private async reap(): Promise<void> {
    try {
      await this.deps.domain.lifecycle.reapDeadNodes();
    } catch (err) {
      this.deps.logger.warn({ err: errorSummary(err) }, 'reaping dead nodes failed');
    }
  }

  private async queues(): Promise<void> {
    const summary = await this.deps.domain.stats.queueSummary();
    if (summary.waiting > 0) this.deps.domain.dispatcher.kick();
    const json = JSON.stringify(summary);
    if (json !== this.lastQueue) {
      this.lastQueue = json;
      this.io.of('/listener').local.emit('queue:update', summary);
    }
    await this.visitorPositions();
  }

  /** queue:update to waiting visitors on this node: on every change of place, and every 30 s. */
  private async visitorPositions(): Promise<void> {
    const waiting: Socket[] = [];
    for (const socket of this.io.of('/visitor').sockets.values()) {
      const data = socket.data as VisitorSocketData;
      if (data.phase === 'queued' && data.conversationId) waiting.push(socket);
    }
    if (waiting.length === 0) return;
    const ids = waiting.map((s) => (s.data as VisitorSocketData).conversationId ?? '');
    const positions = await this.deps.domain.ctx.store.queuePositions(ids);
    const now = this.deps.domain.ctx.clock();
    const { stats } = this.deps.domain;
    await Promise.all(
      waiting.map(async (socket, i) => {
        const data = socket.data as VisitorSocketData;
        const position = positions[i];
        if (position === 0) return;
        if (position === data.lastPosition && now - (data.lastQueueUpdateAt ?? 0) < QUEUE_REFRESH_MS) return;
        const conversation = await this.deps.domain.ctx.store.getConversation(ids[i]);
        const estimatedWaitSeconds = conversation ? await stats.estimate(conversation.language, position) : 0;
        data.lastPosition = position;
        data.lastQueueUpdateAt = now;
        socket.emit('queue:update', { conversationId: ids[i], position, estimatedWaitSeconds });
      }),
    );
  }

  /** Pushes the snapshot to this node's supervisors; null when none is connected (nothing computed). */
  private async stats(): Promise<StatsSnapshot | null> {
    const nsp = this.io.of('/supervisor');
    if (nsp.sockets.size === 0) return null;
    const snapshot = await this.deps.domain.stats.snapshot();
    const json = JSON.stringify({ ...snapshot, at: '' });
    if (json === this.lastStats) return snapshot;
    this.lastStats = json;
    nsp.local.emit('stats', snapshot);
    return snapshot;
  }

  /** Every 30 s, and at the first stats round too, so a fresh deployment has a point at once. */
  private sampleDue(): boolean {
    return this.count === STATS_EVERY || this.count % SAMPLE_EVERY === 0;
  }

  /** One history sample cluster-wide per period, recorded even when no supervisor watches. */
  private async sample(snapshot: StatsSnapshot | null): Promise<void> {
    try {
      await this.deps.domain.stats.recordSample(snapshot);
    } catch (err) {
      // A lost sample only leaves a gap in the charts: the rest of the round goes on.
      this.deps.logger.warn({ err: errorSummary(err) }, 'stats sample failed');
    }
  }
}
