/**
 * Conversation state changes on Redis: assign, requeue, transfer and end. Each is one script;
 * keys that depend on the conversation's data (its language, its listener) are read first and
 * the script checks they still hold, so no key is ever built inside Lua.
 */
import { AppError } from '../../../shared/errors';
import type { SystemCode } from '../../../shared/protocol';
import { REQUEUE_ADVANCE_MS } from '../queue-order';
import { SYSTEM_TEXT } from '../system-messages';
import { longWaitArgs, URGENT_BAND } from './conversations';
import { timerKeys } from '../timer-keys';
import type { EndInput, PlannedAssignment, RequeueInput, Transition } from '../types';
import { toMessage, toTransitionReply } from './codec';
import { DAY_STATS_TTL_SECONDS, iso, RECENT_WAITS_WINDOW_MS, systemMessage, type RedisContext } from './context';
import { toStoreError, withFreshRead } from './scripts';

interface Snapshot {
  language: string;
  listenerId: string;
  visitorId: string;
}

export class RedisTransitions {
  constructor(private readonly ctx: RedisContext) {}

  /** Gives a queued conversation to a listener. */
  assign(input: { conversationId: string; listenerId: string; manual: boolean; now: number; day: string }): Promise<Transition> {
    return withFreshRead(async () => {
      const { language } = await this.snapshot(input.conversationId);
      const { done, refusal } = await this.assignScript([{ ...input, language }], input.manual, input.now, input.day);
      if (refusal) throw refusal;
      return done[0];
    });
  }

  /** Routing's plan in one script call; see Store.assignInOrder. */
  assignInOrder(plan: readonly PlannedAssignment[], now: number, day: string): Promise<{ done: Transition[]; refusal?: Error }> {
    return this.assignScript(plan, false, now, day);
  }

  private async assignScript(plan: readonly PlannedAssignment[], manual: boolean, now: number, day: string): Promise<{ done: Transition[]; refusal?: Error }> {
    if (plan.length === 0) return { done: [] };
    const { keys } = this.ctx;
    const reply = await this.ctx.scripts.run(
      'assign',
      plan.flatMap(({ conversationId: id, listenerId, language }) => [
        keys.conversation(id), keys.messages(id), keys.queue(language), keys.queueWaiting,
        keys.presence(listenerId), keys.listenerConversations(listenerId), keys.activeConversations,
        keys.dayCounters(day), keys.dayWaits(day), keys.recentWaits, keys.timers,
      ]),
      [
        now, iso(now), SYSTEM_TEXT.assigned, DAY_STATS_TTL_SECONDS, `(${now - RECENT_WAITS_WINDOW_MS}`,
        ...plan.flatMap((a) => [a.conversationId, a.listenerId, a.language, manual ? '1' : '0', timerKeys.longWait(a.conversationId)]),
      ],
    );
    if (!Array.isArray(reply) || reply.length < 1) throw new Error('Unexpected assign reply');
    const [refusal, ...made] = reply as unknown[];
    const done = made.map((r) => {
      const t = this.transition(r, 'assigned', now);
      const stream = Array.isArray(r) ? (r as unknown[])[5] : undefined;
      if (Array.isArray(stream)) t.history = stream.map((entry) => toMessage(t.conversation.id, entry));
      return t;
    });
    if (!refusal) return { done };
    const error = toStoreError(new Error(String(refusal)));
    return { done, refusal: error instanceof Error ? error : new Error(String(refusal)) };
  }

  /** Puts an active conversation back at the front of its queue. */
  requeue(input: RequeueInput): Promise<Transition> {
    const { keys } = this.ctx;
    const id = input.conversationId;
    return withFreshRead(async () => {
      const { language } = await this.snapshot(id);
      const reply = await this.ctx.scripts.run(
        'requeue',
        [
          keys.conversation(id), keys.messages(id), keys.queue(language), keys.queueLanguages, keys.queueWaiting,
          keys.presence(input.listenerId), keys.listenerConversations(input.listenerId), keys.activeConversations, keys.timers,
        ],
        [
          id, input.listenerId, language, input.code, SYSTEM_TEXT[input.code], iso(input.now), REQUEUE_ADVANCE_MS, URGENT_BAND,
          ...longWaitArgs(id, input.longWaitAt),
        ],
      );
      return this.transition(reply, input.code, input.now);
    });
  }

  /** Hands an active conversation to another listener. */
  async transfer(input: { conversationId: string; fromListenerId: string; toListenerId: string; now: number }): Promise<Transition> {
    const { keys } = this.ctx;
    const id = input.conversationId;
    const reply = await this.ctx.scripts.run(
      'transfer',
      [
        keys.conversation(id), keys.messages(id),
        keys.presence(input.fromListenerId), keys.listenerConversations(input.fromListenerId),
        keys.presence(input.toListenerId), keys.listenerConversations(input.toListenerId),
      ],
      [id, input.fromListenerId, input.toListenerId, SYSTEM_TEXT.transferred, input.now, iso(input.now)],
    );
    return this.transition(reply, 'transferred', input.now);
  }

  /** Ends a queued or active conversation; an ended one is returned unchanged. */
  end(input: EndInput): Promise<Transition> {
    const { keys } = this.ctx;
    const id = input.conversationId;
    return withFreshRead(async () => {
      const { language, listenerId, visitorId } = await this.snapshot(id);
      const reply = await this.ctx.scripts.run(
        'endConversation',
        [
          keys.conversation(id), keys.messages(id), keys.dedup(id), keys.queue(language), keys.queueWaiting,
          keys.presence(listenerId), keys.listenerConversations(listenerId), keys.activeConversations,
          keys.flaggedConversations, keys.dayCounters(input.day), keys.dayDurations(input.day), keys.visitor(visitorId), keys.timers,
        ],
        [
          id, listenerId, language, input.listenerId ?? '', input.visitorId ?? '', input.endedBy, input.reason ?? '',
          input.outcome ? JSON.stringify(input.outcome.topics) : '', input.outcome?.risk ?? '', input.outcome?.note ?? '',
          input.blockVisitorUntil ?? '', input.now, iso(input.now), SYSTEM_TEXT.ended,
          Math.max(1, Math.round(input.retentionSeconds * 1000)), DAY_STATS_TTL_SECONDS, timerKeys.longWait(id),
        ],
      );
      return this.transition(reply, 'ended', input.now);
    });
  }

  /** The fields that decide which keys a script needs; not_found when the conversation is gone. */
  private async snapshot(id: string): Promise<Snapshot> {
    const [language, listenerId, visitorId] = await this.ctx.client.hmget(
      this.ctx.keys.conversation(id), 'language', 'listenerId', 'visitorId',
    );
    if (language === null) throw new AppError('not_found');
    return { language, listenerId: listenerId ?? '', visitorId: visitorId ?? '' };
  }

  private transition(reply: unknown, code: SystemCode, now: number): Transition {
    const parsed = toTransitionReply(reply);
    const transition: Transition = { conversation: parsed.conversation, previousState: parsed.previousState };
    const message = systemMessage(parsed.conversation.id, parsed.seq, code, now);
    if (message) transition.message = message;
    if (parsed.previousListenerId) transition.previousListenerId = parsed.previousListenerId;
    if (parsed.firstAnswer) transition.firstAnswer = true;
    if (parsed.listenerName !== undefined) transition.listenerName = parsed.listenerName;
    return transition;
  }
}
