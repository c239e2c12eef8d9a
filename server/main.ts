/** Reads the configuration, builds the app on its store, binds the port, shuts down cleanly. */
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger, errorSummary } from './logger';
import { createStore } from './store';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  const logger = createLogger(config.LOG_LEVEL);
  const store = await createStore(config, logger);
  const app = await createApp({ config, store, logger });

  await new Promise<void>((resolve) => app.httpServer.listen(config.PORT, config.HOST, resolve));
  logger.info({ port: config.PORT, host: config.HOST, store: store.kind }, `listening on ${config.PUBLIC_ORIGIN}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    app
      .close()
      .then(() => store.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err: errorSummary(err) }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
