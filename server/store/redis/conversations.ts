/** Conversations on Redis: creation, messages, flags, feedback and the reads around them. */
import type { FlagLevel, Message } from '../../../shared/protocol';
import type { AppendInput, AppendResult, ConversationRecord, StartInput } from '../types';
import { AppendBatcher } from './append-batch';
import { asHash, hashFromFlat, toConversation, toMessage } from './codec';
import { DAY_STATS_TTL_SECONDS, execPipeline, iso, type RedisContext } from './context';
import { byFlagTime } from '../record-order';
import { withFreshRead } from './scripts';
import { timerKeys } from '../timer-keys';

/** Added to the score of non-urgent conversations, so every urgent one sorts first. */
export const URGENT_BAND = 1e13;

/** A script's two arguments for an optional long-wait timer: its name ('' for none) and when it is due. */
export function longWaitArgs(conversationId: string, dueAt: number | undefined): [string, number] {
  return dueAt === undefined ? ['', 0] : [timerKeys.longWait(conversationId), dueAt];
}

/** Where a conversation sits in its language's queue. */
export function queueScore(urgent: boolean, queuedAt: number): number {
  return (urgent ? 0 : 1) * URGENT_BAND + queuedAt;
}

export class RedisConversations {
  private readonly batcher: AppendBatcher;

  constructor(private readonly ctx: RedisContext) {
    this.batcher = new AppendBatcher(ctx);
  }

  /** Creates a queued conversation (and its first message) in one script. */
  async start(input: StartInput): Promise<{ conversation: ConversationRecord; position: number; firstMessage?: Message }> {
    const { keys } = this.ctx;
    const reply = await withFreshRead(async () => {
      const currentId = (await this.ctx.client.hget(keys.visitor(input.visitorId), 'conversationId')) ?? '';
      return this.ctx.scripts.run(
        'startConversation',
        [
          keys.visitor(input.visitorId), keys.conversation(currentId || input.conversationId),
          keys.conversation(input.conversationId), keys.messages(input.conversationId), keys.dedup(input.conversationId),
          keys.queue(input.language), keys.queueLanguages, keys.queueWaiting, keys.dayCounters(input.day), keys.timers,
        ],
        [
          input.conversationId, input.visitorId, currentId, input.language, input.topic ?? '', input.ageRange ?? '',
          input.urgent ? '1' : '0', input.now, queueScore(input.urgent, input.now), input.maxQueued,
          DAY_STATS_TTL_SECONDS, input.firstMessage?.text ?? '', input.firstMessage?.clientMsgId ?? '', iso(input.now),
          ...longWaitArgs(input.conversationId, input.longWaitAt),
        ],
      );
    });
    if (!Array.isArray(reply) || reply.length < 3) throw new Error('Unexpected startConversation reply');
    const [position, firstSeq] = [Number(reply[0]), Number(reply[1])];
    const conversation = toConversation(hashFromFlat(reply[2]));
    if (!conversation) throw new Error('Unexpected startConversation reply: no conversation');
    const firstMessage = firstSeq > 0 ? firstMessageOf(input, firstSeq) : undefined;
    return firstMessage ? { conversation, position, firstMessage } : { conversation, position };
  }

  /** One conversation, or null when unknown or expired. */
  async get(id: string): Promise<ConversationRecord | null> {
    return toConversation(await this.ctx.client.hgetall(this.ctx.keys.conversation(id)));
  }

  /** Several conversations in one round trip, null for each unknown one. */
  async getMany(ids: string[]): Promise<(ConversationRecord | null)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.ctx.client.pipeline();
    for (const id of ids) pipeline.hgetall(this.ctx.keys.conversation(id));
    const hashes = await execPipeline(pipeline);
    return hashes.map((hash) => toConversation(asHash(hash)));
  }

  /** Validates, de-duplicates and stores a message; the turn's messages share one script call (the hot path). */
  append(input: AppendInput): Promise<AppendResult> {
    return this.batcher.append(input);
  }

  /** Messages with seq > afterSeq, in order, from the conversation's stream. */
  async readMessages(conversationId: string, afterSeq: number, limit?: number): Promise<Message[]> {
    if (limit !== undefined && limit <= 0) return [];
    const key = this.ctx.keys.messages(conversationId);
    const start = `(0-${Math.max(0, Math.floor(afterSeq))}`;
    const entries = limit === undefined
      ? await this.ctx.client.xrange(key, start, '+')
      : await this.ctx.client.xrange(key, start, '+', 'COUNT', Math.ceil(limit));
    return entries.map((entry) => toMessage(conversationId, entry));
  }

  /** Flags an active conversation of this listener. */
  async flag(input: { conversationId: string; listenerId: string; level: FlagLevel; now: number }): Promise<ConversationRecord> {
    const { keys } = this.ctx;
    const reply = await this.ctx.scripts.run(
      'flagConversation',
      [keys.conversation(input.conversationId), keys.flaggedConversations],
      [input.conversationId, input.listenerId, input.level, input.now],
    );
    const conversation = toConversation(hashFromFlat(reply));
    if (!conversation) throw new Error('Unexpected flagConversation reply');
    return conversation;
  }

  /** Records the visitor's rating of their ended conversation, once. */
  async saveFeedback(input: { conversationId: string; visitorId: string; rating: number; comment?: string; now: number; day: string }): Promise<void> {
    const { keys } = this.ctx;
    await this.ctx.scripts.run(
      'saveFeedback',
      [keys.conversation(input.conversationId), keys.dayCounters(input.day)],
      [input.visitorId, input.rating, input.comment ?? '', input.now, DAY_STATS_TTL_SECONDS],
    );
  }

  /** Active conversations this listener holds. */
  async listenerConversations(listenerId: string): Promise<ConversationRecord[]> {
    const ids = await this.ctx.client.smembers(this.ctx.keys.listenerConversations(listenerId));
    const records = await this.getMany(ids.sort());
    return records.filter((c): c is ConversationRecord => c !== null && c.state === 'active' && c.listenerId === listenerId);
  }

  /** How many conversations are active. */
  activeCount(): Promise<number> {
    return this.ctx.client.scard(this.ctx.keys.activeConversations);
  }

  /** Active flagged conversations, the longest flagged first (a requeued one waits for a listener, not a supervisor). */
  async flagged(): Promise<ConversationRecord[]> {
    const ids = await this.ctx.client.smembers(this.ctx.keys.flaggedConversations);
    const records = await this.getMany(ids);
    return records
      .filter((c): c is ConversationRecord => c !== null && c.flag !== undefined && c.state === 'active')
      .sort(byFlagTime);
  }
}

/** The visitor's first message as the start script stored it. */
function firstMessageOf(input: StartInput, seq: number): Message | undefined {
  if (!input.firstMessage) return undefined;
  const message: Message = {
    conversationId: input.conversationId,
    seq,
    from: 'visitor',
    text: input.firstMessage.text,
    at: iso(input.now),
  };
  if (input.firstMessage.clientMsgId) message.clientMsgId = input.firstMessage.clientMsgId;
  return message;
}
