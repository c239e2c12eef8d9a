/** Turns store records into the wire shapes of PROTOCOL.md. */
import type { ConversationView, Message, VisitorState } from '../../shared/protocol';
import type { ConversationRecord } from '../store/types';
import { iso, secondsBetween } from './context';

/** The conversation as listeners see it; `waitedSeconds` runs until a listener answered. */
export function conversationView(c: ConversationRecord, now: number, messages?: Message[]): ConversationView {
  const waitedUntil = c.assignedAt ?? (c.state === 'ended' ? (c.endedAt ?? now) : now);
  const view: ConversationView = {
    id: c.id,
    language: c.language,
    urgent: c.urgent,
    state: c.state,
    waitedSeconds: secondsBetween(c.startedAt, waitedUntil),
    startedAt: iso(c.startedAt),
    lastSeq: c.lastSeq,
  };
  if (c.topic) view.topic = c.topic;
  if (c.ageRange) view.ageRange = c.ageRange;
  if (c.assignedAt !== undefined) view.assignedAt = iso(c.assignedAt);
  if (c.listenerId) view.listenerId = c.listenerId;
  if (c.flag) view.flag = c.flag;
  if (c.endedBy) view.endedBy = c.endedBy;
  if (c.reason) view.reason = c.reason;
  if (messages) view.messages = messages;
  return view;
}

/** The visitor's phase for the `session` event. */
export function visitorState(
  c: ConversationRecord | null,
  extra: { position?: number; estimatedWaitSeconds?: number; listenerName?: string },
): VisitorState {
  if (!c) return { phase: 'idle' };
  switch (c.state) {
    case 'queued':
      return { phase: 'queued', conversationId: c.id, position: extra.position ?? 0, estimatedWaitSeconds: extra.estimatedWaitSeconds ?? 0 };
    case 'active':
      return { phase: 'chatting', conversationId: c.id, listener: { displayName: extra.listenerName ?? '' }, lastSeq: c.lastSeq };
    default: {
      const state: VisitorState = { phase: 'ended', conversationId: c.id, endedBy: c.endedBy ?? 'system' };
      if (c.reason) state.reason = c.reason;
      return state;
    }
  }
}
