/** Helpers shared by the conversation operations: lookups with lazy expiry, indexes, messages. */
import { AppError } from '../../../shared/errors';
import type { Message, SystemCode } from '../../../shared/protocol';
import { SYSTEM_TEXT } from '../system-messages';
import type { ConversationRecord, Transition } from '../types';
import type { QueueItem } from './language-queues';
import { addToIndex, removeFromIndex, type ConversationEntry, type MemoryState } from './state';
import { iso as isoAt, secondsBetween } from '../../time';

/** The conversation, or undefined when unknown or past its retention (then it is deleted now). */
export function liveEntry(state: MemoryState, id: string): ConversationEntry | undefined {
  const expiresAt = state.expiries.get(id);
  if (expiresAt !== undefined && expiresAt <= state.clock()) {
    purgeConversation(state, id);
    return undefined;
  }
  return state.conversations.get(id);
}

/** The live conversation; throws `not_found` otherwise. */
export function requireEntry(state: MemoryState, id: string): ConversationEntry {
  const entry = liveEntry(state, id);
  if (!entry) throw new AppError('not_found');
  return entry;
}

/** Deletes an ended conversation with its transcript and de-duplication data. */
export function purgeConversation(state: MemoryState, id: string): void {
  state.conversations.get(id)?.transcript.wipe();
  state.conversations.delete(id);
  state.expiries.delete(id);
}

/** The queue key of a conversation, from its current record. */
export function queueItem(record: ConversationRecord): QueueItem {
  return { id: record.id, language: record.language, urgent: record.urgent, queuedAt: record.queuedAt };
}

/** Throws unless the conversation is active and this listener's. */
export function requireOwnActive(record: ConversationRecord, listenerId: string): void {
  if (record.state !== 'active') throw new AppError('not_chatting');
  if (record.listenerId !== listenerId) throw new AppError('not_yours');
}

/** Records the conversation as active with its current listener. */
export function indexActive(state: MemoryState, record: ConversationRecord): void {
  state.active.add(record.id);
  if (record.listenerId) addToIndex(state.activeByListener, record.listenerId, record.id);
}

/** Forgets the conversation as active (before its listener or state changes). */
export function unindexActive(state: MemoryState, record: ConversationRecord): void {
  state.active.delete(record.id);
  if (record.listenerId) removeFromIndex(state.activeByListener, record.listenerId, record.id);
}

/** Changes a listener's load, never below 0; a listener without presence is skipped. */
export function adjustLoad(state: MemoryState, listenerId: string | undefined, delta: number): void {
  const presence = listenerId === undefined ? undefined : state.presence.get(listenerId);
  if (presence) presence.load = Math.max(0, presence.load + delta);
}

/** Appends a message with the next seq; returns a copy. */
export function pushMessage(entry: ConversationEntry, fields: Omit<Message, 'conversationId' | 'seq'>): Message {
  const message = entry.transcript.push(fields);
  entry.record.lastSeq = message.seq;
  return message;
}

/** Appends a system message with its English fallback text. */
export function pushSystem(entry: ConversationEntry, code: SystemCode, now: number): Message {
  return pushMessage(entry, { from: 'system', text: SYSTEM_TEXT[code], at: isoAt(now), code });
}

export { isoAt, secondsBetween };

/** The result of a state change, from the record as it was before and the entry as it is now. */
export function transition(entry: ConversationEntry, before: ConversationRecord, message?: Message): Transition {
  const result: Transition = { conversation: { ...entry.record }, previousState: before.state };
  if (message) result.message = message;
  if (before.listenerId !== undefined) result.previousListenerId = before.listenerId;
  return result;
}
