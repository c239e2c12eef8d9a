/** Transcript operations: append with de-duplication by clientMsgId, and reads by seq. */
import { AppError } from '../../../shared/errors';
import type { Message } from '../../../shared/protocol';
import type { AppendInput, AppendResult, ConversationRecord, Store } from '../types';
import { isoAt, liveEntry, pushMessage, requireEntry } from './conversation-state';
import type { ConversationEntry, MemoryState } from './state';

type MessageMethods = Pick<Store, 'appendMessage' | 'readMessages'>;

/** The transcript half of the Store. */
export function messageMethods(state: MemoryState): MessageMethods {
  return {
    async appendMessage(input) {
      const entry = requireEntry(state, input.conversationId);
      checkSender(entry.record, input);
      const original = entry.transcript.sentBy(input.from, input.clientMsgId);
      // A retry answers the original even when the state moved on since, so no send is lost or doubled.
      if (original) return appendResult(entry, original, true);
      checkState(entry.record, input);
      const message = pushMessage(entry, { from: input.from, text: input.text, at: isoAt(input.now), clientMsgId: input.clientMsgId });
      return appendResult(entry, message, false);
    },

    async readMessages(conversationId, afterSeq, limit) {
      const entry = liveEntry(state, conversationId);
      if (!entry) return [];
      const start = Math.max(0, Math.floor(afterSeq));
      const end = limit === undefined ? undefined : start + Math.max(0, limit);
      return entry.transcript.slice(start, end);
    },
  };
}

/** Only the conversation's own visitor or current listener may write to it. */
function checkSender(record: ConversationRecord, input: AppendInput): void {
  if (input.from === 'visitor' && record.visitorId !== input.senderId) throw new AppError('not_chatting');
  if (input.from === 'listener' && record.listenerId !== input.senderId) throw new AppError('not_yours');
}

/** Visitors write while queued or active; listeners only while active. */
function checkState(record: ConversationRecord, input: AppendInput): void {
  if (input.from === 'visitor' && record.state === 'ended') throw new AppError('not_chatting');
  if (input.from === 'listener' && record.state !== 'active') throw new AppError('not_yours');
}

function appendResult(entry: ConversationEntry, message: Message, duplicate: boolean): AppendResult {
  const result: AppendResult = { message, duplicate, visitorId: entry.record.visitorId };
  if (entry.record.listenerId !== undefined) result.listenerId = entry.record.listenerId;
  return result;
}
