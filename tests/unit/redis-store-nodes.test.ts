/**
 * What the Redis store keeps for timer leases, server nodes, shared secrets and visitor expiry,
 * beyond the shared contract: keys, TTLs, and what separate clients (server nodes) see.
 * Runs against a private redis-server, one key prefix per test.
 */
import type Redis from 'ioredis';
import type { RedisStore } from '../../server/store/redis/redis-store';
import { Scripts, StaleReadError } from '../../server/store/redis/scripts';
import { redisStoreFixture } from '../support/redis-store-fixture';

const HOUR = 3600;

const fx = redisStoreFixture('n');
let raw: Redis;
let store: RedisStore;
let t0: number;
const newNode = () => fx.newNode();

beforeEach(() => {
  ({ store, raw, t0 } = fx);
});

describe('leases, nodes, secrets and visitor expiry on Redis', () => {
  test('a timer claimed by a node that died before completing it goes to another node after the lease', async () => {
    const other = await newNode();
    await store.scheduleTimer('lg:l1', t0);
    expect(await store.claimDueTimers(t0, 10, 30_000)).toEqual([{ key: 'lg:l1', leaseUntil: t0 + 30_000 }]);
    await store.close();
    expect(await other.claimDueTimers(t0 + 29_999, 10, 30_000)).toEqual([]);
    const [again] = await other.claimDueTimers(t0 + 30_000, 10, 30_000);
    await other.completeTimer(again.key, again.leaseUntil);
    expect(await raw.zscore(other.keys.timers, 'lg:l1')).toBeNull();
  });

  test('every node gets the same shared secret, created once', async () => {
    const other = await newNode();
    const [a, b] = await Promise.all([store.sharedSecret('address-hash'), other.sharedSecret('address-hash')]);
    expect(a).toBe(b);
    expect(await raw.get(store.keys.secret('address-hash'))).toBe(a);
    expect(await raw.pttl(store.keys.secret('address-hash'))).toBe(-1);
  });

  test('a heartbeat expires on its own; reaping removes every key of the node', async () => {
    await store.nodeHeartbeat('n9', 5_000);
    const ttl = await raw.pttl(store.keys.nodeHeartbeat('n9'));
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
    await store.listenerConnected({ userId: 'l1', nodeId: 'n9', displayName: 'l1', languages: ['en'], maxConcurrent: 1, now: t0 });
    await store.visitorConnected('v1', 'n9');
    await store.reapNode({ nodeId: 'n9', visitorGraceDueAt: t0, listenerGraceDueAt: t0, force: true });
    for (const key of [store.keys.nodeHeartbeat('n9'), store.keys.nodeVisitors('n9'), store.keys.nodeListeners('n9')]) {
      expect(await raw.exists(key)).toBe(0);
    }
    expect(await raw.sismember(store.keys.nodes, 'n9')).toBe(0);
  });

  test('reaping refuses a stale list of the dead node\'s listeners', async () => {
    await store.listenerConnected({ userId: 'l1', nodeId: 'n9', displayName: 'l1', languages: ['en'], maxConcurrent: 1, now: t0 });
    const scripts = new Scripts(raw);
    const { keys } = store;
    const stale = scripts.run(
      'reapNode',
      [keys.nodes, keys.nodeHeartbeat('n9'), keys.nodeVisitors('n9'), keys.nodeListeners('n9'), keys.timers],
      ['n9', '1', 'vg:', t0, 'lg:', t0],
    );
    await expect(stale).rejects.toBeInstanceOf(StaleReadError);
    expect((await store.getPresence('l1'))?.connections).toBe(1);
  });

  test('touching a visitor moves the expiry of both keys', async () => {
    await store.createVisitor('hash-x', 'vx', t0, 90);
    await store.touchVisitor('hash-x', 'vx', 24 * HOUR);
    expect(await raw.ttl(store.keys.visitorToken('hash-x'))).toBeGreaterThan(24 * HOUR - 10);
    expect(await raw.ttl(store.keys.visitor('vx'))).toBeGreaterThan(24 * HOUR - 10);
  });
});
