/** GET /api/stats: the supervisors' snapshot, the same one the /supervisor namespace pushes. */
import { Router } from 'express';
import type { StatsSnapshot } from '../../shared/protocol';
import type { Accounts } from '../domain/accounts';
import { requireSupervisor } from './session';

export function statsRouter(deps: { accounts: Accounts; stats: () => Promise<StatsSnapshot> }): Router {
  const router = Router();
  router.get('/', requireSupervisor(deps.accounts), async (_req, res) => {
    res.json(await deps.stats());
  });
  return router;
}
