/** Conversation state changes: assign, requeue, transfer, end. Every check runs before any change. */
import { AppError } from '../../../shared/errors';
import { StaleReadError } from '../stale-read';
import type { ConversationRecord, EndInput, PresenceRecord, Store, Transition } from '../types';
import {
  adjustLoad,
  indexActive,
  pushSystem,
  queueItem,
  requireEntry,
  requireOwnActive,
  secondsBetween,
  transition,
  unindexActive,
} from './conversation-state';
import { requeuedAt } from '../queue-order';
import { timerKeys } from '../timer-keys';
import { cancelTimer, scheduleTimer } from './timers';
import type { ConversationEntry, MemoryState } from './state';

type TransitionMethods = Pick<Store, 'assign' | 'assignInOrder' | 'requeue' | 'transfer' | 'endConversation'>;

/** The state-machine half of the Store. */
export function transitionMethods(state: MemoryState): TransitionMethods {
  const methods: TransitionMethods = {
    async assign(input) {
      const entry = requireEntry(state, input.conversationId);
      if (entry.record.state !== 'queued') throw new AppError('already_taken');
      const presence = eligibleListener(state, entry.record, input.listenerId, { manual: input.manual });
      const before = { ...entry.record };
      state.queue.remove(queueItem(entry.record));
      cancelTimer(state, timerKeys.longWait(entry.record.id));
      giveTo(state, entry.record, presence, input.now);
      const first = countAnswer(state, entry, input.now, input.day);
      const result = transition(entry, before, pushSystem(entry, 'assigned', input.now));
      if (first) result.firstAnswer = true;
      result.history = entry.transcript.slice(0);
      result.listenerName = presence.displayName;
      return result;
    },

    async assignInOrder(plan, now, day) {
      const done: Transition[] = [];
      for (const a of plan) {
        const record = state.conversations.get(a.conversationId)?.record;
        if (record && record.language !== a.language) return { done, refusal: new StaleReadError() };
        try {
          done.push(await methods.assign({ conversationId: a.conversationId, listenerId: a.listenerId, manual: false, now, day }));
        } catch (err) {
          if (err instanceof AppError) return { done, refusal: err };
          throw err;
        }
      }
      return { done };
    },

    async requeue(input) {
      const entry = requireEntry(state, input.conversationId);
      requireOwnActive(entry.record, input.listenerId);
      const before = { ...entry.record };
      takeFromListener(state, entry.record);
      entry.record.state = 'queued';
      entry.record.queuedAt = requeuedAt(entry.record.startedAt);
      // Only a hand-back on purpose keeps it from that listener: a lost connection is no refusal.
      if (input.code === 'transferred') entry.record.releasedBy = input.listenerId;
      delete entry.record.assignedAt;
      state.queue.add(queueItem(entry.record));
      if (input.longWaitAt !== undefined) scheduleTimer(state, timerKeys.longWait(entry.record.id), input.longWaitAt);
      return transition(entry, before, pushSystem(entry, input.code, input.now));
    },

    async transfer(input) {
      const entry = requireEntry(state, input.conversationId);
      requireOwnActive(entry.record, input.fromListenerId);
      if (input.toListenerId === input.fromListenerId) throw new AppError('not_available');
      const presence = eligibleListener(state, entry.record, input.toListenerId, { manual: true });
      const before = { ...entry.record };
      takeFromListener(state, entry.record);
      giveTo(state, entry.record, presence, input.now);
      const result = transition(entry, before, pushSystem(entry, 'transferred', input.now));
      result.listenerName = presence.displayName;
      return result;
    },

    async endConversation(input) {
      const entry = requireEntry(state, input.conversationId);
      checkEnder(entry.record, input);
      const before = { ...entry.record };
      if (input.blockVisitorUntil !== undefined) blockVisitor(state, entry.record.visitorId, input.blockVisitorUntil);
      // Once ended, only a first wrap-up (written after the visitor left) and a block still apply.
      if (before.state === 'ended') {
        if (input.outcome !== undefined && entry.record.outcome === undefined) entry.record.outcome = structuredClone(input.outcome);
        return transition(entry, before);
      }
      closeOut(state, entry, input);
      state.expiries.set(entry.record.id, state.clock() + input.retentionSeconds * 1000);
      return transition(entry, before, pushSystem(entry, 'ended', input.now));
    },
  };
  return methods;
}

/**
 * The listener's presence when they may take this conversation now. `manual` (chat:accept by hand,
 * transfer target) allows an away status; a connection and the language are always required.
 */
function eligibleListener(state: MemoryState, record: ConversationRecord, listenerId: string, opts: { manual: boolean }): PresenceRecord {
  const presence = state.presence.get(listenerId);
  if (!presence || presence.connections <= 0) throw new AppError('not_available');
  if (!opts.manual && presence.status !== 'available') throw new AppError('not_available');
  if (!presence.languages.includes(record.language)) throw new AppError('not_available');
  if (presence.load >= presence.maxConcurrent) throw new AppError('at_capacity');
  return presence;
}

/** Makes the conversation active with this listener and counts it in their load. */
function giveTo(state: MemoryState, record: ConversationRecord, presence: PresenceRecord, now: number): void {
  record.state = 'active';
  record.listenerId = presence.userId;
  delete record.releasedBy;
  // As on Redis: assignedAt is when the current listener got it (a transfer included).
  record.assignedAt = now;
  indexActive(state, record);
  presence.load += 1;
  presence.lastAssignedAt = now;
}

/** Counts the first answer only, so a conversation back from a requeue is not counted twice; true when it was the first. */
function countAnswer(state: MemoryState, entry: ConversationEntry, now: number, day: string): boolean {
  if (entry.answeredAt !== undefined) return false;
  entry.answeredAt = now;
  state.stats.answered(day, now, secondsBetween(entry.record.startedAt, now));
  return true;
}

/** Detaches an active conversation from its listener. */
function takeFromListener(state: MemoryState, record: ConversationRecord): void {
  unindexActive(state, record);
  adjustLoad(state, record.listenerId, -1);
  delete record.listenerId;
}

/** Listeners may end only their own conversation, visitors only theirs. */
function checkEnder(record: ConversationRecord, input: EndInput): void {
  if (input.listenerId !== undefined && record.listenerId !== input.listenerId) throw new AppError('not_yours');
  if (input.visitorId !== undefined && record.visitorId !== input.visitorId) throw new AppError('not_chatting');
}

/** Leaves the queue or the listener, counts the abandon or the duration (from the first answer), and marks the end. */
function closeOut(state: MemoryState, entry: ConversationEntry, input: EndInput): void {
  const record = entry.record;
  const day = state.stats.day(input.day);
  if (record.state === 'queued') {
    state.queue.remove(queueItem(record));
    day.abandoned += 1;
  } else {
    unindexActive(state, record);
    adjustLoad(state, record.listenerId, -1);
    day.durations.push(secondsBetween(entry.answeredAt ?? record.assignedAt ?? input.now, input.now));
  }
  cancelTimer(state, timerKeys.longWait(record.id));
  record.state = 'ended';
  record.endedAt = input.now;
  record.endedBy = input.endedBy;
  if (input.reason !== undefined) record.reason = input.reason;
  if (input.outcome !== undefined) record.outcome = structuredClone(input.outcome);
}

function blockVisitor(state: MemoryState, visitorId: string, until: number): void {
  const visitor = state.visitors.get(visitorId);
  if (visitor) visitor.blockedUntil = until;
}
