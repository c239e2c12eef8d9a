/**
 * Grace periods and long-wait alerts, on cluster-wide timers kept in the store: every node polls,
 * one node at a time holds a lease on each due timer, and the handler re-checks the facts before
 * acting (the visitor or listener may have come back on another node in the meantime). A timer is
 * removed only once handled, so a failed handler or a crashed node leaves it to be claimed again.
 *
 * Also the life of server nodes: each beats a heartbeat into the store, and a node whose heartbeat
 * lapses (killed, frozen) is reaped by another: its sockets count as disconnected from then on.
 */
import { AppError } from '../../shared/errors';
import type { ClaimedTimer, ReapedNode } from '../store/types';
import type { Announcer } from './announce';
import { iso, longWaitAt, type DomainContext } from './context';
import type { Dispatcher } from './dispatcher';
import { hashToken } from './ids';
import { timerKeys } from './timer-keys';
import { VISITOR_TTL_SECONDS, type VisitorService } from './visitors';
import { errorSummary } from '../logger';

const CLAIM_BATCH = 100;
/** A claimed timer not completed by then (its handler failed, its node died) is claimed again. */
export const TIMER_LEASE_MS = 30_000;
/** When another node could not be asked whether a visitor is back, ask again this much later. */
const RETRY_UNKNOWN_MS = 10_000;

export class Lifecycle {
  /** Whether this node's first heartbeat went in: a later beat that finds it unknown means it was reaped. */
  private registered = false;

  constructor(
    private readonly ctx: DomainContext,
    private readonly announcer: Announcer,
    private readonly dispatcher: Dispatcher,
    private readonly visitors: VisitorService,
  ) {}

  /** The visitor's socket closed: their place or chat is kept for the grace period (the handler re-checks). */
  async visitorDisconnected(visitorId: string): Promise<void> {
    const dueAt = this.ctx.clock() + this.ctx.config.VISITOR_GRACE_SECONDS * 1000;
    await this.ctx.store.visitorDisconnected(visitorId, this.ctx.nodeId, dueAt);
  }

  /** A visitor's socket opened here: counted on this node, grace period off, session kept alive. */
  async visitorConnected(visitorId: string, token: string): Promise<void> {
    await this.ctx.store.visitorConnected(visitorId, this.ctx.nodeId);
    await this.visitorActive(visitorId, token);
  }

  /** The visitor uses their session: it expires a full TTL from now, so a long chat keeps it. */
  async visitorActive(visitorId: string, token: string): Promise<void> {
    await this.ctx.store.touchVisitor(hashToken(token), visitorId, VISITOR_TTL_SECONDS);
  }

  /** Claims and handles due timers; returns how many were claimed. */
  async runDueTimers(): Promise<number> {
    const timers = await this.ctx.store.claimDueTimers(this.ctx.clock(), CLAIM_BATCH, TIMER_LEASE_MS);
    await Promise.all(timers.map((timer) => this.runTimer(timer)));
    return timers.length;
  }

  /** Handles one timer and completes it; on failure it stays, to be claimed again when its lease ends. */
  private async runTimer({ key, leaseUntil }: ClaimedTimer): Promise<void> {
    try {
      await this.handle(key);
      await this.ctx.store.completeTimer(key, leaseUntil);
    } catch (err) {
      this.ctx.logger.error({ err: errorSummary(err), timer: key.slice(0, 2) }, 'timer failed; it runs again after its lease');
    }
  }

  private async handle(key: string): Promise<void> {
    const [kind, id] = [key.slice(0, 2), key.slice(3)];
    if (kind === 'vg') return this.visitorGraceOver(id);
    if (kind === 'lg') return this.listenerGraceOver(id);
    if (kind === 'lw') return this.longWait(id);
  }

  /** Every disconnect starts one, so the store is read first: only a running conversation asks the other nodes. */
  private async visitorGraceOver(visitorId: string): Promise<void> {
    const visitor = await this.ctx.store.getVisitor(visitorId);
    const c = visitor?.conversationId ? await this.ctx.store.getConversation(visitor.conversationId) : null;
    if (!c || c.state === 'ended') return;
    const online = await this.ctx.notifier.visitorOnline(visitorId);
    if (online === null) {
      await this.ctx.store.scheduleTimer(timerKeys.visitorGrace(visitorId), this.ctx.clock() + RETRY_UNKNOWN_MS);
      return;
    }
    if (online) return;
    await this.visitors.endBy(c.id, { endedBy: 'system', reason: 'grace_expired' });
  }

