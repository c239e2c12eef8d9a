/** What an anonymous visitor can do: resume a session, start, write, sync, end, give feedback. */
import { AppError } from '../../shared/errors';
import { errorSummary } from '../logger';
import type { EndReason, Message, VisitorState } from '../../shared/protocol';
import type { AppendResult, ConversationRecord, VisitorRecord } from '../store/types';
import type { Announcer } from './announce';
import { dayOf, endTimes, longWaitAt, type DomainContext } from './context';
import { estimateWait } from './eta';
import type { Dispatcher } from './dispatcher';
import { hashToken, newId, newToken } from './ids';
import type { StatsService } from './stats';
import { visitorState } from './views';

/** More than any real conversation holds: a bound on what one `sync` may read. */
export const SYNC_LIMIT = 10_000;

/** Anonymous sessions expire a day after their last use (connects and starts renew it); the tab forgets the token sooner. */
export const VISITOR_TTL_SECONDS = 24 * 3600;

export interface StartRequest {
  language: string;
  topic?: string;
  ageRange?: ConversationRecord['ageRange'];
  urgent?: boolean;
  firstMessage?: { text: string; clientMsgId?: string };
}

export class VisitorService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly announcer: Announcer,
    private readonly dispatcher: Dispatcher,
    private readonly stats: StatsService,
    private readonly isOpen: (now: number) => boolean,
  ) {}

  /** The visitor behind a token, or a fresh anonymous one when it is missing, unknown or expired. */
  async resume(token: string | undefined): Promise<{ token: string; visitor: VisitorRecord }> {
    const { store } = this.ctx;
    if (token) {
      const found = await store.findVisitorByToken(hashToken(token));
      if (found) return { token, visitor: found };
    }
    const fresh = newToken();
    const visitor = await store.createVisitor(hashToken(fresh), newId(), this.ctx.clock(), VISITOR_TTL_SECONDS);
    return { token: fresh, visitor };
  }

  /** The visitor's current phase, with queue position or listener name as it applies. */
  async state(conversationId: string | undefined): Promise<{ state: VisitorState; conversation: ConversationRecord | null }> {
    const conversation = conversationId ? await this.ctx.store.getConversation(conversationId) : null;
    if (conversation?.state === 'queued') {
      const place = await this.place(conversation);
      return { state: visitorState(conversation, place), conversation };
    }
    if (conversation?.state === 'active' && conversation.listenerId) {
      return { state: visitorState(conversation, { listenerName: await this.announcer.listenerName(conversation.listenerId) }), conversation };
    }
    return { state: visitorState(conversation, {}), conversation };
  }

  /** Place and estimate of a queued conversation. */
  async place(c: Pick<ConversationRecord, 'id' | 'language'>): Promise<{ position: number; estimatedWaitSeconds: number }> {
    const [position] = await this.ctx.store.queuePositions([c.id]);
    return { position, estimatedWaitSeconds: position > 0 ? await this.stats.estimate(c.language, position) : 0 };
  }

  /** Joins the queue; errors `closed`, `already_active`, `blocked`, `queue_full`. */
  async start(visitorId: string, req: StartRequest): Promise<{ conversationId: string; position: number; estimatedWaitSeconds: number }> {
    const { store, config } = this.ctx;
    const now = this.ctx.clock();
    if (!this.isOpen(now)) throw new AppError('closed');
    // Read before the change, so nothing stands between it and the visitor hearing "queued":
    // otherwise routing (this node's or another's) could announce the assignment first.
    const model = await this.stats.waitModel().catch((err: unknown) => {
      this.ctx.logger.warn({ err: errorSummary(err) }, 'no wait model for an estimate');
      return null;
    });
    const { conversation, position, firstMessage } = await store.startConversation({
      conversationId: newId(),
      visitorId,
      language: req.language,
      topic: req.topic,
      ageRange: req.ageRange,
      urgent: req.urgent ?? false,
      now,
      day: dayOf(now, config.TIMEZONE),
      maxQueued: config.MAX_QUEUE,
      firstMessage: req.firstMessage,
      longWaitAt: longWaitAt(config, now),
    });
    if (firstMessage) this.ctx.metrics.messagesRelayed.visitor += 1;
    // The visitor is in the queue now: what follows may degrade, never fail the reply.
    const estimatedWaitSeconds = model ? estimateWait(model, conversation.language, position) : 0;
    this.ctx.notifier.visitorSession(visitorId, visitorState(conversation, { position, estimatedWaitSeconds }));
    this.dispatcher.kick(false);
    return { conversationId: conversation.id, position, estimatedWaitSeconds };
  }

  /**
   * Stores and relays a message; a repeated clientMsgId answers the original seq and relays nothing.
   * One promise step, no await: this runs for every message.
   */
  send(visitorId: string, conversationId: string | undefined, clientMsgId: string, text: string): Promise<Message> {
    if (!conversationId) return Promise.reject(new AppError('not_chatting'));
    const appended = this.ctx.store.appendMessage({ conversationId, from: 'visitor', senderId: visitorId, text, clientMsgId, now: this.ctx.clock() });
    return appended.then(this.relayToListener, asVisitorError);
  }

  private readonly relayToListener = (r: AppendResult): Message => {
    if (!r.duplicate) {
      this.ctx.metrics.messagesRelayed.visitor += 1;
      if (r.listenerId) this.ctx.notifier.toListener(r.listenerId, null, 'message', r.message);
    }
    return r.message;
  };

  /** Messages after `afterSeq` of one of the visitor's own conversations. */
  async sync(visitorId: string, conversationId: string, afterSeq: number): Promise<Message[]> {
    const c = await this.ctx.store.getConversation(conversationId);
    if (!c || c.visitorId !== visitorId) throw new AppError('not_found');
    return this.ctx.store.readMessages(conversationId, afterSeq, SYNC_LIMIT);
  }

  /** Leaves the queue or ends the chat; ending twice is fine. */
  async end(visitorId: string, conversationId: string | undefined, reason?: EndReason): Promise<void> {
    if (!conversationId) throw new AppError('not_chatting');
    await this.endBy(conversationId, { visitorId, endedBy: 'visitor', reason });
  }

  /** Ends a conversation for the visitor's side (visitor action or lapsed grace period). */
  async endBy(conversationId: string, who: { visitorId?: string; endedBy: 'visitor' | 'system'; reason?: EndReason }): Promise<void> {
    const t = await this.ctx.store.endConversation({ conversationId, ...who, ...endTimes(this.ctx) });
    this.announcer.ended(t);
    if (t.previousState === 'active') this.dispatcher.kick();
  }

  /** One rating per ended conversation. */
  async feedback(visitorId: string, conversationId: string, rating: number, comment?: string): Promise<void> {
    const now = this.ctx.clock();
    await this.ctx.store.saveFeedback({ conversationId, visitorId, rating, comment, now, day: dayOf(now, this.ctx.config.TIMEZONE) });
  }

  /** Relays the typing indicator to the listener, if there is one. */
  async typing(visitorId: string, conversationId: string | undefined, isTyping: boolean): Promise<void> {
    if (!conversationId) return;
    const c = await this.ctx.store.getConversation(conversationId);
    if (c?.state !== 'active' || c.visitorId !== visitorId || !c.listenerId) return;
    this.ctx.notifier.toListener(c.listenerId, null, 'typing', { conversationId, from: 'visitor', isTyping });
  }
}

/** For the visitor an expired conversation is simply no conversation. */
function asVisitorError(err: unknown): never {
  throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_chatting') : err;
}
