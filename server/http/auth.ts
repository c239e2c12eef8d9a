/** Sign-in, sign-out and "who am I" for listeners and supervisors. */
import { Router } from 'express';
import type { Schemas } from '../../shared/schemas';
import type { Config } from '../config';
import type { Accounts } from '../domain/accounts';
import type { LoginLimits } from './rate-limits';
import { clearSessionCookie, currentAuth, requireStaff, sessionToken, setSessionCookie } from './session';
import { parsePayload } from './validate';

export interface AuthRouterDeps {
  accounts: Accounts;
  config: Config;
  schemas: Schemas;
  loginLimits: LoginLimits;
}

export function authRouter(deps: AuthRouterDeps): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const { username, password } = parsePayload(deps.schemas.http.login, req.body);
    await deps.loginLimits.beforeAttempt(username, req.ip);
    const { user, token } = await deps.accounts.login(username, password);
    await deps.loginLimits.succeeded(username, req.ip);
    setSessionCookie(res, token, deps.accounts.absoluteSeconds, deps.config);
    res.json({ user });
  });

  // Idempotent: signing out without a live session still clears the cookie.
  router.post('/logout', async (req, res) => {
    await deps.accounts.logout(sessionToken(req));
    clearSessionCookie(res, deps.config);
    res.status(204).end();
  });

  router.get('/me', requireStaff(deps.accounts), (req, res) => {
    res.json({ user: currentAuth(req).user });
  });

  return router;
}
