/**
 * The Store on Redis, for several server nodes. Each concern lives in its own module
 * (conversations, transitions, queue, presence, accounts, stats and timers, server nodes, shared
 * data); this class wires them to one ioredis client and exposes that client for the Socket.IO
 * Redis adapter.
 * The delegating methods are documented on the Store interface.
 */
import { Redis } from 'ioredis';
import type pino from 'pino';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { CannedResponse, FlagLevel, ListenerStatus, Message, SystemCode } from '../../../shared/protocol';
import type {
  AppendInput, AppendResult, ClaimedTimer, ConversationRecord, DayStats, EndInput, ListenerConnectInput, PresenceProfile,
  PlannedAssignment, PresenceRecord, RateLimitOptions, ReapedNode, ReapInput, SessionRecord, StartInput, StatsSample, Store, Transition,
  UserPatch, UserRecord, VisitorRecord,
} from '../types';
import { RedisAccounts } from './accounts';
import { coalesceWrites } from './coalesce-writes';
import type { RedisContext } from './context';
import { RedisConversations } from './conversations';
import { createKeys, type Keys } from './keys';
import { RedisNodes } from './nodes';
import { RedisPresence } from './presence';
import { RedisQueue } from './queue';
import { Scripts } from './scripts';
import { checkVersion } from './server-version';
import { RedisSharedData } from './shared-data';
import { RedisStatsTimers } from './stats-timers';
import { RedisTransitions } from './transitions';
import { errorSummary } from '../../logger';

export interface RedisStoreOptions {
  url: string;
  /** Prefix of every key; include a hash tag (e.g. `{ps}:`) to run on Redis Cluster. */
  prefix: string;
  logger?: pino.Logger;
}

/** Connects, checks the server and loads the scripts; rejects when Redis cannot be reached. */
export async function createRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const log = options.logger?.child({ component: 'redis-store' });
  // No reconnecting before the first connection: a server that cannot reach Redis at start fails
  // at once, and its client ends by itself.
  let connected = false;
  const client = new Redis(options.url, {
    lazyConnect: true,
    // Fail a command after two reconnect attempts instead of hanging a socket handler.
    maxRetriesPerRequest: 2,
    // Commands issued during a short reconnect wait for it rather than failing at once.
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    retryStrategy: (times) => (connected ? Math.min(100 * 2 ** times, 3_000) : null),
  });
  client.once('ready', () => (connected = true));
  client.on('error', (err: Error) => log?.warn({ err: errorSummary(err) }, 'redis connection error'));
  client.on('reconnecting', (delay: number) => log?.info({ delay }, 'redis reconnecting'));
  // Commands issued in one turn of the event loop share one socket write.
  coalesceWrites(client);
  try {
    await client.connect();
    await checkVersion(client);
    return new RedisStore(client, createKeys(options.prefix));
  } catch (err) {
    endClient(client);
    throw err;
  }
}

/**
 * Drops a connection at once. Not on a client that has ended already: ioredis's disconnect() arms
 * a 2-second timer (`disconnectTimeout`) that only the socket's 'close' event clears, so on a
 * closed socket it would hold the process open for those 2 s.
 */
function endClient(client: Redis): void {
  if (client.status !== 'end') client.disconnect();
}

