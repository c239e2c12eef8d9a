/**
 * Turns Redis replies (flat hashes, stream entries, script tables) into the store's typed records.
 * Hash fields are strings; booleans are '1'/'0'; an absent field means an absent optional property.
 */
import {
  AGE_RANGES,
  FLAG_LEVELS,
  LISTENER_STATUSES,
  RISK_LEVELS,
  ROLES,
  type ConversationState,
  type EndedBy,
  type EndReason,
  type Message,
  type Sender,
  type SystemCode,
} from '../../../shared/protocol';
import type { ConversationRecord, Outcome, PresenceRecord, SessionRecord, UserRecord, VisitorRecord } from '../types';

export type Hash = Record<string, string>;

const STATES: readonly ConversationState[] = ['queued', 'active', 'ended'];
const ENDED_BY: readonly EndedBy[] = ['visitor', 'listener', 'system'];
const SENDERS: readonly Sender[] = ['visitor', 'listener', 'system'];
const END_REASONS: readonly EndReason[] = ['quick_exit', 'blocked', 'grace_expired', 'listener_ended', 'visitor_ended'];
const SYSTEM_CODES: readonly SystemCode[] = ['assigned', 'transferred', 'listener_lost', 'ended'];

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

function must<T extends string>(value: string | undefined, allowed: readonly T[], field: string): T {
  const found = oneOf(value, allowed);
  if (found === undefined) throw new Error(`Corrupt store record: bad ${field}`);
  return found;
}

function num(value: string | undefined): number {
  return value === undefined ? 0 : Number(value);
}

function optNum(value: string | undefined): number | undefined {
  return value === undefined || value === '' ? undefined : Number(value);
}

function stringList(json: string | undefined): string[] {
  const parsed: unknown = json ? JSON.parse(json) : [];
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
}

/** Copies only defined values, so optional properties are absent rather than undefined. */
function withOptional<T extends object>(base: T, extra: Partial<T>): T {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) Object.assign(out, { [key]: value });
  }
  return out;
}

/** A Lua table reply of a hash (HGETALL as [field, value, ...]) as an object. */
export function hashFromFlat(reply: unknown): Hash {
  const hash: Hash = Object.create(null) as Hash;
  if (!Array.isArray(reply)) return hash;
  for (let i = 0; i + 1 < reply.length; i += 2) hash[String(reply[i])] = String(reply[i + 1]);
  return hash;
}

/** A client reply that should be a hash (HGETALL through ioredis), or an empty one. */
export function asHash(value: unknown): Hash {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Hash) : {};
}

