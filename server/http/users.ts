/** Account administration for supervisors: list, create, change (including deactivation). */
import { Router } from 'express';
import { z } from 'zod';
import type { Schemas } from '../../shared/schemas';
import type { Accounts } from '../domain/accounts';
import { currentAuth, requireSupervisor } from './session';
import { parsePayload } from './validate';

const userId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export function usersRouter(deps: { accounts: Accounts; schemas: Schemas }): Router {
  const router = Router();
  router.use(requireSupervisor(deps.accounts));

  router.get('/', async (_req, res) => {
    res.json({ users: await deps.accounts.listUsers() });
  });

  router.post('/', async (req, res) => {
    const body = parsePayload(deps.schemas.http.createUser, req.body);
    res.status(201).json({ user: await deps.accounts.createUser(body) });
  });

  router.patch('/:id', async (req, res) => {
    const id = parsePayload(userId, req.params.id);
    const changes = parsePayload(deps.schemas.http.updateUser, req.body);
    const { user, sessionId } = currentAuth(req);
    res.json({ user: await deps.accounts.updateUser(id, changes, { userId: user.id, sessionId }) });
  });

  return router;
}
