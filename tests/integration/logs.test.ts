/**
 * Logs never carry message text, tokens, cookies, passwords or addresses. Canary strings go
 * through every path that handles such data, including invalid payloads and store failures whose
 * error quotes its arguments (as a database driver may), and none may surface in the log output.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createMemoryStore } from '../../server/store/memory/memory-store';
import { createRedisStore } from '../../server/store/redis/redis-store';
import type { Store } from '../../server/store/types';
import type { ConversationView } from '../../shared/protocol';
import { startTestApp, type TestApp } from '../support/app';
import { logEntries, until } from '../support/load-helpers';
import { freePort, startRedis, type TestRedis } from '../support/redis-server';
import { ack, closeAll, next, rawSocket, sleep, type ClientSocket } from '../support/sockets';

type Reply = { ok: boolean; error?: { code: string }; conversationId?: string };

/** Every canary shares this marker, so even a truncated or partial copy is caught. */
const MARK = 'kanarie';
const CLIENT_IP = '203.0.113.77';

function canaries(kind: string) {
  const c = (name: string) => `${MARK}-${kind}-${name}-Zq9`;
  return {
    setupToken: c('setup-token-0123456789'),
    wrongSetupToken: c('wrong-setup-token-0123'),
    setupPassword: c('setup-password'),
    badJson: c('bad-json-password'),
    bigBody: c('big-body-password'),
    wrongPassword: c('wrong-password'),
    unknownUserPassword: c('unknown-user-password'),
    userPassword: c('user-password'),
    invalidBodyPassword: c('invalid-body-password'),
    changedPassword: c('changed-password'),
    failedChangePassword: c('failed-change-password'),
    firstMessage: c('first-message'),
    failedFirstMessage: c('failed-first-message'),
    visitorText: c('visitor-text'),
    listenerText: c('listener-text'),
    failedVisitorText: c('failed-visitor-text'),
    failedListenerText: c('failed-listener-text'),
    tooLong: c('too-long'),
    invalidText: c('invalid-text'),
    note: c('wrap-up-note'),
    failedNote: c('failed-wrap-up-note'),
    comment: c('feedback-comment'),
    failedComment: c('failed-feedback-comment'),
    blockReason: c('block-reason'),
    failedBlockReason: c('failed-block-reason'),
  };
}

// ---------------------------------------------------------------------------------------------
// A store that fails chosen calls once, with an error that quotes its arguments

/** Shaped like an ioredis ReplyError: the command and its arguments ride along on the error. */
class DriverError extends Error {
  readonly command: { name: string; args: unknown[] };

  constructor(name: string, args: unknown[]) {
    // Two lines, as some drivers format it: a stack's first line is not all of the message.
    super(`ERR simulated failure in ${name}\n  with arguments ${JSON.stringify(args)}`);
    this.name = 'ReplyError';
    this.command = { name, args };
  }
}

interface FailingStore {
  store: Store;
  /** The next call of `method` fails (once per call to failNext). */
  failNext(method: keyof Store): void;
  pending(): number;
}

