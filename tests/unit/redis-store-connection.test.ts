/**
 * The Redis store's connection behaviour: failing fast and visibly when Redis is away, and
 * carrying on with its data once Redis is back. Uses its own redis-server, which it kills.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRedisStore, type RedisStore } from '../../server/store/redis/redis-store';
import { resolveLuaDir } from '../../server/store/redis/scripts';
import { freePort, startRedis, type TestRedis } from '../support/redis-server';
import { timersLeftBy } from '../support/timers';

const DAY = '2030-03-01';

describe('connecting', () => {
  test('creating a store rejects quickly when nothing listens', async () => {
    const port = await freePort();
    const began = Date.now();
    await expect(createRedisStore({ url: `redis://127.0.0.1:${port}`, prefix: 'x:' })).rejects.toThrow();
    expect(Date.now() - began).toBeLessThan(5_000);
  });

  test('a store that could not connect leaves no timer behind', async () => {
    const port = await freePort();
    expect(await timersLeftBy(() => createRedisStore({ url: `redis://127.0.0.1:${port}`, prefix: 'x:' }).catch(() => undefined))).toBe(0);
  });

  test('the Lua scripts are found, one file per script with its key count in the name', () => {
    const dir = resolveLuaDir();
    expect(existsSync(join(dir, 'append-messages-n.lua'))).toBe(true);
    for (const file of readdirSync(dir)) expect(file).toMatch(/^[a-z-]+-(\d+|n)\.lua$/);
  });
});

describe('when Redis goes away and comes back', () => {
  let redis: TestRedis;
  let store: RedisStore;

  beforeAll(async () => {
    redis = await startRedis({ appendonly: true });
    store = await createRedisStore({ url: redis.url, prefix: 'r:' });
  });

  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });

  test('commands fail within seconds while it is down, and accepted messages survive the restart', async () => {
    const now = Date.now();
    await store.createVisitor('h1', 'v1', now, 3600);
    await store.startConversation({ conversationId: 'c1', visitorId: 'v1', language: 'en', urgent: false, now, day: DAY, maxQueued: 10 });
    const sent = await store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: 'kept', clientMsgId: 'msg-kept-1', now });

    await redis.kill();
    const began = Date.now();
    await expect(store.ping()).rejects.toThrow();
    expect(Date.now() - began).toBeLessThan(10_000);

    await redis.restart();
    const deadline = Date.now() + 10_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      ready = await store.ping().then(() => true, () => false);
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toBe(true);
    expect((await store.readMessages('c1', 0)).map((m) => m.text)).toEqual(['kept']);
    const again = await store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: 'kept', clientMsgId: 'msg-kept-1', now });
    expect(again).toMatchObject({ duplicate: true, message: sent.message });
  });

  test('closing leaves no timer behind', async () => {
    const store = await createRedisStore({ url: redis.url, prefix: 'r3:' });
    expect(await timersLeftBy(() => store.close().catch(() => undefined))).toBe(0);
  });

  test('close is clean and may be called twice', async () => {
    const other = await createRedisStore({ url: redis.url, prefix: 'r2:' });
    await other.close();
    await expect(other.close()).resolves.toBeUndefined();
    expect(other.client.status).toBe('end');
  });
});
