/** Starting conversations, reading them, the queue views, flags and feedback. */
import { AppError } from '../../../shared/errors';
import { byFlagTime } from '../record-order';
import type { ConversationRecord, StartInput, Store } from '../types';
import { isoAt, liveEntry, pushMessage, queueItem, requireEntry, requireOwnActive } from './conversation-state';
import type { ConversationEntry, MemoryState } from './state';
import { timerKeys } from '../timer-keys';
import { scheduleTimer } from './timers';
import { Transcript } from './transcript';

type ConversationMethods = Pick<
  Store,
  | 'startConversation'
  | 'getConversation'
  | 'getConversations'
  | 'queuePositions'
  | 'queuedConversations'
  | 'flagConversation'
  | 'saveFeedback'
  | 'listenerConversations'
  | 'activeCount'
  | 'flaggedConversations'
>;

/** The conversation half of the Store (state changes of assigned chats live in transitions.ts). */
export function conversationMethods(state: MemoryState): ConversationMethods {
  const copy = (id: string): ConversationRecord | null => {
    const entry = liveEntry(state, id);
    return entry ? { ...entry.record } : null;
  };
  const copies = (ids: Iterable<string>): ConversationRecord[] =>
    [...ids].map(copy).filter((c): c is ConversationRecord => c !== null);

  return {
    async startConversation(input) {
      checkCanStart(state, input);
      return start(state, input);
    },
    async getConversation(id) {
      return copy(id);
    },
    async getConversations(ids) {
      return ids.map(copy);
    },
    async queuePositions(ids) {
      return ids.map((id) => {
        const record = liveEntry(state, id)?.record;
        return record?.state === 'queued' ? state.queue.rank(queueItem(record)) : 0;
      });
    },
    async queuedConversations(languages, limit) {
      return copies(state.queue.ids(languages, limit));
    },
    async flagConversation(input) {
      const entry = requireEntry(state, input.conversationId);
      requireOwnActive(entry.record, input.listenerId);
      entry.record.flag = input.level;
      // flaggedAt is "since": raising the level keeps the first time.
      entry.record.flaggedAt ??= input.now;
      return { ...entry.record };
    },
    async saveFeedback(input) {
      const entry = liveEntry(state, input.conversationId);
      if (!entry || entry.record.visitorId !== input.visitorId) throw new AppError('not_found');
      if (entry.record.state !== 'ended') throw new AppError('not_ended');
      if (entry.record.rated) throw new AppError('already_rated');
      entry.record.rated = true;
      entry.feedback = { rating: input.rating, at: input.now, ...(input.comment === undefined ? {} : { comment: input.comment }) };
    },
    async listenerConversations(listenerId) {
      return copies(state.activeByListener.get(listenerId) ?? []);
    },
    async activeCount() {
      return state.active.size;
    },
    async flaggedConversations() {
      return copies(state.active).filter((c) => c.flag !== undefined).sort(byFlagTime);
    },
  };
}

/** Throws `already_active`, `blocked` or `queue_full` before anything changes. */
function checkCanStart(state: MemoryState, input: StartInput): void {
  // As on Redis, a visitor whose record expired meanwhile may still start; there is nothing to check.
  const visitor = state.visitors.get(input.visitorId);
  const current = visitor?.conversationId === undefined ? undefined : liveEntry(state, visitor.conversationId);
  if (current && current.record.state !== 'ended') throw new AppError('already_active');
  if (visitor?.blockedUntil !== undefined && visitor.blockedUntil > input.now) throw new AppError('blocked');
  if (state.conversations.has(input.conversationId)) throw new AppError('internal');
  if (state.queue.size >= input.maxQueued) throw new AppError('queue_full');
}

function start(state: MemoryState, input: StartInput): Awaited<ReturnType<Store['startConversation']>> {
  const record = newRecord(input);
  const entry: ConversationEntry = { record, transcript: new Transcript(record.id) };
  state.conversations.set(record.id, entry);
  state.queue.add(queueItem(record));
  const visitor = state.visitors.get(input.visitorId);
  if (visitor) visitor.conversationId = record.id;
  state.stats.day(input.day).started += 1;
  if (input.longWaitAt !== undefined) scheduleTimer(state, timerKeys.longWait(record.id), input.longWaitAt);
  const position = state.queue.rank(queueItem(record));
  if (!input.firstMessage) return { conversation: { ...record }, position };
  const { text, clientMsgId } = input.firstMessage;
  const firstMessage = pushMessage(entry, { from: 'visitor', text, at: isoAt(input.now), ...(clientMsgId ? { clientMsgId } : {}) });
  return { conversation: { ...record }, position, firstMessage };
}

function newRecord(input: StartInput): ConversationRecord {
  const record: ConversationRecord = {
    id: input.conversationId,
    visitorId: input.visitorId,
    language: input.language,
    urgent: input.urgent,
    state: 'queued',
    startedAt: input.now,
    queuedAt: input.now,
    lastSeq: 0,
  };
  if (input.topic !== undefined) record.topic = input.topic;
  if (input.ageRange !== undefined) record.ageRange = input.ageRange;
  return record;
}
