/** The staff session cookie and the middleware that requires a signed-in user or a supervisor. */
import { stringifySetCookie } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../shared/errors';
import type { Config } from '../config';
import { readSessionCookie, SESSION_COOKIE, type Accounts, type Authenticated } from '../domain/accounts';

const signedIn = new WeakMap<Request, Authenticated>();

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure over https, Max-Age = absolute lifetime. */
export function setSessionCookie(res: Response, token: string, maxAgeSeconds: number, config: Pick<Config, 'secureCookies'>): void {
  res.append(
    'Set-Cookie',
    stringifySetCookie({
      name: SESSION_COOKIE,
      value: token,
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: config.secureCookies,
      maxAge: maxAgeSeconds,
    }),
  );
}

/** Tells the browser to forget the session cookie. */
export function clearSessionCookie(res: Response, config: Pick<Config, 'secureCookies'>): void {
  res.append(
    'Set-Cookie',
    stringifySetCookie({
      name: SESSION_COOKIE,
      value: '',
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: config.secureCookies,
      maxAge: 0,
      expires: new Date(0),
    }),
  );
}

/** The session token of a request, if it carries one. */
export function sessionToken(req: Request): string | undefined {
  return readSessionCookie(req.headers.cookie);
}

async function signIn(accounts: Accounts, req: Request): Promise<Authenticated> {
  const auth = await accounts.authenticate(sessionToken(req));
  if (!auth) throw new AppError('unauthorized');
  signedIn.set(req, auth);
  return auth;
}

/** Requires a signed-in listener or supervisor (401 `unauthorized`). */
export function requireStaff(accounts: Accounts): RequestHandler {
  return async (req, _res, next) => {
    await signIn(accounts, req);
    next();
  };
}

/** Requires a signed-in supervisor (401 `unauthorized`, 403 `forbidden`). */
export function requireSupervisor(accounts: Accounts): RequestHandler {
  return async (req, _res, next) => {
    const auth = await signIn(accounts, req);
    if (auth.user.role !== 'supervisor') throw new AppError('forbidden');
    next();
  };
}

/** The signed-in user of a request that went through requireStaff or requireSupervisor. */
export function currentAuth(req: Request): Authenticated {
  const auth = signedIn.get(req);
  if (!auth) throw new AppError('unauthorized');
  return auth;
}
