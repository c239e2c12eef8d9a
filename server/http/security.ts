/**
 * The security baseline every response gets: strict headers, no caching of pages and API, an
 * Origin check on state-changing requests, a small JSON body limit, and the one error handler.
 */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AppError, toWireError, type ErrorCode } from '../../shared/errors';
import type { Config } from '../config';
import { RateLimitedError } from './rate-limits';
import { errorSummary } from '../logger';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_LIMIT = '16kb';

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_payload: 400,
  too_long: 400,
  bad_credentials: 401,
  unauthorized: 401,
  forbidden: 403,
  bad_setup_token: 403,
  not_found: 404,
  already_set_up: 409,
  username_taken: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** The ws:/wss: twin of an http(s) origin, for connect-src of older browsers. */
function socketOrigin(origin: string): string {
  return origin.replace(/^http/, 'ws');
}

/** helmet with a strict CSP (no 'unsafe-inline' anywhere) and no referrer. */
export function securityHeaders(config: Pick<Config, 'allowedOrigins' | 'secureCookies'>): RequestHandler {
  const connectSrc = ["'self'", ...config.allowedOrigins, ...config.allowedOrigins.map(socketOrigin)];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc,
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Only over https: upgrading would break plain-http development on localhost.
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: config.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
  });
}

/** Pages, API and probes are never cached (shared computers); hashed /assets are. */
export const noStore: RequestHandler = (req, res, next) => {
  if (!req.path.startsWith('/assets/')) res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  next();
};

/** Refuses state-changing requests from a foreign Origin (CSRF defence besides SameSite=Strict). */
export function originCheck(config: Pick<Config, 'allowedOrigins'>): RequestHandler {
  const allowed = new Set(config.allowedOrigins);
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (STATE_CHANGING.has(req.method) && origin !== undefined && !allowed.has(origin)) {
      next(new AppError('forbidden'));
      return;
    }
    next();
  };
}

/** JSON bodies up to 16 kB; a malformed or oversized body becomes `invalid_payload`. */
export const jsonBody: RequestHandler = express.json({ limit: JSON_LIMIT });

/** Unknown routes under /api answer JSON, not HTML. */
export const apiNotFound: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found'));
};

/** An http-errors style client error from Express itself or body-parser (bad JSON, too large, bad URI). */
function clientErrorStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null || err instanceof AppError) return null;
  const { status } = err as { status?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/** The one place errors become HTTP replies; unexpected ones are logged without request data. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  const log = logger.child({ component: 'http' });
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const clientStatus = clientErrorStatus(err);
    if (clientStatus !== null) {
      const code = clientStatus === 404 ? 'not_found' : 'invalid_payload';
      res.status(clientStatus === 404 || clientStatus === 413 ? clientStatus : 400).json({ error: toWireError(new AppError(code)) });
      return;
    }
    if (err instanceof RateLimitedError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    const wire = toWireError(err);
    const status = err instanceof AppError ? (STATUS[wire.code] ?? 400) : 500;
    if (status === 500) log.error({ err: errorSummary(err), method: req.method, route: routeOf(req.originalUrl) }, 'request failed');
    res.status(status).json({ error: wire });
  };
}


/** The path without its query string, bounded. */
export function routeOf(url: string): string {
  return url.split('?')[0].slice(0, 120);
}
