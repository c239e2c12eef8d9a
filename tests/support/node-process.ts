/**
 * One app node in a process of its own, so a fault test can kill it outright (see child-node.ts).
 * Every setting comes from the environment, as for startTestApp (REDIS_URL, REDIS_PREFIX, PORT,
 * PUBLIC_ORIGIN, short grace periods); it prints `LISTENING <port>` once it serves.
 */
import pino from 'pino';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createRedisStore } from '../../server/store/redis/redis-store';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.REDIS_URL) throw new Error('REDIS_URL is required: a second node shares the first one\'s Redis');
  // Logs go to stderr, so stdout carries only the ready line.
  const logger = createLogger(config.LOG_LEVEL, pino.destination(2));
  const store = await createRedisStore({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger });
  const app = await createApp({ config, store, logger });
  await new Promise<void>((resolve) => app.httpServer.listen(config.PORT, config.HOST, resolve));
  process.stdout.write(`LISTENING ${config.PORT}\n`);
  process.once('SIGTERM', () => {
    void app.close().then(() => store.close()).finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`node-process failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
