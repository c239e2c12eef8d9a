/** GET /api/status: whether the service is open, expected waits and the contacts to show visitors. */
import { Router } from 'express';
import type { Resource, ServiceStatus } from '../../shared/protocol';
import type { Config } from '../config';
import type { OpeningHours } from '../domain/opening-hours';

export interface StatusRouterDeps {
  config: Config;
  hours: OpeningHours;
  resources: Record<string, Resource[]>;
  clock: () => number;
  estimateWaits: () => Promise<Record<string, number>>;
}

/** The public status; nextOpenAt only while closed. */
export async function serviceStatus(deps: StatusRouterDeps): Promise<ServiceStatus> {
  const now = deps.clock();
  const open = deps.hours.isOpen(now);
  const waits = await deps.estimateWaits();
  const estimatedWaitSeconds: Record<string, number> = {};
  for (const lang of deps.config.LANGUAGES) estimatedWaitSeconds[lang] = Math.max(0, Math.round(waits[lang] ?? 0));
  const nextOpenAt = open ? undefined : deps.hours.nextOpenAt(now);
  return {
    open,
    languages: [...deps.config.LANGUAGES],
    ...(nextOpenAt ? { nextOpenAt } : {}),
    estimatedWaitSeconds,
    resources: deps.resources,
    topics: [...deps.config.TOPICS],
    maxMessageLength: deps.config.MAX_MESSAGE_LENGTH,
    quickExitUrl: deps.config.QUICK_EXIT_URL,
  };
}

export function statusRouter(deps: StatusRouterDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json(await serviceStatus(deps));
  });
  return router;
}