function failingStore(inner: Store): FailingStore {
  const armed = new Map<PropertyKey, number>();
  const store = new Proxy(inner, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const left = armed.get(prop) ?? 0;
        if (left > 0) {
          armed.set(prop, left - 1);
          return Promise.reject(new DriverError(String(prop), args));
        }
        return method.apply(target, args);
      };
    },
  });
  return {
    store,
    failNext: (method) => armed.set(method, (armed.get(method) ?? 0) + 1),
    pending: () => [...armed.values()].reduce((a, b) => a + b, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP and socket helpers that send the client-address canary along

async function api(base: string, method: string, path: string, options: { body?: unknown; raw?: string; cookie?: string } = {}): Promise<Response> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      origin: new URL(base).origin,
      'x-forwarded-for': CLIENT_IP,
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    ...(options.raw !== undefined ? { body: options.raw } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  await res.arrayBuffer();
  return res;
}

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0];

async function socketTo(base: string, nsp: string, options: { cookie?: string; token?: string } = {}): Promise<ClientSocket> {
  const socket = rawSocket(base, nsp, {
    auth: options.token ? { token: options.token } : {},
    extraHeaders: { origin: new URL(base).origin, 'x-forwarded-for': CLIENT_IP, ...(options.cookie ? { cookie: options.cookie } : {}) },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Lines (any of `sources`) that contain `secret`. */
const leaks = (sources: readonly string[][], secret: string) => sources.flat().filter((line) => line.includes(secret));

// ---------------------------------------------------------------------------------------------

describe.each([['memory'], ['redis']])('logs on the %s store', (kind) => {
  let redis: TestRedis | undefined;
  let t: TestApp;
  let failing: FailingStore;
  const storeLogs: string[] = [];

  beforeAll(async () => {
    if (kind === 'redis') redis = await startRedis();
  });
  afterAll(async () => {
    closeAll();
    await t?.stop();
    await failing?.store.close();
    await redis?.stop();
  });

  it('carry no message text, note, comment, reason, password, token, cookie or address on any path, errors included', async () => {
    const C = canaries(kind);
    const storeLogger = createLogger('debug', { write: (line: string) => void storeLogs.push(line) });
    const prefix = `logs-${process.pid}-${Date.now()}:`;
    const inner = redis ? await createRedisStore({ url: redis.url, prefix, logger: storeLogger }) : createMemoryStore({ logger: storeLogger });
    failing = failingStore(inner);
    t = await startTestApp({
      redis,
      store: failing.store,
      env: { LOG_LEVEL: 'debug', SETUP_TOKEN: C.setupToken, TRUST_PROXY: '1', REDIS_PREFIX: prefix },
    });
    const secrets: string[] = Object.values(C);

    // Accounts: setup, failed logins, user creation, password changes (one with a store failure).
    expect((await api(t.url, 'POST', '/api/setup', { body: { setupToken: C.wrongSetupToken, username: 'sam.super', password: C.setupPassword, displayName: 'Sam' } })).status).toBe(403);
    const setup = await api(t.url, 'POST', '/api/setup', { body: { setupToken: C.setupToken, username: 'sam.super', password: C.setupPassword, displayName: 'Sam' } });
    expect(setup.status).toBe(201);
    const supervisor = cookieOf(setup);
    expect((await api(t.url, 'POST', '/api/auth/login', { raw: `{"username":"sam.super","password":"${C.badJson}"` })).status).toBe(400);
    expect((await api(t.url, 'POST', '/api/auth/login', { body: { username: 'sam.super', password: `${C.bigBody}${'x'.repeat(20_000)}` } })).status).toBe(413);
    expect((await api(t.url, 'POST', '/api/auth/login', { body: { username: 'sam.super', password: C.wrongPassword } })).status).toBe(401);
    expect((await api(t.url, 'POST', '/api/auth/login', { body: { username: 'nobody.here', password: C.unknownUserPassword } })).status).toBe(401);
    const newUser = { username: 'lee.listener', displayName: 'Lee', password: C.userPassword, role: 'listener', languages: ['fr', 'nl', 'en'], maxConcurrent: 3 };
    expect((await api(t.url, 'POST', '/api/users', { cookie: supervisor, body: { ...newUser, role: 'boss', password: C.invalidBodyPassword } })).status).toBe(400);
    const created = await api(t.url, 'POST', '/api/users', { cookie: supervisor, body: newUser });
    expect(created.status).toBe(201);
    const users = await fetch(`${t.url}/api/users`, { headers: { cookie: supervisor } });
    const listenerId = ((await users.json()) as { users: { id: string; username: string }[] }).users.find((u) => u.username === 'lee.listener')?.id ?? '';
    failing.failNext('updateUser');
    expect((await api(t.url, 'PATCH', `/api/users/${listenerId}`, { cookie: supervisor, body: { password: C.failedChangePassword } })).status).toBe(500);
    expect((await api(t.url, 'PATCH', `/api/users/${listenerId}`, { cookie: supervisor, body: { password: C.changedPassword } })).status).toBe(200);
    const signedIn = await api(t.url, 'POST', '/api/auth/login', { body: { username: 'lee.listener', password: C.changedPassword } });
    expect(signedIn.status).toBe(200);
    const listenerCookie = cookieOf(signedIn);
    expect((await api(t.url, 'GET', '/api/auth/me', { cookie: listenerCookie })).status).toBe(200);
    secrets.push(supervisor.split('=')[1], listenerCookie.split('=')[1]);

    // Sockets: a listener, a supervisor and visitors, all behind the forwarded address.
    const listener = await socketTo(t.url, '/listener', { cookie: listenerCookie });
    await next(listener, 'listener:state');
    const supervisorSocket = await socketTo(t.url, '/supervisor', { cookie: supervisor });
    await next(supervisorSocket, 'stats');

    const visitorA = await socketTo(t.url, '/visitor');
    const tokenA = (await next<{ token: string }>(visitorA, 'session')).token;
    secrets.push(tokenA);
    const assignedA = next<{ conversation: ConversationView }>(listener, 'chat:assigned');
    const startA = await ack<Reply>(visitorA, 'chat:start', { language: 'fr', topic: 'feelings', firstMessage: C.firstMessage });
    expect(startA.ok).toBe(true);
    const convA = (await assignedA).conversation.id;

    expect((await ack<Reply>(visitorA, 'message:send', { clientMsgId: 'visitor-msg-1', text: C.visitorText })).ok).toBe(true);
    expect((await ack<Reply>(listener, 'message:send', { conversationId: convA, clientMsgId: 'listener-msg-1', text: C.listenerText })).ok).toBe(true);
    const tooLong = `${C.tooLong} ${'x'.repeat(t.config.MAX_MESSAGE_LENGTH)}`;
    expect((await ack<Reply>(visitorA, 'message:send', { clientMsgId: 'visitor-msg-2', text: tooLong })).error?.code).toBe('too_long');
    expect((await ack<Reply>(listener, 'message:send', { conversationId: convA, clientMsgId: 'listener-msg-2', text: tooLong })).error?.code).toBe('too_long');

    // Invalid payloads carrying the canary, with and without an acknowledgement.
    const invalidVisitor: [string, unknown][] = [
      ['message:send', { clientMsgId: 'bad', text: C.invalidText }],
      ['message:send', { clientMsgId: 'visitor-msg-3', text: C.invalidText, extra: C.invalidText }],
      ['chat:start', { language: C.invalidText, firstMessage: C.invalidText }],
      ['feedback', { conversationId: convA, rating: 9, comment: C.invalidText }],
      ['sync', { conversationId: C.invalidText, afterSeq: -1 }],
      ['typing', { isTyping: C.invalidText }],
      ['chat:end', { reason: C.invalidText }],
    ];
    for (const [event, payload] of invalidVisitor) {
      expect((await ack<Reply>(visitorA, event, payload)).error?.code).toBe('invalid_payload');
      visitorA.emit(event, payload);
    }
    const invalidListener: [string, unknown][] = [
      ['message:send', { conversationId: convA, clientMsgId: 'x', text: C.invalidText }],
      ['chat:end', { conversationId: convA, outcome: { topics: [C.invalidText], risk: 'none', note: C.invalidText } }],
      ['visitor:block', { conversationId: convA, reason: `${C.invalidText}${'x'.repeat(600)}` }],
      ['chat:transfer', { conversationId: convA, to: { listenerId: `${C.invalidText} !` } }],
      ['status:set', { status: C.invalidText }],
    ];
    for (const [event, payload] of invalidListener) {
      expect((await ack<Reply>(listener, event, payload)).error?.code).toBe('invalid_payload');
      listener.emit(event, payload);
    }

    // Store failures in the middle of a message, either side: answered `internal`, logged without text.
    failing.failNext('appendMessage');
    expect((await ack<Reply>(visitorA, 'message:send', { clientMsgId: 'visitor-msg-4', text: C.failedVisitorText })).error?.code).toBe('internal');
    failing.failNext('appendMessage');
    expect((await ack<Reply>(listener, 'message:send', { conversationId: convA, clientMsgId: 'listener-msg-4', text: C.failedListenerText })).error?.code).toBe('internal');

    // The visitor comes back with their token.
    visitorA.disconnect();
    const visitorA2 = await socketTo(t.url, '/visitor', { token: tokenA });
    expect((await next<{ state: { phase: string } }>(visitorA2, 'session')).state.phase).toBe('chatting');

    // A second visitor whose first message meets a store failure, then starts again.
    const visitorB = await socketTo(t.url, '/visitor');
    secrets.push((await next<{ token: string }>(visitorB, 'session')).token);
    failing.failNext('startConversation');
    expect((await ack<Reply>(visitorB, 'chat:start', { language: 'nl', firstMessage: C.failedFirstMessage })).error?.code).toBe('internal');
    const assignedB = next<{ conversation: ConversationView }>(listener, 'chat:assigned');
    expect((await ack<Reply>(visitorB, 'chat:start', { language: 'nl' })).ok).toBe(true);
    const convB = (await assignedB).conversation.id;

    // Wrap-up note, feedback comment and block reason, each first meeting a store failure.
    failing.failNext('endConversation');
    expect((await ack<Reply>(listener, 'chat:end', { conversationId: convA, outcome: { topics: ['feelings'], risk: 'high', note: C.failedNote } })).error?.code).toBe('internal');
    expect((await ack<Reply>(listener, 'chat:end', { conversationId: convA, outcome: { topics: ['feelings'], risk: 'high', note: C.note } })).ok).toBe(true);
    failing.failNext('saveFeedback');
    expect((await ack<Reply>(visitorA2, 'feedback', { conversationId: convA, rating: 5, comment: C.failedComment })).error?.code).toBe('internal');
    expect((await ack<Reply>(visitorA2, 'feedback', { conversationId: convA, rating: 5, comment: C.comment })).ok).toBe(true);
    failing.failNext('endConversation');
    expect((await ack<Reply>(listener, 'visitor:block', { conversationId: convB, reason: C.failedBlockReason })).error?.code).toBe('internal');
    expect((await ack<Reply>(listener, 'visitor:block', { conversationId: convB, reason: C.blockReason })).ok).toBe(true);

    // Routing that meets a store failure logs it and recovers on a later round.
    const visitorC = await socketTo(t.url, '/visitor');
    secrets.push((await next<{ token: string }>(visitorC, 'session')).token);
    failing.failNext('assignInOrder');
    const assignedC = next(listener, 'chat:assigned', () => true, 10_000);
    expect((await ack<Reply>(visitorC, 'chat:start', { language: 'en' })).ok).toBe(true);
    await assignedC;

    expect((await api(t.url, 'POST', '/api/auth/logout', { cookie: listenerCookie })).status).toBe(204);
    await until(() => !listener.connected, 6_000, 'the signed-out listener to lose its socket');
    await sleep(200);
    expect(failing.pending()).toBe(0);

    // The checks could fail: there are logs, at every level, and the error paths did log.
    const sources = [t.logs, storeLogs];
    const messages = logEntries(t.logs).map((e) => `${String(e.level)} ${String(e.msg)}`);
    expect(messages.filter((m) => m === '50 handler failed').length).toBeGreaterThanOrEqual(6);
    expect(messages).toContain('50 request failed');
    expect(messages).toContain('50 dispatch failed');
    expect(messages).toContain('20 request');
    for (const secret of secrets) expect({ secret, lines: leaks(sources, secret) }).toEqual({ secret, lines: [] });
    expect(leaks(sources, MARK)).toEqual([]);
    expect(leaks(sources, CLIENT_IP)).toEqual([]);
    expect(leaks(sources, '127.0.0.1')).toEqual([]);
    expect(leaks(sources, '$argon2')).toEqual([]);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// The setup token: printed once when generated, never when it comes from the environment

async function startWithoutSetupToken(store: Store, logs: string[]) {
  const port = await freePort();
  const config = loadConfig({ LOG_LEVEL: 'debug', HOST: '127.0.0.1', PORT: String(port), PUBLIC_ORIGIN: `http://127.0.0.1:${port}` });
  expect(config.SETUP_TOKEN).toBeUndefined();
  const logger = createLogger(config.LOG_LEVEL, { write: (line: string) => void logs.push(line) });
  const app = await createApp({ config, store, logger });
  await new Promise<void>((resolve) => app.httpServer.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`, app };
}

describe('the setup token in the logs', () => {
  it('is printed exactly once when generated, and nothing else sensitive is', async () => {
    const store = createMemoryStore();
    const logs: string[] = [];
    const { url, app } = await startWithoutSetupToken(store, logs);
    try {
      const announced = logEntries(logs).map((e) => String(e.msg)).filter((m) => m.includes('setup token'));
      expect(announced).toHaveLength(1);
      const token = /setup token: (\S+)$/.exec(announced[0])?.[1] ?? '';
      expect(token.length).toBeGreaterThanOrEqual(22);

      const password = `${MARK}-generated-setup-password`;
      const res = await api(url, 'POST', '/api/setup', { body: { setupToken: token, username: 'first.super', password, displayName: 'First' } });
      expect(res.status).toBe(201);
      const cookie = cookieOf(res).split('=')[1];
      expect((await api(url, 'POST', '/api/setup', { body: { setupToken: token, username: 'second.super', password, displayName: 'Second' } })).status).toBe(409);

      expect(logs.filter((line) => line.includes(token))).toHaveLength(1);
      expect(leaks([logs], password)).toEqual([]);
      expect(leaks([logs], cookie)).toEqual([]);
      expect(leaks([logs], CLIENT_IP)).toEqual([]);

      // Another node (or a restart) after setup prints no token at all.
      const laterLogs: string[] = [];
      const later = await startWithoutSetupToken(store, laterLogs);
      await later.app.close();
      later.app.httpServer.close();
      expect(laterLogs.filter((line) => line.includes('setup token'))).toEqual([]);
      expect(laterLogs.filter((line) => line.includes(token))).toEqual([]);
    } finally {
      await app.close();
      app.httpServer.close();
      await store.close();
    }
  });

  it('is never printed when it comes from SETUP_TOKEN', async () => {
    const token = `${MARK}-environment-setup-token`;
    const t = await startTestApp({ env: { LOG_LEVEL: 'debug', SETUP_TOKEN: token } });
    try {
      expect(t.logs.length).toBeGreaterThan(0);
      expect(logEntries(t.logs).map((e) => String(e.msg)).join('\n')).toContain('SETUP_TOKEN');
      const res = await api(t.url, 'POST', '/api/setup', { body: { setupToken: token, username: 'env.super', password: 'a long enough password', displayName: 'Env' } });
      expect(res.status).toBe(201);
      expect(leaks([t.logs], token)).toEqual([]);
      expect(leaks([t.logs], MARK)).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});