/** Flattens a record's defined values into [field, value, ...] for HSET. */
export function flatten(fields: Record<string, string | number | boolean | undefined>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out.push(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return out;
}

/** The conversation in a hash, or null when the hash is empty (unknown or expired). */
export function toConversation(h: Hash): ConversationRecord | null {
  if (!h.id) return null;
  const base: ConversationRecord = {
    id: h.id,
    visitorId: h.visitorId,
    language: h.language,
    urgent: h.urgent === '1',
    state: must(h.state, STATES, 'state'),
    startedAt: num(h.startedAt),
    queuedAt: num(h.queuedAt),
    lastSeq: num(h.lastSeq),
  };
  return withOptional(base, {
    topic: h.topic,
    ageRange: oneOf(h.ageRange, AGE_RANGES),
    assignedAt: optNum(h.assignedAt),
    endedAt: optNum(h.endedAt),
    listenerId: h.listenerId,
    flag: oneOf(h.flag, FLAG_LEVELS),
    flaggedAt: optNum(h.flaggedAt),
    endedBy: oneOf(h.endedBy, ENDED_BY),
    reason: oneOf(h.reason, END_REASONS),
    rated: h.rated === '1' ? true : undefined,
    releasedBy: h.releasedBy || undefined,
    outcome: outcomeOf(h),
  });
}

/** The wrap-up stored flat in a conversation hash. */
function outcomeOf(h: Hash): Outcome | undefined {
  const risk = oneOf(h.outcomeRisk, RISK_LEVELS);
  if (!risk) return undefined;
  const parsed: unknown = JSON.parse(h.outcomeTopics || '[]');
  const topics = Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  return h.outcomeNote ? { topics, risk, note: h.outcomeNote } : { topics, risk };
}

/** The visitor in a hash, or null when unknown or expired. */
export function toVisitor(h: Hash): VisitorRecord | null {
  if (!h.id) return null;
  return withOptional<VisitorRecord>(
    { id: h.id, createdAt: num(h.createdAt) },
    { conversationId: h.conversationId, blockedUntil: optNum(h.blockedUntil) },
  );
}

/** The account in a hash (languages kept as JSON), or null. */
export function toUser(h: Hash): UserRecord | null {
  if (!h.id) return null;
  return {
    id: h.id,
    username: h.username,
    displayName: h.displayName,
    role: must(h.role, ROLES, 'role'),
    languages: stringList(h.languages),
    maxConcurrent: num(h.maxConcurrent),
    active: h.active === '1',
    passwordHash: h.passwordHash,
    createdAt: num(h.createdAt),
  };
}

/** The hash fields of an account (languages as JSON). */
export function userFields(user: Partial<UserRecord>): string[] {
  return flatten({ ...user, languages: user.languages && JSON.stringify(user.languages) });
}

/** The staff session in a hash, or null when unknown or expired. */
export function toSession(h: Hash): SessionRecord | null {
  if (!h.id) return null;
  return {
    id: h.id,
    userId: h.userId,
    createdAt: num(h.createdAt),
    lastSeenAt: num(h.lastSeenAt),
    expiresAt: num(h.expiresAt),
  };
}

/** The listener presence in a hash, or null. */
export function toPresence(h: Hash): PresenceRecord | null {
  if (!h.userId) return null;
  return {
    userId: h.userId,
    displayName: h.displayName ?? '',
    status: must(h.status, LISTENER_STATUSES, 'status'),
    connections: num(h.connections),
    load: Math.max(0, num(h.load)),
    maxConcurrent: num(h.maxConcurrent),
    languages: stringList(h.languages),
    lastAssignedAt: num(h.lastAssignedAt),
  };
}

/** A stream entry `[id '0-<seq>', [field, value, ...]]` as a message of the conversation. */
export function toMessage(conversationId: string, entry: unknown): Message {
  if (!Array.isArray(entry)) throw new Error('Corrupt store record: bad stream entry');
  const f = hashFromFlat(entry[1]);
  return withOptional<Message>(
    {
      conversationId,
      seq: Number(String(entry[0]).split('-')[1]),
      from: must(f.from, SENDERS, 'from'),
      text: f.text ?? '',
      at: f.at ?? '',
    },
    { clientMsgId: f.cmid, code: oneOf(f.code, SYSTEM_CODES) },
  );
}

/** What a transition script reports back. */
export interface TransitionReply {
  previousState: ConversationState;
  previousListenerId?: string;
  seq: number;
  conversation: ConversationRecord;
  /** Only assign reports it: this was the conversation's first answer. */
  firstAnswer?: boolean;
  /** Assign and transfer report it: the new listener's display name, from their presence. */
  listenerName?: string;
}

/**
 * Parses the `{ previous state, previous listener, seq, HGETALL[, first answer[, history[,
 * listener name]]] }` table of a transition script (the history is the caller's to read).
 */
export function toTransitionReply(reply: unknown): TransitionReply {
  if (!Array.isArray(reply) || reply.length < 4) throw new Error('Unexpected transition reply');
  const conversation = toConversation(hashFromFlat(reply[3]));
  if (!conversation) throw new Error('Unexpected transition reply: no conversation');
  return withOptional<TransitionReply>(
    { previousState: must(String(reply[0]), STATES, 'previous state'), seq: Number(reply[2]), conversation },
    {
      previousListenerId: reply[1] ? String(reply[1]) : undefined,
      firstAnswer: Number(reply[4]) === 1 ? true : undefined,
      listenerName: typeof reply[6] === 'string' ? reply[6] : undefined,
    },
  );
}
