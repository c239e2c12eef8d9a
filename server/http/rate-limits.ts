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
 * The key of the address hash, derived from a secret the store keeps for the whole deployment, so
 * every node (and every restart) counts an address alike. Until initAddressKey runs (tools, and
 * tests that build the HTTP app alone) a random per-process key stands in.
 */
let addressSecret: Buffer = randomBytes(32);

/** Derives the address key from the store's shared secret; createApp awaits this before it serves. */
export async function initAddressKey(store: Pick<Store, 'sharedSecret'>): Promise<void> {
  const secret = await store.sharedSecret('address-hash');
  // A key of its own, so the stored secret could serve other purposes without linking them.
  addressSecret = createHmac('sha256', secret).update('client address key').digest();
}

/** A `rate_limited` error that knows when to try again (the Retry-After header). */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited');
  }

  /** Refused for `msBeforeNext` more milliseconds: whole seconds, at least one. */
  static after(msBeforeNext: number): RateLimitedError {
    return new RateLimitedError(Math.max(1, Math.ceil(msBeforeNext / 1000)));
  }
}

/** The stored stand-in for a client address: HMAC-SHA256 with the deployment's address key. */
export function addressKey(ip: string | undefined): string {
  return createHmac('sha256', addressSecret).update(ip ?? 'unknown').digest('base64url');
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
    if (err instanceof RateLimiterRes) throw RateLimitedError.after(err.msBeforeNext);
    throw err;
  }
}

export interface LoginLimits {
  /** Counts an attempt for this username and address; throws RateLimitedError past a limit. */
  beforeAttempt(username: string, ip: string | undefined): Promise<void>;
  /** A successful sign-in clears the count of this username from this address. */
  succeeded(username: string, ip: string | undefined): Promise<void>;
}

const WINDOW_SECONDS = 15 * 60;
/**
 * Wrong passwords for one account from one address: guessing stops here. Keyed on the address
 * too, so nobody can lock a listener out by failing on purpose from elsewhere.
 */
const PER_USERNAME_ADDRESS = 10;
/** A backstop against guessing one account from many addresses; high, so it is hard to reach by mischief. */
const PER_USERNAME = 100;
/** Higher than per username and address: a team behind one NAT signs in at the start of a shift. */
const PER_ADDRESS = 30;

function usernameKey(username: string): string {
  return createHash('sha256').update(username.trim().toLowerCase()).digest('base64url');
}

/** Login limits: per username and address (guessing a password), per username (a backstop), per address (trying many accounts). */
export function createLoginLimits(store: Store, config: Pick<Config, 'RATE_LIMIT_MULTIPLIER'>): LoginLimits {
  const limiter = (keyPrefix: string, points: number, blockSeconds?: number) =>
    createLimiter(store, config, { keyPrefix, points, durationSeconds: WINDOW_SECONDS, blockSeconds });
  const byUsernameAddress = limiter('login-user-addr', PER_USERNAME_ADDRESS, WINDOW_SECONDS);
  const byUsername = limiter('login-user', PER_USERNAME, WINDOW_SECONDS);
  const byAddress = limiter('login-addr', PER_ADDRESS);
  const pairKey = (username: string, ip: string | undefined) => `${usernameKey(username)}:${addressKey(ip)}`;
  return {
    async beforeAttempt(username, ip) {
      await consumeOrThrow(byAddress, addressKey(ip));
      await consumeOrThrow(byUsernameAddress, pairKey(username, ip));
      await consumeOrThrow(byUsername, usernameKey(username));
    },
    async succeeded(username, ip) {
      await byUsernameAddress?.delete(pairKey(username, ip));
    },
  };
}
