/**
 * Rate limits kept in the store (shared by every node on Redis). RATE_LIMIT_MULTIPLIER scales
 * every limit and 0 turns them off. Client addresses are never stored: only a keyed hash.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../shared/errors';
import type { Config } from '../config';
import type { RateLimitOptions, Store } from '../store/types';

/**
 * The key of the address hash. Config has no shared salt, so it is random per process: each node
 * (and each restart) counts an address separately, which keeps addresses unlinkable in Redis.
 */
const ADDRESS_SECRET = randomBytes(32);

/** A `rate_limited` error that knows when to try again (the Retry-After header). */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited');
  }
}

/** The stored stand-in for a client address: HMAC-SHA256 with a per-process secret. */
export function addressKey(ip: string | undefined): string {
  return createHmac('sha256', ADDRESS_SECRET).update(ip ?? 'unknown').digest('base64url');
}

/** A limiter with its points scaled by the multiplier; null when limits are off. */
export function createLimiter(
  store: Store,
  config: Pick<Config, 'RATE_LIMIT_MULTIPLIER'>,
  options: RateLimitOptions,
): RateLimiterAbstract | null {
  if (config.RATE_LIMIT_MULTIPLIER === 0) return null;
  const points = Math.max(1, Math.round(options.points * config.RATE_LIMIT_MULTIPLIER));
  return store.createRateLimiter({ ...options, points });
}

/** Takes one point, or throws RateLimitedError; a store failure propagates as is. */
export async function consumeOrThrow(limiter: RateLimiterAbstract | null, key: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    throw err;
  }
}

export interface LoginLimits {
  /** Counts an attempt for this username and address; throws RateLimitedError past a limit. */
  beforeAttempt(username: string, ip: string | undefined): Promise<void>;
  /** A successful sign-in clears the username's count. */
  succeeded(username: string): Promise<void>;
}

const WINDOW_SECONDS = 15 * 60;
const PER_USERNAME = 10;
/** Higher than per username: a team behind one NAT signs in at the start of a shift. */
const PER_ADDRESS = 30;

function usernameKey(username: string): string {
  return createHash('sha256').update(username.trim().toLowerCase()).digest('base64url');
}

/** Login limits: per username (guessing one password) and per address (trying many accounts). */
export function createLoginLimits(store: Store, config: Pick<Config, 'RATE_LIMIT_MULTIPLIER'>): LoginLimits {
  const byUsername = createLimiter(store, config, {
    keyPrefix: 'login-user',
    points: PER_USERNAME,
    durationSeconds: WINDOW_SECONDS,
    blockSeconds: WINDOW_SECONDS,
  });
  const byAddress = createLimiter(store, config, {
    keyPrefix: 'login-addr',
    points: PER_ADDRESS,
    durationSeconds: WINDOW_SECONDS,
  });
  return {
    async beforeAttempt(username, ip) {
      await consumeOrThrow(byAddress, addressKey(ip));
      await consumeOrThrow(byUsername, usernameKey(username));
    },
    async succeeded(username) {
      await byUsername?.delete(usernameKey(username));
    },
  };
}
