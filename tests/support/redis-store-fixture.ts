/**
 * A private redis-server for a test file, a fresh key prefix per test, and as many store
 * "nodes" (separate connections on the same prefix) as a test wants; all closed after each test.
 */
import Redis from 'ioredis';
import { createRedisStore, type RedisStore } from '../../server/store/redis/redis-store';
import { startRedis, type TestRedis } from './redis-server';

export interface RedisStoreFixture {
  /** The test's first node. */
  store: RedisStore;
  /** A plain client on the same server, to look at what the scripts left. */
  raw: Redis;
  prefix: string;
  t0: number;
  /** Another store on the same prefix: a second server node with its own connection. */
  newNode(): Promise<RedisStore>;
}

/** Registers the jest hooks; read the fixture inside tests (its fields change per test). */
export function redisStoreFixture(prefixLetter: string): RedisStoreFixture {
  let redis: TestRedis;
  let n = 0;
  let open: RedisStore[] = [];
  const fx = {} as RedisStoreFixture;
  fx.newNode = async () => {
    const node = await createRedisStore({ url: redis.url, prefix: fx.prefix });
    open.push(node);
    return node;
  };
  beforeAll(async () => {
    redis = await startRedis({ appendonly: false });
    fx.raw = new Redis(redis.url);
  });
  afterAll(async () => {
    await fx.raw?.quit();
    await redis?.stop();
  });
  beforeEach(async () => {
    fx.prefix = `${prefixLetter}${++n}:`;
    fx.store = await fx.newNode();
    fx.t0 = Date.now();
  });
  afterEach(async () => {
    await Promise.all(open.map((s) => s.close()));
    open = [];
  });
  return fx;
}
