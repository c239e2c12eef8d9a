/** The Express app: security baseline, probes, the JSON API and the pages. No port, no globals. */
import express from 'express';
import type { Logger } from 'pino';
import type { StatsSnapshot } from '../../shared/protocol';
import type { Schemas } from '../../shared/schemas';
import type { Config } from '../config';
import type { Accounts } from '../domain/accounts';
import type { OpeningHours } from '../domain/opening-hours';
import { loadResources } from '../domain/resources';
import type { Metrics } from '../metrics';
import type { Store } from '../store/types';
import { authRouter } from './auth';
import { cannedRouter } from './canned';
import { colleaguesRouter } from './colleagues';
import { healthRouter } from './health';
import { defaultPublicDir, pagesRouter } from './pages';
import { createLoginLimits } from './rate-limits';
import { apiNotFound, errorHandler, jsonBody, noStore, originCheck, routeOf, securityHeaders } from './security';
import { setupRouter } from './setup';
import { statsRouter } from './stats';
import { statusRouter } from './status';
import { usersRouter } from './users';

export interface HttpDeps {
  config: Config;
  store: Store;
  logger: Logger;
  accounts: Accounts;
  metrics: Metrics;
  clock: () => number;
  /** Expected wait per language, in seconds. */
  estimateWaits: () => Promise<Record<string, number>>;
  stats: () => Promise<StatsSnapshot>;
  schemas: Schemas;
  hours: OpeningHours;
  /** Where the built client lives; dist/public by default. */
  publicDir?: string;
}

/** Builds the HTTP app; the caller mounts it on a server (and Socket.IO beside it). */
export function createHttpApp(deps: HttpDeps): express.Express {
  const { config, store, accounts } = deps;
  const { schemas } = deps;
  const log = deps.logger.child({ component: 'http' });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY === 0 ? false : config.TRUST_PROXY);

  app.use((req, res, next) => {
    // Method, path and status only: never addresses, headers, cookies or bodies.
    res.on('finish', () => log.debug({ method: req.method, route: routeOf(req.originalUrl), status: res.statusCode }, 'request'));
    next();
  });
  app.use(securityHeaders(config), noStore, originCheck(config), jsonBody);

  app.use(healthRouter(deps));
  app.use('/api/status', statusRouter({ ...deps, resources: loadResources(config) }));
  app.use('/api/setup', setupRouter({ accounts, config, schemas }));
  app.use('/api/auth', authRouter({ accounts, config, schemas, loginLimits: createLoginLimits(store, config) }));
  app.use('/api/users', usersRouter({ accounts, schemas }));
  app.use('/api/stats', statsRouter(deps));
  app.use('/api/canned', cannedRouter({ accounts, config, schemas, store }));
  app.use('/api/colleagues', colleaguesRouter({ accounts, store }));
  app.use('/api', apiNotFound);
  app.use(pagesRouter({ accounts, publicDir: deps.publicDir ?? defaultPublicDir() }));

  app.use((_req, res) => {
    res.status(404).type('text').send('Not found');
  });
  app.use(errorHandler(deps.logger));
  return app;
}
