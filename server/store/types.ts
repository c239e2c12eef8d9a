/**
 * The Store: every piece of shared state (queue, conversations, transcripts, presence, accounts,
 * sessions, statistics, timers). Two implementations pass one contract suite:
 * `redis/redis-store.ts` (several nodes) and `memory/memory-store.ts` (one node, no dependency).
 *
 * Rules every implementation keeps:
 * - Each method that changes more than one thing is atomic (one Lua script on Redis); it either
 *   applies completely or throws an `AppError` with a code from `shared/errors.ts` and changes nothing.
 * - Times are epoch milliseconds (`now` is always passed in, so tests control the clock);
 *   durations are seconds.
 * - Records returned are copies: mutating them never changes the store.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type {
  AgeRange,
  CannedResponse,
  ConversationState,
  EndedBy,
  EndReason,
  FlagLevel,
  ListenerStatus,
  Message,
  RiskLevel,
  Role,
  SystemCode,
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

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  languages: string[];
  maxConcurrent: number;
  active: boolean;
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

/** One point of the dashboard's history charts: counts and seconds only, never text or ids. */
export interface StatsSample {
  at: number;
  waiting: number;
  urgent: number;
  oldestWaitSeconds: number;
  medianWaitSeconds15m: number;
  active: number;
  available: number;
}

export interface RateLimitOptions {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
  blockSeconds?: number;
}

export interface Store {
  readonly kind: 'redis' | 'memory';

  /** Resolves when the store answers; rejects otherwise (readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Visitors (anonymous sessions, found by the hash of their token)
  createVisitor(tokenHash: string, visitorId: string, now: number, ttlSeconds: number): Promise<VisitorRecord>;
  findVisitorByToken(tokenHash: string): Promise<VisitorRecord | null>;
  getVisitor(visitorId: string): Promise<VisitorRecord | null>;

  // Conversations
  /** Creates a queued conversation; errors `already_active`, `blocked`, `queue_full`. */
  startConversation(input: StartInput): Promise<{ conversation: ConversationRecord; position: number; firstMessage?: Message }>;
  getConversation(id: string): Promise<ConversationRecord | null>;
  getConversations(ids: string[]): Promise<(ConversationRecord | null)[]>;
  /** 1-based places in their language's queue (urgent first, then oldest); 0 when not queued. */
  queuePositions(ids: string[]): Promise<number[]>;
  /** Waiting conversations in routing order, optionally only in some languages. */
  queuedConversations(languages: readonly string[] | null, limit: number): Promise<ConversationRecord[]>;
  /** Stores a message once per clientMsgId; errors `not_found`, `not_chatting` (visitor), `not_yours` (listener). */
  appendMessage(input: AppendInput): Promise<AppendResult>;
  /** Messages with seq > afterSeq, in order. */
  readMessages(conversationId: string, afterSeq: number, limit?: number): Promise<Message[]>;
  /**
   * Gives a queued conversation to a listener. With `manual` the listener's status may be away.
   * Errors `not_found`, `already_taken`, `at_capacity`, `not_available` (offline, away, or wrong language).
   */
  assign(input: { conversationId: string; listenerId: string; manual: boolean; now: number; day: string }): Promise<Transition>;
  /** Puts an active conversation back at the front of its queue; errors `not_found`, `not_yours`, `not_chatting`. */
  requeue(input: { conversationId: string; listenerId: string; code: Extract<SystemCode, 'transferred' | 'listener_lost'>; now: number }): Promise<Transition>;
  /** Hands an active conversation to another listener; errors `not_yours`, `not_available`, `at_capacity`. */
  transfer(input: { conversationId: string; fromListenerId: string; toListenerId: string; now: number }): Promise<Transition>;
  /**
   * Ends a queued or active conversation. Ending an ended one appends no message and changes
   * nothing but a first outcome (the wrap-up written after the visitor left) and the block.
   */
  endConversation(input: EndInput): Promise<Transition>;
  /** errors `not_found`, `not_yours`, `not_chatting` (not active). */
  flagConversation(input: { conversationId: string; listenerId: string; level: FlagLevel; now: number }): Promise<ConversationRecord>;
  /** errors `not_found` (or not this visitor's), `not_ended`, `already_rated`. */
  saveFeedback(input: { conversationId: string; visitorId: string; rating: number; comment?: string; now: number; day: string }): Promise<void>;
  /** Active conversations assigned to this listener. */
  listenerConversations(listenerId: string): Promise<ConversationRecord[]>;
  activeCount(): Promise<number>;
  flaggedConversations(): Promise<ConversationRecord[]>;

  // Listener presence
  /** A socket of this listener connected: connections + 1, profile refreshed, status kept (new: available). */
  listenerConnected(input: { userId: string; displayName: string; languages: string[]; maxConcurrent: number; now: number }): Promise<PresenceRecord>;
  /** A socket closed: connections - 1 (never below 0). */
  listenerDisconnected(userId: string): Promise<PresenceRecord | null>;
  setListenerStatus(userId: string, status: ListenerStatus): Promise<PresenceRecord | null>;
  getPresence(userId: string): Promise<PresenceRecord | null>;
  listPresence(): Promise<PresenceRecord[]>;
  /** Forgets a listener who is gone (no connections, no conversations). */
  removePresence(userId: string): Promise<void>;

  // Accounts and sessions
  /** errors `username_taken`. */
  createUser(user: UserRecord): Promise<UserRecord>;
  /** Creates the first supervisor only while none exists; errors `already_set_up`, `username_taken`. */
  createFirstSupervisor(user: UserRecord): Promise<UserRecord>;
  hasSupervisor(): Promise<boolean>;
  getUser(id: string): Promise<UserRecord | null>;
  findUserByUsername(username: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  updateUser(id: string, patch: UserPatch): Promise<UserRecord | null>;
  createSession(session: SessionRecord): Promise<void>;
  /** The live session, its lastSeenAt moved to now; null when unknown or expired (idle or absolute). */
  touchSession(id: string, now: number, idleSeconds: number): Promise<SessionRecord | null>;
  deleteSession(id: string): Promise<void>;
  /** Ends every session of a user; returns their ids. */
  deleteUserSessions(userId: string): Promise<string[]>;

  // Statistics (counts and durations only, never text)
  dayStats(day: string): Promise<DayStats>;
  /** Waits (seconds) of conversations answered since `since`. */
  recentWaits(since: number): Promise<number[]>;
  /** Stores a history sample and drops those older than keepSeconds before it. */
  appendStatsSample(sample: StatsSample, keepSeconds: number): Promise<void>;
  /** History samples taken at or after `since`, in time order. */
  statsSamples(since: number): Promise<StatsSample[]>;

  // Cluster-wide timers: one node claims each due timer
  scheduleTimer(key: string, dueAt: number): Promise<void>;
  cancelTimer(key: string): Promise<void>;
  /** Removes and returns up to `limit` timers due at `now`; each is returned to one caller only. */
  claimDueTimers(now: number, limit: number): Promise<string[]>;
  /** True for the first caller within ttlSeconds (alert throttling). */
  acquireOnce(key: string, ttlSeconds: number): Promise<boolean>;

  // Canned responses (per language, edited by supervisors)
  getCanned(language: string): Promise<CannedResponse[] | null>;
  setCanned(language: string, responses: CannedResponse[]): Promise<void>;

  /** A rate limiter kept in this store (shared by all nodes on Redis). */
  createRateLimiter(options: RateLimitOptions): RateLimiterAbstract;
}
