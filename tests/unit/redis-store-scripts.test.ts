/**
 * The Redis store's scripts beyond the shared contract: what they leave in Redis (key layout,
 * stream ids, TTLs, counters), their refusal of stale inputs, and races between separate clients
 * (as between server nodes). Runs against a private redis-server, one key prefix per test.
 */
import type Redis from 'ioredis';
import { AppError } from '../../shared/errors';
import type { RedisStore } from '../../server/store/redis/redis-store';
import { Scripts, StaleReadError, toStoreError } from '../../server/store/redis/scripts';
import { timerKeys } from '../../server/store/timer-keys';
import type { StartInput } from '../../server/store/types';
import { redisStoreFixture } from '../support/redis-store-fixture';

const DAY = '2030-02-01';
const HOUR = 3600;

const fx = redisStoreFixture('u');
let raw: Redis;
let prefix: string;
let store: RedisStore;
let t0: number;
const newNode = () => fx.newNode();

beforeEach(() => {
  ({ store, raw, prefix, t0 } = fx);
});

async function start(overrides: Partial<StartInput> & { conversationId: string }) {
  const visitorId = overrides.visitorId ?? `v-${overrides.conversationId}`;
  if (!(await store.getVisitor(visitorId))) await store.createVisitor(`h-${visitorId}`, visitorId, t0, HOUR);
  return store.startConversation({ language: 'en', urgent: false, now: t0, day: DAY, maxQueued: 100, ...overrides, visitorId });
}

async function online(s: RedisStore, userId: string, maxConcurrent = 3) {
  await s.listenerConnected({ userId, nodeId: 'n1', displayName: userId, languages: ['en', 'fr'], maxConcurrent, now: t0 });
}

async function activeChat(conversationId: string, listenerId: string) {
  await start({ conversationId, visitorId: `v-${conversationId}` });
  if (!(await store.getPresence(listenerId))) await online(store, listenerId);
  return store.assign({ conversationId, listenerId, manual: false, now: t0 + 5_000, day: DAY });
}

/** Total waiting according to the queues themselves. */
async function queuedInSets(): Promise<number> {
  const languages = await raw.smembers(store.keys.queueLanguages);
  const sizes = await Promise.all(languages.map((l) => raw.zcard(store.keys.queue(l))));
  return sizes.reduce((a, b) => a + b, 0);
}

describe('script error mapping', () => {
  test('APP codes become AppError, STALE becomes StaleReadError, anything else passes through', () => {
    expect(toStoreError(new Error('APP not_yours'))).toEqual(new AppError('not_yours'));
    expect(toStoreError(new Error('STALE changed'))).toBeInstanceOf(StaleReadError);
    const other = new Error('ERR something else');
    expect(toStoreError(other)).toBe(other);
    expect(toStoreError(new Error('APP no_such_code'))).not.toBeInstanceOf(AppError);
  });

  test('a script called with the wrong number of keys is refused before reaching Redis', async () => {
    const scripts = new Scripts(raw);
    await expect(scripts.run('transfer', ['only-one'], [])).rejects.toThrow('takes 6 keys');
  });
});

