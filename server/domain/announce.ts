/**
 * Tells everyone concerned about a change the store made: the visitor, the listener(s) and, for
 * the visitor, their new phase. One place, so every path (sockets, timers, other nodes' actions)
 * announces the same way.
 */
import type { ChatEnded } from '../../shared/protocol';
import type { ConversationRecord, Transition } from '../store/types';
import { afterCommit } from './after-commit';
import type { DomainContext } from './context';
import type { StatsService } from './stats';
import { conversationView, visitorState } from './views';

const NAME_TTL_MS = 30_000;

export class Announcer {
  private readonly names = new Map<string, { name: string; at: number }>();

  constructor(
    private readonly ctx: DomainContext,
    private readonly stats: StatsService,
  ) {}

  /** The listener's display name as visitors see it (cached briefly: it rarely changes). */
  async listenerName(userId: string): Promise<string> {
    const now = this.ctx.clock();
    const hit = this.names.get(userId);
    if (hit && now - hit.at < NAME_TTL_MS) return hit.name;
    const user = await this.ctx.store.getUser(userId);
    const name = user?.displayName ?? '';
    this.names.set(userId, { name, at: now });
    return name;
  }

  /** A listener now has the conversation: they get it with its history, the visitor learns who. */
  async assigned(t: Transition, exceptSocketId: string | null = null): Promise<void> {
    const c = t.conversation;
    if (!c.listenerId) return;
    // Without the history the listener's console syncs by itself; the assignment stands either way.
    const messages = t.history ?? (await afterCommit(this.ctx, 'read history', this.ctx.store.readMessages(c.id, 0), undefined));
    const { notifier } = this.ctx;
    // The listener first, before the visitor can answer the greeting: a message that reached the
    // console before its conversation would wait there for the next one to reveal the gap. The
    // visitor's system line and who answered go in the same turn, ahead of the listener's first
    // words. The name comes with the transition, from the listener's presence, which is kept in
    // step with their account: no read stands between the two sides hearing of it.
    notifier.toListener(c.listenerId, exceptSocketId, 'chat:assigned', { conversation: conversationView(c, this.ctx.clock(), messages) });
    if (t.message) notifier.toVisitor(c.visitorId, 'message', t.message);
    const displayName = t.listenerName ?? '';
    notifier.toVisitor(c.visitorId, 'chat:assigned', { conversationId: c.id, listener: { displayName } });
    notifier.visitorSession(c.visitorId, visitorState(c, { listenerName: displayName }));
    if (t.previousListenerId && t.previousListenerId !== c.listenerId) {
      notifier.toListener(t.previousListenerId, null, 'chat:removed', { conversationId: c.id, reason: 'transferred' });
    }
  }

  /** The conversation went back to the queue: the visitor waits again (told where), the old listener lets go. */
  async requeued(t: Transition): Promise<void> {
    const c = t.conversation;
    const { notifier, store } = this.ctx;
    if (t.previousListenerId) {
      notifier.toListener(t.previousListenerId, null, 'chat:removed', { conversationId: c.id, reason: 'requeued' });
    }
    if (t.message) notifier.toVisitor(c.visitorId, 'message', t.message);
    const [position] = await afterCommit(this.ctx, 'queue position', store.queuePositions([c.id]), [0]);
    const estimatedWaitSeconds = await afterCommit(this.ctx, 'wait estimate', this.stats.estimate(c.language, position), 0);
    notifier.visitorSession(c.visitorId, visitorState(c, { position, estimatedWaitSeconds }));
    notifier.toVisitor(c.visitorId, 'queue:update', { conversationId: c.id, position, estimatedWaitSeconds });
  }

  /** The conversation ended: both sides get the system message and `chat:ended`. */
  ended(t: Transition): void {
    if (!t.message) return;
    const c: ConversationRecord = t.conversation;
    const event: ChatEnded = { conversationId: c.id, endedBy: c.endedBy ?? 'system' };
    if (c.reason) event.reason = c.reason;
    const { notifier } = this.ctx;
    notifier.toVisitor(c.visitorId, 'message', t.message);
    notifier.toVisitor(c.visitorId, 'chat:ended', event);
    notifier.visitorSession(c.visitorId, visitorState(c, {}));
    if (t.previousListenerId) {
      notifier.toListener(t.previousListenerId, null, 'message', t.message);
      notifier.toListener(t.previousListenerId, null, 'chat:ended', event);
    }
  }
}
