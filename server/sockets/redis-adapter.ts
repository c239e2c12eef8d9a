/**
 * The Socket.IO Redis adapter on two dedicated connections. The adapter fires `publish` and drops
 * the promise, so a broadcast while Redis is unreachable (an outage, or shutdown after the
 * connections closed) would be an unhandled rejection, which ends a Node process. Here a failed
 * publish is logged instead: local sockets already got the event, other nodes miss it and their
 * clients recover through `seq` + `sync`.
 */
import { createAdapter, type RedisAdapterOptions } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errorSummary } from '../logger';

type Publish = (channel: string | Buffer, message: string | Buffer) => Promise<number>;

/** Builds the adapter factory; `pub` and `sub` must be connections of their own. */
export function createRedisAdapter(pub: Redis, sub: Redis, options: Partial<RedisAdapterOptions>, logger: Logger) {
  for (const client of [pub, sub]) {
    client.on('error', (err: Error) => logger.warn({ err: errorSummary(err) }, 'adapter redis connection error'));
  }
  const publish: Publish = pub.publish.bind(pub);
  const guarded: Publish = (channel, message) =>
    publish(channel, message).catch((err: unknown) => {
      logger.warn({ err: errorSummary(err) }, 'adapter publish failed');
      return 0;
    });
  Object.assign(pub, { publish: guarded });
  return createAdapter(pub, sub, options);
}
