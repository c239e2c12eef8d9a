/** GET /api/colleagues: who a listener can hand a conversation to (online staff, without themselves). */
import { Router } from 'express';
import type { Accounts } from '../domain/accounts';
import type { Store } from '../store/types';
import { currentAuth, requireStaff } from './session';

export function colleaguesRouter(deps: { accounts: Accounts; store: Store }): Router {
  const router = Router();
  router.get('/', requireStaff(deps.accounts), async (req, res) => {
    const me = currentAuth(req).user.id;
    const presences = await deps.store.listPresence();
    const colleagues = presences
      .filter((p) => p.userId !== me && p.connections > 0)
      .map((p) => ({ id: p.userId, displayName: p.displayName, status: p.status, languages: p.languages, activeConversations: p.load, maxConcurrent: p.maxConcurrent }));
    res.json({ colleagues });
  });
  return router;
}
