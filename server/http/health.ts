/** Probes for orchestrators and the Prometheus scrape endpoint. */
import { Router } from 'express';
import { AppError } from '../../shared/errors';
import type { Config } from '../config';
import { safeEqual } from '../domain/accounts';
import type { Metrics } from '../metrics';
import type { Store } from '../store/types';

/** A readiness probe must answer fast, whatever the store does. */
const READY_TIMEOUT_MS = 1000;

export interface HealthRouterDeps {
  config: Pick<Config, 'METRICS_TOKEN'>;
  store: Pick<Store, 'ping'>;
  metrics: Metrics;
}

/** Resolves true when the store answers within the timeout. */
export async function storeAnswers(store: Pick<Store, 'ping'>, timeoutMs = READY_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([store.ping().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return match !== null && safeEqual(match[1], token);
}

export function healthRouter(deps: HealthRouterDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    if (await storeAnswers(deps.store)) res.json({ status: 'ok' });
    else res.status(503).json({ status: 'unavailable' });
  });

  router.get('/metrics', async (req, res) => {
    const token = deps.config.METRICS_TOKEN;
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new AppError('unauthorized');
    }
    const body = await deps.metrics.registry.metrics();
    res.type(deps.metrics.registry.contentType).send(body);
  });

  return router;
}
