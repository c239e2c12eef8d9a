/** The oldest Redis the store runs on. */
import type { Redis } from 'ioredis';

/** Exclusive XRANGE starts, which readMessages relies on, arrived in Redis 6.2. */
const MIN_REDIS_VERSION = [6, 2];

/** Rejects when the server is older than the store needs. */
export async function checkVersion(client: Redis): Promise<void> {
  const info = await client.info('server');
  const match = /redis_version:(\d+)\.(\d+)/.exec(info);
  const [major, minor] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (major < MIN_REDIS_VERSION[0] || (major === MIN_REDIS_VERSION[0] && minor < MIN_REDIS_VERSION[1])) {
    throw new Error(`Redis ${MIN_REDIS_VERSION.join('.')} or later is required (found ${major}.${minor})`);
  }
}
