/**
 * Grace periods and long-wait alerts, on cluster-wide timers kept in the store: every node polls,
 * exactly one claims each due timer, and the handler re-checks the facts before acting (the
 * visitor or listener may have come back on another node in the meantime).
 */
import type { Announcer } from './announce';
import { iso, type DomainContext } from './context';
import type { Dispatcher } from './dispatcher';
import { timerKeys } from './timer-keys';
import type { VisitorService } from './visitors';
import { errorSummary } from '../logger';

const CLAIM_BATCH = 100;
/** When another node could not be asked whether a visitor is back, ask again this much later. */
const RETRY_UNKNOWN_MS = 10_000;


export class Lifecycle {
  constructor(
    private readonly ctx: DomainContext,
    private readonly announcer: Announcer,
    private readonly dispatcher: Dispatcher,
    private readonly visitors: VisitorService,
  ) {}

  /** The visitor's socket closed: their place or chat is kept for the grace period. */
  async visitorDisconnected(visitorId: string): Promise<void> {
    await this.ctx.store.scheduleTimer(timerKeys.visitorGrace(visitorId), this.ctx.clock() + this.ctx.config.VISITOR_GRACE_SECONDS * 1000);
  }

  async visitorConnected(visitorId: string): Promise<void> {
    await this.ctx.store.cancelTimer(timerKeys.visitorGrace(visitorId));
  }

  /** Claims and handles due timers; returns how many were handled. */
  async runDueTimers(): Promise<number> {
    const keys = await this.ctx.store.claimDueTimers(this.ctx.clock(), CLAIM_BATCH);
    await Promise.all(keys.map((key) => this.handle(key).catch((err: unknown) => this.ctx.logger.error({ err: errorSummary(err), timer: key.slice(0, 2) }, 'timer failed'))));
    return keys.length;
  }

  private async handle(key: string): Promise<void> {
    const [kind, id] = [key.slice(0, 2), key.slice(3)];
    if (kind === 'vg') return this.visitorGraceOver(id);
    if (kind === 'lg') return this.listenerGraceOver(id);
    if (kind === 'lw') return this.longWait(id);
  }

  private async visitorGraceOver(visitorId: string): Promise<void> {
    const online = await this.ctx.notifier.visitorOnline(visitorId);
    if (online === null) {
      await this.ctx.store.scheduleTimer(timerKeys.visitorGrace(visitorId), this.ctx.clock() + RETRY_UNKNOWN_MS);
      return;
    }
    if (online) return;
    const visitor = await this.ctx.store.getVisitor(visitorId);
    const c = visitor?.conversationId ? await this.ctx.store.getConversation(visitor.conversationId) : null;
    if (!c || c.state === 'ended') return;
    await this.visitors.endBy(c.id, { endedBy: 'system', reason: 'grace_expired' });
  }

  /** The listener did not come back: each chat goes to the front of its queue, history kept. */
  private async listenerGraceOver(userId: string): Promise<void> {
    const { store } = this.ctx;
    const presence = await store.getPresence(userId);
    if (!presence || presence.connections > 0) return;
    const conversations = await store.listenerConversations(userId);
    for (const c of conversations) {
      const t = await store.requeue({ conversationId: c.id, listenerId: userId, code: 'listener_lost', now: this.ctx.clock() });
      await this.announcer.requeued(t);
    }
    const after = await store.getPresence(userId);
    if (after && after.connections === 0 && after.load === 0) await store.removePresence(userId);
    this.dispatcher.kick();
  }

  private async longWait(conversationId: string): Promise<void> {
    const c = await this.ctx.store.getConversation(conversationId);
    if (c?.state !== 'queued') return;
    this.ctx.notifier.toSupervisors('alert', { kind: 'long_wait', conversationId, at: iso(this.ctx.clock()) });
  }
}