describe('script calls', () => {
  /** Calls of EVAL and of EVALSHA the server has counted so far. */
  async function evalCalls(): Promise<{ eval: number; evalsha: number }> {
    const stats = await raw.info('commandstats');
    const calls = (cmd: string) => Number(new RegExp(`^cmdstat_${cmd}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
    return { eval: calls('eval'), evalsha: calls('evalsha') };
  }

  test('EVAL on first use, EVALSHA after, EVAL again once Redis forgot the script; arguments never copied through Array#flat', async () => {
    const scripts = new Scripts(raw);
    await raw.zadd(store.keys.timers, t0 - 1, 'due-1', t0 - 1, 'due-2');
    // Numbers are sent as their decimal text, as ioredis would.
    const claim = () => scripts.run('claimDueTimers', [store.keys.timers], [t0, 1, t0 + 1000]);
    let before = await evalCalls();
    const flat = jest.spyOn(Array.prototype, 'flat');
    let flattened: unknown[];
    try {
      expect(await claim()).toEqual(['due-1']);
      expect(await claim()).toEqual(['due-2']);
    } finally {
      flattened = flat.mock.contexts.filter((list) => Array.isArray(list) && list.length > 0);
      flat.mockRestore();
    }
    // ioredis's own script function copies its whole argument list with flat(), element by element.
    expect(flattened).toEqual([]);
    expect(await evalCalls()).toEqual({ eval: before.eval + 1, evalsha: before.evalsha + 1 });

    await raw.script('FLUSH');
    before = await evalCalls();
    expect(await claim()).toEqual([]);
    const after = await evalCalls();
    expect(after.eval).toBe(before.eval + 1);
  });
});

describe('key layout', () => {
  test('every key the store writes starts with its prefix', async () => {
    await activeChat('c1', 'l1');
    await store.createUser({ id: 'u1', username: 'ann', displayName: 'Ann', role: 'supervisor', languages: ['en'], maxConcurrent: 2, active: true, passwordHash: 'h', createdAt: t0 });
    await store.createSession({ id: 's1', userId: 'u1', createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 60_000 });
    await store.scheduleTimer('k', t0);
    // Earlier tests used other prefixes; none of them ever wrote a key outside its own.
    const all = await raw.keys('*');
    expect(all.filter((k) => k.startsWith(prefix)).length).toBeGreaterThan(10);
    expect(all.filter((k) => !/^u\d+:/.test(k))).toEqual([]);
  });

  test("a conversation's keys share one hash tag, so they live in one Cluster slot", () => {
    const { keys } = store;
    const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
    expect(tag(keys.conversation('abc'))).toBe('c:abc');
    expect(tag(keys.messages('abc'))).toBe('c:abc');
    expect(tag(keys.dedup('abc'))).toBe('c:abc');
  });
});

describe('startConversation script', () => {
  test('the queue entry is scored urgent first, then by queuedAt', async () => {
    await start({ conversationId: 'plain', now: t0 });
    await start({ conversationId: 'urgent', urgent: true, now: t0 + 1 });
    const scores = await raw.zrange(store.keys.queue('en'), 0, -1, 'WITHSCORES');
    expect(scores).toEqual(['urgent', String(t0 + 1), 'plain', String(1e13 + t0)]);
  });

  test('refuses when the visitor started another conversation since the caller read it', async () => {
    await start({ conversationId: 'c1', visitorId: 'v1' });
    const { keys } = store;
    const scripts = new Scripts(raw);
    const stale = scripts.run(
      'startConversation',
      [keys.visitor('v1'), keys.conversation('c2'), keys.conversation('c2'), keys.messages('c2'), keys.dedup('c2'),
        keys.queue('en'), keys.queueLanguages, keys.queueWaiting, keys.dayCounters(DAY), keys.timers],
      ['c2', 'v1', '', 'en', '', '', '0', t0, t0, 100, 60, '', '', new Date(t0).toISOString(), timerKeys.longWait('c2'), t0 + 300_000],
    );
    await expect(stale).rejects.toBeInstanceOf(StaleReadError);
    expect(await raw.exists(keys.conversation('c2'))).toBe(0);
    expect(await raw.zscore(keys.timers, timerKeys.longWait('c2'))).toBeNull();
  });

  test('a conversation id already in use is refused as internal', async () => {
    await start({ conversationId: 'c1', visitorId: 'v1' });
    await expect(start({ conversationId: 'c1', visitorId: 'v2' })).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('routing reads', () => {
  test('the heads of the queues with their records, and every presence, are one round trip each', async () => {
    await start({ conversationId: 'a' });
    await start({ conversationId: 'b', language: 'fr' });
    await online(store, 'l2');
    await online(store, 'l1');
    // The server now knows the scripts: EVALSHA, not EVAL, below.
    await store.queuedConversations(null, 1);
    await store.listPresence();
    const sent: string[] = [];
    const original = store.client.sendCommand.bind(store.client);
    store.client.sendCommand = ((command: Parameters<typeof original>[0], stream?: Parameters<typeof original>[1]) => {
      sent.push(command.name);
      return original(command, stream);
    }) as typeof store.client.sendCommand;
    try {
      expect((await store.queuedConversations(null, 5)).map((c) => c.id)).toEqual(['a', 'b']);
      expect((await store.queuedConversations(['fr', 'nl'], 5)).map((c) => c.id)).toEqual(['b']);
      expect((await store.listPresence()).map((p) => p.userId)).toEqual(['l1', 'l2']);
    } finally {
      store.client.sendCommand = original;
    }
    expect(sent).toEqual(['evalsha', 'evalsha', 'evalsha']);
  });
});

describe('appendMessage script', () => {
  test('messages are stream entries with ids 0-<seq> and no conversation text elsewhere', async () => {
    await start({ conversationId: 'c1', visitorId: 'v1', firstMessage: { text: 'first words', clientMsgId: 'msg-first' } });
    await store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: 'second words', clientMsgId: 'msg-second', now: t0 });
    const entries = await raw.xrange(store.keys.messages('c1'), '-', '+');
    expect(entries.map(([id]) => id)).toEqual(['0-1', '0-2']);
    expect(entries[1][1]).toEqual(['from', 'visitor', 'text', 'second words', 'at', new Date(t0).toISOString(), 'cmid', 'msg-second']);
    const statKeys = await raw.keys(`${prefix}st:*`);
    for (const key of statKeys) {
      const type = await raw.type(key);
      const dump = type === 'hash' ? JSON.stringify(await raw.hgetall(key)) : JSON.stringify(await raw.lrange(key, 0, -1));
      expect(dump).not.toMatch(/words/);
    }
  });

  test('one clientMsgId used by the visitor and by the listener is two messages', async () => {
    await activeChat('c1', 'l1');
    const visitor = await store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v-c1', text: 'a', clientMsgId: 'same-id-1', now: t0 });
    const listener = await store.appendMessage({ conversationId: 'c1', from: 'listener', senderId: 'l1', text: 'b', clientMsgId: 'same-id-1', now: t0 });
    expect([visitor.duplicate, listener.duplicate]).toEqual([false, false]);
    expect([visitor.message.seq, listener.message.seq]).toEqual([2, 3]);
  });

  test('the messages of one turn share one script call, each with its own answer', async () => {
    await activeChat('c1', 'l1');
    await start({ conversationId: 'c2', visitorId: 'v2' });
    // EVALSHA, or EVAL when the server had not seen the script yet.
    const scriptCalls = async () => {
      const lines = (await raw.info('commandstats')).split('\n').filter((l) => /^cmdstat_eval(sha)?:/.test(l));
      return lines.reduce((n, l) => n + Number(/calls=(\d+)/.exec(l)?.[1] ?? 0), 0);
    };
    const before = await scriptCalls();
    const send = (conversationId: string, from: 'visitor' | 'listener', senderId: string, text: string, clientMsgId: string) =>
      store.appendMessage({ conversationId, from, senderId, text, clientMsgId, now: t0 + 10 }).then(
        (r) => ({ seq: r.message.seq, text: r.message.text, duplicate: r.duplicate, listenerId: r.listenerId }),
        (err: unknown) => (err instanceof AppError ? err.code : err),
      );
    // All issued in the same turn: one batch, answered in order.
    const results = await Promise.all([
      send('c1', 'visitor', 'v-c1', 'one', 'msg-one'),
      send('c2', 'listener', 'l1', 'not theirs', 'msg-x'),
      send('c1', 'listener', 'l1', 'two', 'msg-two'),
      send('c1', 'visitor', 'v-c1', 'one again', 'msg-one'),
      send('missing', 'visitor', 'v-c1', 'lost', 'msg-y'),
      send('c2', 'visitor', 'v2', 'queued words', 'msg-q'),
    ]);
    expect(await scriptCalls()).toBe(before + 1);
    expect(results).toEqual([
      { seq: 2, text: 'one', duplicate: false, listenerId: 'l1' },
      'not_yours',
      { seq: 3, text: 'two', duplicate: false, listenerId: 'l1' },
      { seq: 2, text: 'one', duplicate: true, listenerId: 'l1' },
      'not_found',
      { seq: 1, text: 'queued words', duplicate: false, listenerId: undefined },
    ]);
    const stored = await store.readMessages('c1', 1);
    expect(stored.map((m) => [m.seq, m.text])).toEqual([[2, 'one'], [3, 'two']]);
  });

  test('a command issued after an append in the same turn reaches Redis after it', async () => {
    await start({ conversationId: 'c1', visitorId: 'v1' });
    const sent = store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: 'last words', clientMsgId: 'msg-last', now: t0 });
    // Issued on the store's own connection after the append: it must not overtake the batch.
    const ended = store.client.hset(store.keys.conversation('c1'), 'state', 'ended');
    const [result] = await Promise.all([sent, ended]);
    expect(result).toMatchObject({ duplicate: false, message: { seq: 1, text: 'last words' } });
    expect(await store.readMessages('c1', 0)).toHaveLength(1);
  });

  test('in a batch, a retry after the chat ended answers the original and a new message is refused', async () => {
    await start({ conversationId: 'c1', visitorId: 'v1' });
    const send = (text: string, clientMsgId: string) =>
      store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text, clientMsgId, now: t0 }).then(
        (r) => ({ seq: r.message.seq, text: r.message.text, duplicate: r.duplicate }),
        (err: unknown) => (err instanceof AppError ? err.code : err),
      );
    expect(await send('before the end', 'msg-before')).toEqual({ seq: 1, text: 'before the end', duplicate: false });
    await store.endConversation({ conversationId: 'c1', endedBy: 'visitor', visitorId: 'v1', now: t0 + 1, day: DAY, retentionSeconds: 60 });
    expect(await Promise.all([send('retried', 'msg-before'), send('after the end', 'msg-after')])).toEqual([
      { seq: 1, text: 'before the end', duplicate: true },
      'not_chatting',
    ]);
  });

  test('a command failing inside one message of a batch fails that message alone', async () => {
    await start({ conversationId: 'c1', visitorId: 'v1' });
    await start({ conversationId: 'c2', visitorId: 'v2' });
    await raw.set(store.keys.dedup('c2'), 'not a hash'); // damaged: HGET on it fails with WRONGTYPE
    const send = (conversationId: string, visitorId: string) =>
      store.appendMessage({ conversationId, from: 'visitor', senderId: visitorId, text: 'words', clientMsgId: `msg-${conversationId}`, now: t0 });
    const [damaged, fine] = await Promise.allSettled([send('c2', 'v2'), send('c1', 'v1')]);
    expect(damaged.status).toBe('rejected');
    expect(damaged.status === 'rejected' && damaged.reason).not.toBeInstanceOf(AppError);
    expect(fine).toMatchObject({ status: 'fulfilled', value: { duplicate: false, message: { seq: 1 } } });
  });

  test('a message whose stream write fails is not taken for stored: its retry stores it', async () => {
    await start({ conversationId: 'c1', visitorId: 'v1' });
    const send = () => store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: 'kept words', clientMsgId: 'msg-retry', now: t0 });
    await raw.set(store.keys.messages('c1'), 'not a stream'); // damaged: XADD on it fails with WRONGTYPE
    await expect(send()).rejects.not.toBeInstanceOf(AppError);
    expect(await raw.hgetall(store.keys.dedup('c1'))).toEqual({});
    await raw.del(store.keys.messages('c1'));
    expect(await send()).toMatchObject({ duplicate: false, message: { text: 'kept words' } });
    expect((await store.readMessages('c1', 0)).map((m) => m.text)).toEqual(['kept words']);
  });

  test('a failed batch call fails each of its messages, and the next turn works again', async () => {
    await start({ conversationId: 'c1', visitorId: 'v1' });
    const send = (i: number) => store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: `t${i}`, clientMsgId: `msg-f-${i}`, now: t0 });
    // Out of memory: the script's first write fails, and with it the whole call.
    await raw.config('SET', 'maxmemory', '1');
    await raw.config('SET', 'maxmemory-policy', 'noeviction');
    try {
      const failed = await Promise.allSettled([send(1), send(2)]);
      expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await raw.config('SET', 'maxmemory', '0');
    }
    expect((await send(3)).message.seq).toBe(1);
  });

  test('appends from two nodes interleave without gaps', async () => {
    await start({ conversationId: 'c1', visitorId: 'v1' });
    const other = await newNode();
    const sends = Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? other : store).appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: `t${i}`, clientMsgId: `msg-node-${i}`, now: t0 }),
    );
    const seqs = (await Promise.all(sends)).map((r) => r.message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});

describe('assign, requeue and end across nodes', () => {
  test('two nodes assigning one conversation: exactly one wins', async () => {
    await start({ conversationId: 'c1' });
    const other = await newNode();
    await online(store, 'l1');
    await online(other, 'l2');
    const results = await Promise.allSettled([
      store.assign({ conversationId: 'c1', listenerId: 'l1', manual: false, now: t0 + 1_000, day: DAY }),
      other.assign({ conversationId: 'c1', listenerId: 'l2', manual: false, now: t0 + 1_000, day: DAY }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected');
    expect(loser).toMatchObject({ reason: { code: 'already_taken' } });
    expect(await raw.scard(store.keys.activeConversations)).toBe(1);
  });

  test('the waiting counter always equals what the queues hold', async () => {
    await start({ conversationId: 'a' });
    await start({ conversationId: 'b', language: 'fr' });
    await start({ conversationId: 'c' });
    await online(store, 'l1');
    await store.assign({ conversationId: 'a', listenerId: 'l1', manual: false, now: t0, day: DAY });
    await store.endConversation({ conversationId: 'b', endedBy: 'visitor', now: t0, day: DAY, retentionSeconds: 60 });
    await store.requeue({ conversationId: 'a', listenerId: 'l1', code: 'listener_lost', now: t0 });
    expect(Number(await raw.get(store.keys.queueWaiting))).toBe(await queuedInSets());
    expect(await queuedInSets()).toBe(2);
  });

  test('a requeue keeps the load at zero when the presence was forgotten, creating no partial presence', async () => {
    await activeChat('c1', 'l1');
    await raw.del(store.keys.presence('l1'));
    await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 });
    expect(await raw.exists(store.keys.presence('l1'))).toBe(0);
    await online(store, 'l1');
    expect((await store.getPresence('l1'))?.load).toBe(0);
  });

  test('removePresence keeps a listener who still holds conversations or reconnected', async () => {
    await activeChat('c1', 'l1');
    await store.listenerDisconnected('l1', 'n1');
    await store.removePresence('l1');
    expect(await store.getPresence('l1')).not.toBeNull();
    await online(store, 'l2');
    await store.removePresence('l2');
    expect(await store.getPresence('l2')).not.toBeNull();
  });

  test('end refuses when the listener changed since the caller read it', async () => {
    await activeChat('c1', 'l1');
    const { keys } = store;
    const scripts = new Scripts(raw);
    const stale = scripts.run(
      'endConversation',
      [keys.conversation('c1'), keys.messages('c1'), keys.dedup('c1'), keys.queue('en'), keys.queueWaiting,
        keys.presence('l9'), keys.listenerConversations('l9'), keys.activeConversations, keys.flaggedConversations,
        keys.dayCounters(DAY), keys.dayDurations(DAY), keys.visitor('v-c1'), keys.timers],
      ['c1', 'l9', 'en', '', '', 'system', '', '', '', '', '', t0, new Date(t0).toISOString(), 'x', 60_000, 60, timerKeys.longWait('c1')],
    );
    await expect(stale).rejects.toBeInstanceOf(StaleReadError);
    expect((await store.getConversation('c1'))?.state).toBe('active');
  });

  test('ending sets the retention TTL on the conversation, its transcript and its dedup hash', async () => {
    await activeChat('c1', 'l1');
    await store.appendMessage({ conversationId: 'c1', from: 'listener', senderId: 'l1', text: 'x', clientMsgId: 'msg-ttl-1', now: t0 });
    const { keys } = store;
    const conversationKeys = [keys.conversation('c1'), keys.messages('c1'), keys.dedup('c1')];
    for (const key of conversationKeys) expect(await raw.pttl(key)).toBe(-1);
    await store.endConversation({ conversationId: 'c1', endedBy: 'listener', listenerId: 'l1', now: t0, day: DAY, retentionSeconds: 2 * HOUR });
    for (const key of conversationKeys) {
      const ttl = await raw.pttl(key);
      expect(ttl).toBeGreaterThan(2 * HOUR * 1000 - 5_000);
      expect(ttl).toBeLessThanOrEqual(2 * HOUR * 1000);
    }
  });

  test("day statistics expire after about a week; outcome risk is counted, never the note's text", async () => {
    await activeChat('c1', 'l1');
    const outcome = { topics: ['family'], risk: 'high' as const, note: 'private note' };
    await store.endConversation({ conversationId: 'c1', endedBy: 'listener', listenerId: 'l1', outcome, now: t0 + 60_000, day: DAY, retentionSeconds: 60 });
    for (const key of [store.keys.dayCounters(DAY), store.keys.dayWaits(DAY), store.keys.dayDurations(DAY)]) {
      expect(await raw.ttl(key)).toBeGreaterThan(7 * 24 * 3600);
    }
    const counters = await raw.hgetall(store.keys.dayCounters(DAY));
    expect(counters['risk:high']).toBe('1');
    expect(JSON.stringify(counters)).not.toMatch(/private/);
  });
});

describe('timers, sessions and visitors', () => {
  test('two nodes claiming the same due timers get each exactly once', async () => {
    const other = await newNode();
    const keys = Array.from({ length: 50 }, (_, i) => `timer-${i}`);
    for (const [i, key] of keys.entries()) await store.scheduleTimer(key, t0 + i);
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).claimDueTimers(t0 + 1_000, 7, 30_000)),
    );
    const claimed = claims.flat().map((c) => c.key);
    expect(claimed.sort()).toEqual([...keys].sort());
  });

  test("a user's session index lives as long as their longest session", async () => {
    await store.createSession({ id: 's1', userId: 'u1', createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 60_000 });
    await store.createSession({ id: 's2', userId: 'u1', createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 600_000 });
    expect(await raw.pttl(store.keys.session('s1'))).toBeLessThanOrEqual(60_000);
    expect(await raw.pttl(store.keys.userSessions('u1'))).toBeGreaterThan(590_000);
  });

  test('deleteUserSessions refuses a stale list of sessions', async () => {
    await store.createSession({ id: 's1', userId: 'u1', createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 60_000 });
    await store.createSession({ id: 's2', userId: 'u1', createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 60_000 });
    const scripts = new Scripts(raw);
    const stale = scripts.run('deleteUserSessions', [store.keys.userSessions('u1'), store.keys.session('s1')], ['u1', 's1']);
    await expect(stale).rejects.toBeInstanceOf(StaleReadError);
    expect(await raw.exists(store.keys.session('s1'))).toBe(1);
  });

  test('touching a session slides its TTL to the idle limit', async () => {
    await store.createSession({ id: 's1', userId: 'u1', createdAt: t0, lastSeenAt: t0, expiresAt: t0 + HOUR * 1000 });
    await store.touchSession('s1', t0, 120);
    const ttl = await raw.pttl(store.keys.session('s1'));
    expect(ttl).toBeGreaterThan(115_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  test('a visitor and their token index both expire', async () => {
    await store.createVisitor('hash-x', 'vx', t0, 90);
    expect(await raw.ttl(store.keys.visitorToken('hash-x'))).toBeGreaterThan(85);
    expect(await raw.ttl(store.keys.visitor('vx'))).toBeGreaterThan(85);
  });
});
