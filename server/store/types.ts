/**
 * The Store: every piece of shared state (queue, conversations, transcripts, presence, accounts,
 * sessions, statistics, timers). Two implementations pass one contract suite:
 * `redis/redis-store.ts` (several nodes) and `memory/memory-store.ts` (one node, no dependency).
 *
 * Rules every implementation keeps:
 * - Each method that changes more than one thing is atomic (one Lua script on Redis); it either
 *   applies completely or throws an `AppError` with a code from `shared/errors.ts` and changes nothing.
 *   (`assignInOrder` is a sequence of such changes in one call: each step is all or nothing.)
 * - Times are epoch milliseconds (`now` is always passed in, so tests control the clock);
 *   durations are seconds.
 * - Records returned are copies: mutating them never changes the store.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { CannedResponse, FlagLevel, ListenerStatus, Message } from '../../shared/protocol';
import type {
  AppendInput,
  AppendResult,
  ClaimedTimer,
  ConversationRecord,
  DayStats,
  EndInput,
  ListenerConnectInput,
  PresenceProfile,
  PlannedAssignment,
  PresenceRecord,
  RateLimitOptions,
  ReapedNode,
  ReapInput,
  SessionRecord,
  RequeueInput,
  StartInput,
  StatsSample,
  Transition,
  UserPatch,
  UserRecord,
  VisitorRecord,
} from './records';

export type * from './records';

export interface Store {
  readonly kind: 'redis' | 'memory';

  /** Resolves when the store answers; rejects otherwise (readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Visitors (anonymous sessions, found by the hash of their token)
  createVisitor(tokenHash: string, visitorId: string, now: number, ttlSeconds: number): Promise<VisitorRecord>;
  findVisitorByToken(tokenHash: string): Promise<VisitorRecord | null>;
  getVisitor(visitorId: string): Promise<VisitorRecord | null>;
  /** Moves the expiry of a visitor and their token index to ttlSeconds from now (a long chat keeps its visitor). */
  touchVisitor(tokenHash: string, visitorId: string, ttlSeconds: number): Promise<void>;

  // Conversations
  /**
   * Creates a queued conversation, and its long-wait timer when `longWaitAt` is given; errors
   * `already_active`, `blocked`, `queue_full`.
   */
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
   * Gives a queued conversation to a listener, and drops its long-wait timer. With `manual` the
   * listener's status may be away.
   * Errors `not_found`, `already_taken`, `at_capacity`, `not_available` (offline, away, or wrong language).
   */
  assign(input: { conversationId: string; listenerId: string; manual: boolean; now: number; day: string }): Promise<Transition>;
  /**
   * Routing's plan in one store call: gives each conversation to its listener in order (as
   * `assign` without `manual`) and stops at the first refusal, because the rest of the plan was
   * made from the same, now stale, snapshot. Returns the assignments made and that refusal: the
   * AppError `assign` would throw, or a StaleReadError when the conversation changed language.
   */
  assignInOrder(plan: readonly PlannedAssignment[], now: number, day: string): Promise<{ done: Transition[]; refusal?: Error }>;
  /**
   * Puts an active conversation back at the front of its queue, with a new long-wait timer when
   * `longWaitAt` is given; errors `not_found`, `not_yours`, `not_chatting`.
   */
  requeue(input: RequeueInput): Promise<Transition>;
  /** Hands an active conversation to another listener; errors `not_yours`, `not_available`, `at_capacity`. */
  transfer(input: { conversationId: string; fromListenerId: string; toListenerId: string; now: number }): Promise<Transition>;
  /**
   * Ends a queued or active conversation and drops its long-wait timer. Ending an ended one
   * appends no message and changes nothing but a first outcome (the wrap-up written after the
   * visitor left) and the block.
   */
  endConversation(input: EndInput): Promise<Transition>;
  /** errors `not_found`, `not_yours`, `not_chatting` (not active). */
  flagConversation(input: { conversationId: string; listenerId: string; level: FlagLevel; now: number }): Promise<ConversationRecord>;
  /** errors `not_found` (or not this visitor's), `not_ended`, `already_rated`. */
  saveFeedback(input: { conversationId: string; visitorId: string; rating: number; comment?: string; now: number; day: string }): Promise<void>;
  /** Active conversations assigned to this listener. */
  listenerConversations(listenerId: string): Promise<ConversationRecord[]>;
  activeCount(): Promise<number>;
  /** Active flagged conversations, the longest flagged first. */
  flaggedConversations(): Promise<ConversationRecord[]>;

  // Listener presence
  /**
   * A socket of this listener connected on a node: connections + 1 (counted per node, so a dead
   * node's sockets can be uncounted), profile refreshed, status kept (new: available).
   */
  listenerConnected(input: ListenerConnectInput): Promise<PresenceRecord>;
  /** A socket closed on a node: connections - 1, only if that node still counts one (never below 0). */
  listenerDisconnected(userId: string, nodeId: string): Promise<PresenceRecord | null>;
  /** Refreshes the profile routing uses (after an account change); null and no change without a presence. */
  updatePresenceProfile(userId: string, profile: PresenceProfile): Promise<PresenceRecord | null>;
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
  /** The live session as touchSession checks it, without moving lastSeenAt (idle checks). */
  peekSession(id: string, now: number, idleSeconds: number): Promise<SessionRecord | null>;
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
  /**
   * Leases up to `limit` timers due at `now`, earliest first: each is due again at `now + leaseMs`,
   * so another caller claims it then unless it is completed. No two callers hold one lease.
   */
  claimDueTimers(now: number, limit: number, leaseMs: number): Promise<ClaimedTimer[]>;
  /** Removes a claimed timer, unless it was rescheduled since the claim (its due time is no longer leaseUntil). */
  completeTimer(key: string, leaseUntil: number): Promise<void>;
  /** True for the first caller within ttlSeconds (alert throttling). */
  acquireOnce(key: string, ttlSeconds: number): Promise<boolean>;

  // Canned responses (per language, edited by supervisors)
  getCanned(language: string): Promise<CannedResponse[] | null>;
  setCanned(language: string, responses: CannedResponse[]): Promise<void>;

  /** A rate limiter kept in this store (shared by all nodes on Redis). */
  createRateLimiter(options: RateLimitOptions): RateLimiterAbstract;
  /** A random 32-byte base64url secret, created once per store and the same for every node. */
  sharedSecret(name: string): Promise<string>;

  // Server nodes: each app instance has a random id; one whose heartbeat lapses is presumed dead
  /** Keeps a node alive for ttlMs; false when it was not known (its first beat, or it had been reaped). */
  nodeHeartbeat(nodeId: string, ttlMs: number): Promise<boolean>;
  /** Known nodes whose heartbeat lapsed. */
  deadNodes(): Promise<string[]>;
  /**
   * Forgets a node whose heartbeat lapsed (or any, with `force`): its listener connections are
   * uncounted, and grace timers start for its visitors and for listeners left with no connection,
   * as normal disconnects would. Null when the node is alive or already forgotten.
   */
  reapNode(input: ReapInput): Promise<ReapedNode | null>;
  /** A visitor socket opened on a node: counted there, and the visitor's grace timer is cancelled. */
  visitorConnected(visitorId: string, nodeId: string): Promise<void>;
  /** A visitor socket closed on a node: uncounted there, and the grace timer starts if the visitor has a conversation. */
  visitorDisconnected(visitorId: string, nodeId: string, graceDueAt: number): Promise<void>;
}
