/**
 * Helpers for the socket integration tests: one app per test on either store, visitors and
 * listeners that are connected and greeted, "nothing arrives" checks and polling with a deadline.
 */
import type { ListenerState } from '../../shared/events';
import type { ConversationView, Message, StatsSnapshot, VisitorState } from '../../shared/protocol';
import { adminCookie, createStaff, startTestApp, type Staff, type TestApp } from './app';
import { startRedis, type TestRedis } from './redis-server';
import { ack, closeAll, connect, msgId, next, sleep, type ClientSocket } from './sockets';

export type StoreKind = 'memory' | 'redis';
/** For `describe.each`: every test runs on the in-process store and on a private Redis. */
export const STORES: [StoreKind][] = [['memory'], ['redis']];

/** An acknowledgement as tests read it: `ok` with the result fields, or an error code. */
export type Answer<T extends object = Record<string, unknown>> = Partial<T> & {
  ok: boolean;
  error?: { code: string; message: string };
};

export type StartAnswer = Answer<{ conversationId: string; position: number; estimatedWaitSeconds: number }>;
export type SendAnswer = Answer<{ seq: number; at: string }>;
export type SyncAnswer = Answer<{ messages: Message[] }>;
export type AcceptAnswer = Answer<{ conversation: ConversationView }>;

export interface SessionEvent {
  token: string;
  state: VisitorState;
}

export interface QueueUpdate {
  conversationId: string;
  position: number;
  estimatedWaitSeconds: number;
}

export interface Apps {
  /** The private Redis of this describe block (redis store only). */
  readonly redis: TestRedis | undefined;
  /** Starts an app on this block's store (with an injected clock if given); it is stopped after the test. */
  start(env?: Record<string, string>, clock?: () => number): Promise<TestApp>;
}

/** Registers the hooks of a describe block: one private Redis for the block, apps stopped after each test. */
export function appsOn(kind: StoreKind): Apps {
  let redis: TestRedis | undefined;
  const running: TestApp[] = [];
  beforeAll(async () => {
    if (kind === 'redis') redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    closeAll();
    await Promise.all(running.splice(0).map((t) => t.stop()));
  });
  return {
    get redis() {
      return redis;
    },
    async start(env = {}, clock) {
      const t = await startTestApp({ redis, env, clock });
      running.push(t);
      return t;
    },
  };
}

export interface TestVisitor {
  socket: ClientSocket;
  token: string;
  /** The `session` event received right after connecting. */
  session: SessionEvent;
}

/** Connects a visitor (with a token to resume, or none) and waits for the first `session`. */
export async function joinAsVisitor(url: string, token?: string): Promise<TestVisitor> {
  const socket = await connect(url, '/visitor', token ? { token } : {});
  const session = await next<SessionEvent>(socket, 'session');
  return { socket, token: session.token, session };
}

export interface TestListener {
  socket: ClientSocket;
  staff: Staff;
  /** The `listener:state` received right after connecting. */
  state: ListenerState;
}

export type StaffOptions = Parameters<typeof createStaff>[1];

/** Creates a listener account, signs it in, connects to /listener and waits for `listener:state`. */
export async function joinAsListener(url: string, options: StaffOptions = {}): Promise<TestListener> {
  return connectListener(url, await createStaff(url, options));
}

/** Connects an existing account to /listener and waits for `listener:state`. */
export async function connectListener(url: string, staff: Staff): Promise<TestListener> {
  const socket = await connect(url, '/listener', { cookie: staff.cookie });
  const state = await next<ListenerState>(socket, 'listener:state');
  return { socket, staff, state };
}

/** Starts a chat and returns the conversation id; throws when refused. */
export async function startChat(visitor: TestVisitor, payload: Record<string, unknown> = { language: 'en' }): Promise<string> {
  const reply = await ack<StartAnswer>(visitor.socket, 'chat:start', payload);
  if (!reply.ok || !reply.conversationId) throw new Error(`chat:start refused: ${reply.error?.code ?? 'no id'}`);
  // The next start gets a later queue time: ties within one millisecond go by random id.
  await sleep(2);
  return reply.conversationId;
}

