/**
 * The records and inputs the Store works with (see types.ts for the Store itself). Times are
 * epoch milliseconds, durations seconds; returned records are copies.
 */
import type {
  AgeRange,
  ConversationState,
  EndedBy,
  EndReason,
  FlagLevel,
  ListenerStatus,
  Message,
  RiskLevel,
  StatsHistorySample,
  SystemCode,
  User,
} from '../../shared/protocol';

export interface VisitorRecord {
  id: string;
  createdAt: number;
  /** The visitor's latest conversation (queued, active or ended), if any. */
  conversationId?: string;
  blockedUntil?: number;
}

export interface ConversationRecord {
  id: string;
  visitorId: string;
  language: string;
  topic?: string;
  ageRange?: AgeRange;
  urgent: boolean;
  state: ConversationState;
  /** When the visitor asked for a chat. */
  startedAt: number;
  /** Queue order key: when it entered the queue; a requeue moves it to the front (see queue-order.ts). */
  queuedAt: number;
  assignedAt?: number;
  endedAt?: number;
  listenerId?: string;
  lastSeq: number;
  flag?: FlagLevel;
  flaggedAt?: number;
  endedBy?: EndedBy;
  reason?: EndReason;
  rated?: boolean;
  /** The listener who last gave it back to the queue: routing does not offer it to them again. */
  releasedBy?: string;
  /** The listener's wrap-up, once given. */
  outcome?: Outcome;
}

/** An account as stored: the public User plus what never leaves the server. */
export interface UserRecord extends User {
  passwordHash: string;
  createdAt: number;
}

export type UserPatch = Partial<Pick<UserRecord, 'displayName' | 'role' | 'languages' | 'maxConcurrent' | 'active' | 'passwordHash'>>;

export interface SessionRecord {
  /** The hash of the cookie's token, never the token itself. */
  id: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  /** Absolute expiry; the idle expiry is lastSeenAt + idleSeconds. */
  expiresAt: number;
}

/** A listener's live routing state (one per user, shared by all their sockets on all nodes). */
export interface PresenceRecord {
  userId: string;
  displayName: string;
  status: ListenerStatus;
  /** Open sockets across all nodes; 0 while in the grace period. */
  connections: number;
  /** Active conversations. */
  load: number;
  maxConcurrent: number;
  languages: string[];
  /** When they were last given a conversation (0 = never): routing prefers the longest idle. */
  lastAssignedAt: number;
}

/** What routing uses of a listener's account; refreshed when a supervisor edits it. */
export type PresenceProfile = Pick<PresenceRecord, 'displayName' | 'languages' | 'maxConcurrent'>;

/** A socket of a listener opened on one server node. */
export interface ListenerConnectInput extends PresenceProfile {
  userId: string;
  nodeId: string;
  now: number;
}

/** A timer handed to one caller until `leaseUntil`: completed by then, or claimed again after. */
export interface ClaimedTimer {
  key: string;
  leaseUntil: number;
}

/** Forgetting a server node: the grace timers it starts are due as on a normal disconnect. */
export interface ReapInput {
  nodeId: string;
  visitorGraceDueAt: number;
  listenerGraceDueAt: number;
  /** Reap although the heartbeat is live: the node itself is stopping. */
  force?: boolean;
}

/** What reaping a node started. */
export interface ReapedNode {
  nodeId: string;
  /** Visitors who had a socket on the node; the grace timer started for those with a conversation. */
  visitorIds: string[];
  /** Listeners left with no connection anywhere: their grace timer started. */
  listenerIds: string[];
}

export interface Outcome {
  topics: string[];
  risk: RiskLevel;
  note?: string;
}

export interface StartInput {
  conversationId: string;
  visitorId: string;
  language: string;
  topic?: string;
  ageRange?: AgeRange;
  urgent: boolean;
  now: number;
  /** Local calendar day (YYYY-MM-DD in the service's zone) for today's counters. */
  day: string;
  /** Refuse with `queue_full` when this many conversations already wait. */
  maxQueued: number;
  firstMessage?: { text: string; clientMsgId?: string };
  /** When given, the conversation's long-wait timer is due then; it is dropped once a listener answers or the chat ends. */
  longWaitAt?: number;
}

export interface RequeueInput {
  conversationId: string;
  listenerId: string;
  code: Extract<SystemCode, 'transferred' | 'listener_lost'>;
  now: number;
  /** When given, the long-wait timer is due again then (the conversation waits again). */
  longWaitAt?: number;
}

export interface AppendInput {
  conversationId: string;
  from: 'visitor' | 'listener';
  /** The visitor's or listener's id: the store checks the conversation is theirs. */
  senderId: string;
  text: string;
  clientMsgId: string;
  now: number;
}

export interface AppendResult {
  message: Message;
  /** True when this clientMsgId was already stored: `message` is the original, deliver nothing. */
  duplicate: boolean;
  visitorId: string;
  listenerId?: string;
}

/** A change of conversation state with the system message it appended (absent when nothing changed). */
export interface Transition {
  conversation: ConversationRecord;
  message?: Message;
  /** The state before the call. */
  previousState: ConversationState;
  /** The listener the conversation had before the call, if any. */
  previousListenerId?: string;
  /** Set by `assign` when this is the conversation's first answer (not after a requeue): waits count once. */
  firstAnswer?: boolean;
  /** Set by `assign`: the whole transcript after the change, so announcing it needs no second read. */
  history?: Message[];
  /** Set by `assign` and `transfer`: the new listener's display name as their presence holds it. */
  listenerName?: string;
}

/** One step of routing's plan (Store.assignInOrder). */
export interface PlannedAssignment {
  conversationId: string;
  listenerId: string;
  /** The conversation's language as routing read it (it names the queue on Redis). */
  language: string;
}

export interface EndInput {
  conversationId: string;
  endedBy: EndedBy;
  reason?: EndReason;
  /** When a listener ends it, their id: others get `not_yours`. */
  listenerId?: string;
  /** When a visitor ends it, their id: others get `not_chatting`. */
  visitorId?: string;
  outcome?: Outcome;
  /** Also block the visitor until this time (`visitor:block`). */
  blockVisitorUntil?: number;
  now: number;
  day: string;
  /** Transcript and conversation keys expire this long after the end. */
  retentionSeconds: number;
}

export interface DayStats {
  started: number;
  answered: number;
  abandoned: number;
  /** Seconds each answered conversation waited. */
  waits: number[];
  /** Seconds each conversation that had a listener lasted from assignment to end. */
  durations: number[];
}

/** One point of the dashboard's history charts (the wire sample, with `at` in epoch ms): counts and seconds only, never text or ids. */
export interface StatsSample extends Omit<StatsHistorySample, 'at'> {
  at: number;
}

export interface RateLimitOptions {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
  blockSeconds?: number;
}
