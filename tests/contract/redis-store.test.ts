/** The Store contract on the Redis store, against a private redis-server with a fresh prefix per test. */
import { createRedisStore, type RedisStore } from '../../server/store/redis/redis-store';
import type { Store } from '../../server/store/types';
import { startRedis, type TestRedis } from '../support/redis-server';
import { describeStoreContract } from './store-contract';

let redis: TestRedis;
let n = 0;

beforeAll(async () => {
  redis = await startRedis({ appendonly: false });
});

afterAll(async () => {
  await redis?.stop();
});

/** Deletes every key of the test's prefix, then closes the store. */
async function cleanup(store: Store): Promise<void> {
  const { client, keys } = store as RedisStore;
  const stream = client.scanStream({ match: `${keys.prefix}*`, count: 500 });
  for await (const batch of stream) {
    const found = batch as string[];
    if (found.length > 0) await client.unlink(...found);
  }
  await store.close();
}

describeStoreContract('redis', () => createRedisStore({ url: redis.url, prefix: `t${++n}:` }), cleanup);
