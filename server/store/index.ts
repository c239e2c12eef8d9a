/** Picks the store from the configuration: Redis when REDIS_URL is set, else the in-process one. */
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createMemoryStore } from './memory/memory-store';
import { createRedisStore } from './redis/redis-store';
import type { Store } from './types';

export async function createStore(config: Pick<Config, 'REDIS_URL' | 'REDIS_PREFIX'>, logger: Logger): Promise<Store> {
  if (config.REDIS_URL) {
    return createRedisStore({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger });
  }
  logger.warn(
    'Using the in-process store: all state (queue, conversations, accounts) is lost on restart and it serves ONE node only. Set REDIS_URL for production.',
  );
  return createMemoryStore({ logger: logger.child({ component: 'memory-store' }) });
}
