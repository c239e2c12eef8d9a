/** What listeners (and supervisors taking chats) can do with conversations. */
import { AppError } from '../../shared/errors';
import type { ConversationView, FlagLevel, ListenerStatus, Message, User } from '../../shared/protocol';
import type { AppendResult, Outcome, PresenceRecord } from '../store/types';
import { afterCommit } from './after-commit';
import type { Announcer } from './announce';
import { dayOf, endTimes, iso, longWaitAt, type DomainContext } from './context';
import type { Dispatcher } from './dispatcher';
import { timerKeys } from './timer-keys';
import { QUEUE_HEAD, nextFor } from './routing';
import { SYNC_LIMIT } from './visitors';
import { conversationView } from './views';


export class ListenerService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly announcer: Announcer,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** A socket of this listener opened: presence up, grace timer off. The caller kicks routing once it has told the socket. */
  async connected(user: User): Promise<{ presence: PresenceRecord; conversations: ConversationView[] }> {
    const { store } = this.ctx;
    const now = this.ctx.clock();
    const presence = await store.listenerConnected({ userId: user.id, nodeId: this.ctx.nodeId, displayName: user.displayName, languages: user.languages, maxConcurrent: user.maxConcurrent, now });
    await store.cancelTimer(timerKeys.listenerGrace(user.id));
    return { presence, conversations: await this.conversationsOf(user.id, new Set()) };
  }

  /** The listener's active conversations with their history, except those in `known`. */
  async conversationsOf(userId: string, known: ReadonlySet<string>): Promise<ConversationView[]> {
    const { store } = this.ctx;
    const now = this.ctx.clock();
    const mine = (await store.listenerConversations(userId)).filter((c) => !known.has(c.id));
    return Promise.all(mine.map(async (c) => conversationView(c, now, await store.readMessages(c.id, 0))));
  }

  /** A socket closed: with none left, the grace period starts. */
  async disconnected(userId: string): Promise<void> {
    const presence = await this.ctx.store.listenerDisconnected(userId, this.ctx.nodeId);
    if (presence && presence.connections === 0) {
      await this.ctx.store.scheduleTimer(timerKeys.listenerGrace(userId), this.ctx.clock() + this.ctx.config.LISTENER_GRACE_SECONDS * 1000);
    }
  }

  async setStatus(userId: string, status: ListenerStatus): Promise<void> {
    const presence = await this.ctx.store.setListenerStatus(userId, status);
    if (!presence) throw new AppError('not_found');
    if (status === 'available') this.dispatcher.kick();
  }

  /** Takes a waiting conversation by hand: the given one, or the next this listener may take. */
  async accept(userId: string, conversationId: string | undefined, socketId: string | null): Promise<ConversationView> {
    const { store } = this.ctx;
    let id = conversationId;
    if (!id) {
      const presence = await store.getPresence(userId);
      const next = presence && nextFor(presence, await store.queuedConversations(presence.languages, QUEUE_HEAD));
      if (!next) throw new AppError('none_waiting');
      id = next.id;
    }
    const now = this.ctx.clock();
    const t = await store.assign({ conversationId: id, listenerId: userId, manual: true, now, day: dayOf(now, this.ctx.config.TIMEZONE) });
    // The conversation is theirs now: what follows may degrade (the console syncs), never fail the reply.
    await afterCommit(this.ctx, 'announce assignment', this.dispatcher.assigned(t, socketId), undefined);
    return conversationView(t.conversation, now, await afterCommit(this.ctx, 'read history', store.readMessages(id, 0), undefined));
  }

  /**
   * Stores and relays a message to the visitor. Another open console of the same listener is not
   * sent a copy (one broadcast per message): it sees the gap in `seq` and syncs. One promise
   * step, no await: this runs for every message.
   */
  send(userId: string, conversationId: string, clientMsgId: string, text: string): Promise<Message> {
    const appended = this.ctx.store.appendMessage({ conversationId, from: 'listener', senderId: userId, text, clientMsgId, now: this.ctx.clock() });
    return appended.then(this.relayToVisitor);
  }

  private readonly relayToVisitor = (r: AppendResult): Message => {
    if (!r.duplicate) {
      this.ctx.metrics.messagesRelayed.listener += 1;
      this.ctx.notifier.toVisitor(r.visitorId, 'message', r.message);
    }
    return r.message;
  };

  async sync(userId: string, conversationId: string, afterSeq: number): Promise<Message[]> {
    await this.own(userId, conversationId);
    return this.ctx.store.readMessages(conversationId, afterSeq, SYNC_LIMIT);
  }

  async typing(userId: string, conversationId: string, isTyping: boolean): Promise<void> {
    const c = await this.ctx.store.getConversation(conversationId);
    if (c?.state !== 'active' || c.listenerId !== userId) return;
    this.ctx.notifier.toVisitor(c.visitorId, 'typing', { conversationId, from: 'listener', isTyping });
  }

  /** Ends the chat with an optional wrap-up. */
  async end(userId: string, conversationId: string, outcome?: Outcome, blockVisitorUntil?: number): Promise<void> {
    const t = await this.ctx.store.endConversation({
      conversationId,
      endedBy: 'listener',
      reason: blockVisitorUntil ? 'blocked' : undefined,
      listenerId: userId,
      outcome,
      blockVisitorUntil,
      ...endTimes(this.ctx),
    });
    this.announcer.ended(t);
    this.dispatcher.kick();
  }

  /** Ends the chat and keeps that visitor session from starting another for BLOCK_HOURS. */
  async block(userId: string, conversationId: string, reason: string): Promise<void> {
    const until = this.ctx.clock() + this.ctx.config.BLOCK_HOURS * 3600 * 1000;
    await this.end(userId, conversationId, { topics: [], risk: 'none', note: `Blocked: ${reason}` }, until);
  }

  /** Gives the conversation back to the queue (front) or to a named colleague. */
  async transfer(userId: string, conversationId: string, to: 'queue' | { listenerId: string }): Promise<void> {
    const { store } = this.ctx;
    const now = this.ctx.clock();
    if (to === 'queue') {
      const t = await store.requeue({ conversationId, listenerId: userId, code: 'transferred', now, longWaitAt: longWaitAt(this.ctx.config, now) });
      await this.announcer.requeued(t);
    } else {
      if (to.listenerId === userId) throw new AppError('not_available');
      const t = await store.transfer({ conversationId, fromListenerId: userId, toListenerId: to.listenerId, now });
      await afterCommit(this.ctx, 'announce transfer', this.dispatcher.assigned(t), undefined);
    }
    this.dispatcher.kick();
  }

  /** Flags the conversation; supervisors are alerted at once. */
  async flag(userId: string, conversationId: string, level: FlagLevel): Promise<void> {
    const now = this.ctx.clock();
    await this.ctx.store.flagConversation({ conversationId, listenerId: userId, level, now });
    this.ctx.notifier.toSupervisors('alert', { kind: 'flag', conversationId, level, at: iso(now) });
  }

  private async own(userId: string, conversationId: string): Promise<void> {
    const c = await this.ctx.store.getConversation(conversationId);
    if (!c) throw new AppError('not_found');
    if (c.listenerId !== userId) throw new AppError('not_yours');
  }
}