export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private readonly conversations: RedisConversations;
  private readonly transitions: RedisTransitions;
  private readonly queue: RedisQueue;
  private readonly presence: RedisPresence;
  private readonly accounts: RedisAccounts;
  private readonly stats: RedisStatsTimers;
  private readonly nodes: RedisNodes;
  private readonly shared: RedisSharedData;

  constructor(
    /** The store's connection; the app duplicates it for the Socket.IO Redis adapter. */
    readonly client: Redis,
    /** Key names of this deployment's prefix (tests and tools inspect Redis with them). */
    readonly keys: Keys,
  ) {
    const ctx: RedisContext = { client, keys, scripts: new Scripts(client) };
    this.conversations = new RedisConversations(ctx);
    this.transitions = new RedisTransitions(ctx);
    this.queue = new RedisQueue(ctx);
    this.presence = new RedisPresence(ctx);
    this.accounts = new RedisAccounts(ctx);
    this.stats = new RedisStatsTimers(ctx);
    this.nodes = new RedisNodes(ctx);
    this.shared = new RedisSharedData(ctx);
  }

  /** Resolves when Redis answers. */
  async ping(): Promise<void> {
    await this.client.ping();
  }

  /** Quits cleanly, letting issued commands finish. */
  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      endClient(this.client);
    }
  }

  // Visitors

  createVisitor(tokenHash: string, visitorId: string, now: number, ttlSeconds: number): Promise<VisitorRecord> {
    return this.accounts.createVisitor(tokenHash, visitorId, now, ttlSeconds);
  }
  findVisitorByToken(tokenHash: string): Promise<VisitorRecord | null> {
    return this.accounts.findVisitorByToken(tokenHash);
  }
  getVisitor(visitorId: string): Promise<VisitorRecord | null> {
    return this.accounts.getVisitor(visitorId);
  }
  touchVisitor(tokenHash: string, visitorId: string, ttlSeconds: number): Promise<void> {
    return this.accounts.touchVisitor(tokenHash, visitorId, ttlSeconds);
  }

  // Conversations

  startConversation(input: StartInput): Promise<{ conversation: ConversationRecord; position: number; firstMessage?: Message }> {
    return this.conversations.start(input);
  }
  getConversation(id: string): Promise<ConversationRecord | null> {
    return this.conversations.get(id);
  }
  getConversations(ids: string[]): Promise<(ConversationRecord | null)[]> {
    return this.conversations.getMany(ids);
  }
  queuePositions(ids: string[]): Promise<number[]> {
    return this.queue.positions(ids);
  }
  queuedConversations(languages: readonly string[] | null, limit: number): Promise<ConversationRecord[]> {
    return this.queue.queued(languages, limit);
  }
  appendMessage(input: AppendInput): Promise<AppendResult> {
    return this.conversations.append(input);
  }
  readMessages(conversationId: string, afterSeq: number, limit?: number): Promise<Message[]> {
    return this.conversations.readMessages(conversationId, afterSeq, limit);
  }
  assign(input: { conversationId: string; listenerId: string; manual: boolean; now: number; day: string }): Promise<Transition> {
    return this.transitions.assign(input);
  }
  assignInOrder(plan: readonly PlannedAssignment[], now: number, day: string): Promise<{ done: Transition[]; refusal?: Error }> {
    return this.transitions.assignInOrder(plan, now, day);
  }
  requeue(input: { conversationId: string; listenerId: string; code: Extract<SystemCode, 'transferred' | 'listener_lost'>; now: number }): Promise<Transition> {
    return this.transitions.requeue(input);
  }
  transfer(input: { conversationId: string; fromListenerId: string; toListenerId: string; now: number }): Promise<Transition> {
    return this.transitions.transfer(input);
  }
  endConversation(input: EndInput): Promise<Transition> {
    return this.transitions.end(input);
  }
  flagConversation(input: { conversationId: string; listenerId: string; level: FlagLevel; now: number }): Promise<ConversationRecord> {
    return this.conversations.flag(input);
  }
  saveFeedback(input: { conversationId: string; visitorId: string; rating: number; comment?: string; now: number; day: string }): Promise<void> {
    return this.conversations.saveFeedback(input);
  }
  listenerConversations(listenerId: string): Promise<ConversationRecord[]> {
    return this.conversations.listenerConversations(listenerId);
  }
  activeCount(): Promise<number> {
    return this.conversations.activeCount();
  }
  flaggedConversations(): Promise<ConversationRecord[]> {
    return this.conversations.flagged();
  }

  // Listener presence

  listenerConnected(input: ListenerConnectInput): Promise<PresenceRecord> {
    return this.presence.connected(input);
  }
  listenerDisconnected(userId: string, nodeId: string): Promise<PresenceRecord | null> {
    return this.presence.disconnected(userId, nodeId);
  }
  updatePresenceProfile(userId: string, profile: PresenceProfile): Promise<PresenceRecord | null> {
    return this.presence.updateProfile(userId, profile);
  }
  setListenerStatus(userId: string, status: ListenerStatus): Promise<PresenceRecord | null> {
    return this.presence.setStatus(userId, status);
  }
  getPresence(userId: string): Promise<PresenceRecord | null> {
    return this.presence.get(userId);
  }
  listPresence(): Promise<PresenceRecord[]> {
    return this.presence.list();
  }
  removePresence(userId: string): Promise<void> {
    return this.presence.remove(userId);
  }

  // Accounts and sessions

  createUser(user: UserRecord): Promise<UserRecord> {
    return this.accounts.createUser(user, 'any');
  }
  createFirstSupervisor(user: UserRecord): Promise<UserRecord> {
    return this.accounts.createUser({ ...user, role: 'supervisor' }, 'first-supervisor');
  }
  hasSupervisor(): Promise<boolean> {
    return this.accounts.hasSupervisor();
  }
  getUser(id: string): Promise<UserRecord | null> {
    return this.accounts.getUser(id);
  }
  findUserByUsername(username: string): Promise<UserRecord | null> {
    return this.accounts.findUserByUsername(username);
  }
  listUsers(): Promise<UserRecord[]> {
    return this.accounts.listUsers();
  }
  updateUser(id: string, patch: UserPatch): Promise<UserRecord | null> {
    return this.accounts.updateUser(id, patch);
  }
  createSession(session: SessionRecord): Promise<void> {
    return this.accounts.createSession(session);
  }
  touchSession(id: string, now: number, idleSeconds: number): Promise<SessionRecord | null> {
    return this.accounts.touchSession(id, now, idleSeconds);
  }
  peekSession(id: string, now: number, idleSeconds: number): Promise<SessionRecord | null> {
    return this.accounts.peekSession(id, now, idleSeconds);
  }
  deleteSession(id: string): Promise<void> {
    return this.accounts.deleteSession(id);
  }
  deleteUserSessions(userId: string): Promise<string[]> {
    return this.accounts.deleteUserSessions(userId);
  }

  // Statistics and timers

  dayStats(day: string): Promise<DayStats> {
    return this.stats.dayStats(day);
  }
  recentWaits(since: number): Promise<number[]> {
    return this.stats.recentWaits(since);
  }
  appendStatsSample(sample: StatsSample, keepSeconds: number): Promise<void> {
    return this.stats.appendStatsSample(sample, keepSeconds);
  }
  statsSamples(since: number): Promise<StatsSample[]> {
    return this.stats.statsSamples(since);
  }
  scheduleTimer(key: string, dueAt: number): Promise<void> {
    return this.stats.scheduleTimer(key, dueAt);
  }
  cancelTimer(key: string): Promise<void> {
    return this.stats.cancelTimer(key);
  }
  claimDueTimers(now: number, limit: number, leaseMs: number): Promise<ClaimedTimer[]> {
    return this.stats.claimDueTimers(now, limit, leaseMs);
  }
  completeTimer(key: string, leaseUntil: number): Promise<void> {
    return this.stats.completeTimer(key, leaseUntil);
  }
  acquireOnce(key: string, ttlSeconds: number): Promise<boolean> {
    return this.stats.acquireOnce(key, ttlSeconds);
  }

  // Canned responses, rate limiting and shared secrets

  getCanned(language: string): Promise<CannedResponse[] | null> {
    return this.shared.getCanned(language);
  }
  setCanned(language: string, responses: CannedResponse[]): Promise<void> {
    return this.shared.setCanned(language, responses);
  }
  createRateLimiter(options: RateLimitOptions): RateLimiterAbstract {
    return this.shared.createRateLimiter(options);
  }
  sharedSecret(name: string): Promise<string> {
    return this.shared.sharedSecret(name);
  }

  // Server nodes

  nodeHeartbeat(nodeId: string, ttlMs: number): Promise<boolean> {
    return this.nodes.heartbeat(nodeId, ttlMs);
  }
  deadNodes(): Promise<string[]> {
    return this.nodes.dead();
  }
  reapNode(input: ReapInput): Promise<ReapedNode | null> {
    return this.nodes.reap(input);
  }
  visitorConnected(visitorId: string, nodeId: string): Promise<void> {
    return this.nodes.visitorConnected(visitorId, nodeId);
  }
  visitorDisconnected(visitorId: string, nodeId: string, graceDueAt: number): Promise<void> {
    return this.nodes.visitorDisconnected(visitorId, nodeId, graceDueAt);
  }
}
