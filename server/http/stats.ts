/**
 * GET /api/stats: the supervisors' snapshot, the same one the /supervisor namespace pushes.
 * GET /api/stats/history: the samples the ticker recorded, so the dashboard's charts start full.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { StatsHistoryReply, StatsSnapshot } from '../../shared/protocol';
import type { Accounts } from '../domain/accounts';
import { iso } from '../domain/context';
import type { Store } from '../store/types';
import { requireSupervisor } from './session';
import { parsePayload } from './validate';

export interface StatsRouterDeps {
  accounts: Accounts;
  stats: () => Promise<StatsSnapshot>;
  store: Store;
  clock: () => number;
}

/** Query strings are text: `minutes` is coerced, then must be a whole number of 1 to 120. */
const historyQuery = z.object({ minutes: z.coerce.number().int().min(1).max(120).default(60) });

export function statsRouter(deps: StatsRouterDeps): Router {
  const router = Router();
  router.get('/', requireSupervisor(deps.accounts), async (_req, res) => {
    res.json(await deps.stats());
  });
  router.get('/history', requireSupervisor(deps.accounts), async (req, res) => {
    const { minutes } = parsePayload(historyQuery, req.query);
    const samples = await deps.store.statsSamples(deps.clock() - minutes * 60_000);
    const body: StatsHistoryReply = { samples: samples.map((sample) => ({ ...sample, at: iso(sample.at) })) };
    res.json(body);
  });
  return router;
}