  /**
   * The listener did not come back: each chat goes to the front of its queue, history kept. One
   * chat failing does not hold up the others; it makes the timer fail, so a re-claim retries it.
   */
  private async listenerGraceOver(userId: string): Promise<void> {
    const { store } = this.ctx;
    const presence = await store.getPresence(userId);
    if (!presence || presence.connections > 0) return;
    const conversations = await store.listenerConversations(userId);
    const results = await Promise.allSettled(conversations.map((c) => this.requeueLost(userId, c.id)));
    const failed = results.filter((r) => r.status === 'rejected').length;
    const after = await store.getPresence(userId);
    if (after && after.connections === 0 && after.load === 0) await store.removePresence(userId);
    this.dispatcher.kick();
    if (failed > 0) throw new Error(`${failed} of ${conversations.length} conversations could not be requeued`);
  }

  /** Requeues one chat of a lost listener; a chat that moved on meanwhile (ended, taken back) is left alone. */
  private async requeueLost(userId: string, conversationId: string): Promise<void> {
    try {
      const now = this.ctx.clock();
      const t = await this.ctx.store.requeue({ conversationId, listenerId: userId, code: 'listener_lost', now, longWaitAt: longWaitAt(this.ctx.config, now) });
      await this.announcer.requeued(t);
    } catch (err) {
      if (err instanceof AppError) return;
      this.ctx.logger.error({ err: errorSummary(err) }, 'requeue of a lost listener\'s chat failed');
      throw err;
    }
  }

  private async longWait(conversationId: string): Promise<void> {
    const c = await this.ctx.store.getConversation(conversationId);
    if (c?.state !== 'queued') return;
    this.ctx.notifier.toSupervisors('alert', { kind: 'long_wait', conversationId, at: iso(this.ctx.clock()) });
  }

  /** How often a node beats: a few times per timeout, so one late beat does not make it look dead. */
  get heartbeatEveryMs(): number {
    return (this.ctx.config.NODE_TIMEOUT_SECONDS * 1000) / 3;
  }

  /** Keeps this node alive in the store; false when other nodes had presumed it dead and reaped it. */
  async heartbeat(): Promise<boolean> {
    const known = await this.ctx.store.nodeHeartbeat(this.ctx.nodeId, this.ctx.config.NODE_TIMEOUT_SECONDS * 1000);
    const reaped = this.registered && !known;
    this.registered = true;
    return !reaped;
  }

  /** Reaps the nodes whose heartbeat lapsed: their sockets count as disconnected now. */
  async reapDeadNodes(): Promise<ReapedNode[]> {
    const reaped: ReapedNode[] = [];
    for (const nodeId of await this.ctx.store.deadNodes()) {
      const r = await this.ctx.store.reapNode({ nodeId, ...this.graceDueTimes() });
      if (!r) continue;
      reaped.push(r);
      this.ctx.logger.warn({ node: nodeId, visitors: r.visitorIds.length, listeners: r.listenerIds.length }, 'reaped a server node that stopped heartbeating');
    }
    return reaped;
  }

  /** This node stops (after its sockets closed): it leaves the store, with grace timers for anything still counted. */
  async leave(): Promise<void> {
    await this.ctx.store.reapNode({ nodeId: this.ctx.nodeId, ...this.graceDueTimes(), force: true });
  }

  private graceDueTimes(): { visitorGraceDueAt: number; listenerGraceDueAt: number } {
    const now = this.ctx.clock();
    const { VISITOR_GRACE_SECONDS, LISTENER_GRACE_SECONDS } = this.ctx.config;
    return { visitorGraceDueAt: now + VISITOR_GRACE_SECONDS * 1000, listenerGraceDueAt: now + LISTENER_GRACE_SECONDS * 1000 };
  }
}