/** Waits until the listener is given this conversation (routing or transfer). */
export function assignedTo(listener: TestListener, conversationId: string, timeoutMs = 5000): Promise<{ conversation: ConversationView }> {
  return next<{ conversation: ConversationView }>(listener.socket, 'chat:assigned', (p) => p.conversation.id === conversationId, timeoutMs);
}

/** Starts a chat and waits until this listener has it (the listener must be the only one eligible). */
export async function chatBetween(listener: TestListener, visitor: TestVisitor, payload: Record<string, unknown> = { language: 'en' }): Promise<ConversationView> {
  const id = await startChat(visitor, payload);
  const { conversation } = await assignedTo(listener, id);
  await next(visitor.socket, 'chat:assigned', (p: { conversationId: string }) => p.conversationId === id);
  return conversation;
}

/** A visitor's message:send with a fresh clientMsgId (or the given one). */
export function visitorSays(visitor: TestVisitor, text: string, clientMsgId = msgId()): Promise<SendAnswer> {
  return ack<SendAnswer>(visitor.socket, 'message:send', { clientMsgId, text });
}

/** A listener's message:send with a fresh clientMsgId (or the given one). */
export function listenerSays(listener: TestListener, conversationId: string, text: string, clientMsgId = msgId()): Promise<SendAnswer> {
  return ack<SendAnswer>(listener.socket, 'message:send', { conversationId, clientMsgId, text });
}

/** Resolves when no matching `event` is buffered or arrives within `ms`; rejects when one does. */
export async function expectNoEvent<T>(socket: ClientSocket, event: string, match: (p: T) => boolean = () => true, ms = 1300): Promise<void> {
  let seen: T;
  try {
    seen = await next<T>(socket, event, match, ms);
  } catch {
    return;
  }
  throw new Error(`unexpected ${event}: ${JSON.stringify(seen)}`);
}

/** Resolves when the socket is disconnected by the server (or already is), within `ms`. */
export function disconnected(socket: ClientSocket, ms = 5000): Promise<string> {
  if (!socket.connected) return Promise.resolve('already');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket still connected')), ms);
    socket.once('disconnect', (reason: string) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** The `connect_error` message of a handshake that should be refused. */
export function refusal(socket: ClientSocket, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connect_error')), ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      reject(new Error('connected'));
    });
    socket.once('connect_error', (err: Error) => {
      clearTimeout(timer);
      resolve(err.message);
    });
  });
}

/** Polls `probe` until it returns a value that is not null, undefined or false; bounded by `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 5000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(everyMs);
  }
}

/** Calls the JSON API with the right Origin (and a cookie). */
export async function api<T = unknown>(url: string, method: string, path: string, cookie?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      origin: new URL(url).origin,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** The cookie of the server's first supervisor (set up on demand). */
export async function supervisorCookie(url: string): Promise<string> {
  const existing = adminCookie(url);
  if (existing) return existing;
  await createStaff(url, { role: 'supervisor' });
  const cookie = adminCookie(url);
  if (!cookie) throw new Error('no supervisor');
  return cookie;
}

/** GET /api/stats as the first supervisor. */
export async function statsOf(url: string): Promise<StatsSnapshot> {
  const { status, body } = await api<StatsSnapshot>(url, 'GET', '/api/stats', await supervisorCookie(url));
  if (status !== 200) throw new Error(`GET /api/stats: ${status}`);
  return body;
}

/** OPENING_HOURS open one hour on the weekday three days ahead in Brussels: closed all of today and tomorrow. */
export function hoursClosedNow(now = Date.now()): string {
  const day = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Brussels', weekday: 'short' }).format(now + 3 * 24 * 3600 * 1000);
  return `${day.toLowerCase()} 10:00-11:00`;
}

/** Seqs of messages, for compact assertions. */
export const seqs = (messages: readonly Message[]): number[] => messages.map((m) => m.seq);
