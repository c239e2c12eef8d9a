/** POST /api/setup: the first supervisor, created with the setup token. */
import { Router } from 'express';
import type { Schemas } from '../../shared/schemas';
import type { Config } from '../config';
import type { Accounts } from '../domain/accounts';
import { setSessionCookie } from './session';
import { parsePayload } from './validate';

export function setupRouter(deps: { accounts: Accounts; config: Config; schemas: Schemas }): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const body = parsePayload(deps.schemas.http.setup, req.body);
    const { user, token } = await deps.accounts.setup(body);
    setSessionCookie(res, token, deps.accounts.absoluteSeconds, deps.config);
    res.status(201).json({ user });
  });
  return router;
}
