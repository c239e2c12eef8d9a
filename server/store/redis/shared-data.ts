/**
 * Data every node shares that is not chat state: canned responses, rate limit counters and
 * secrets created once per deployment.
 */
import { randomBytes } from 'node:crypto';
import { RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { CannedResponse } from '../../../shared/protocol';
import type { RateLimitOptions } from '../types';
import type { RedisContext } from './context';

const SECRET_BYTES = 32;

export class RedisSharedData {
  constructor(private readonly ctx: RedisContext) {}

  /** The canned responses of a language, or null when none were set. */
  async getCanned(language: string): Promise<CannedResponse[] | null> {
    const json = await this.ctx.client.get(this.ctx.keys.canned(language));
    return json === null ? null : parseCanned(json);
  }

  /** Replaces the canned responses of a language. */
  async setCanned(language: string, responses: CannedResponse[]): Promise<void> {
    const clean = responses.map(({ id, title, text }) => ({ id, title, text }));
    await this.ctx.client.set(this.ctx.keys.canned(language), JSON.stringify(clean));
  }

  /** A limiter whose counters live in Redis, so every node shares them. */
  createRateLimiter(options: RateLimitOptions): RateLimiterAbstract {
    return new RateLimiterRedis({
      storeClient: this.ctx.client,
      keyPrefix: this.ctx.keys.rateLimit(options.keyPrefix),
      points: options.points,
      duration: options.durationSeconds,
      blockDuration: options.blockSeconds ?? 0,
    });
  }

  /** The secret of this name; the first node to ask creates it (SET NX), the others read that one. */
  async sharedSecret(name: string): Promise<string> {
    const key = this.ctx.keys.secret(name);
    await this.ctx.client.set(key, randomBytes(SECRET_BYTES).toString('base64url'), 'NX');
    const secret = await this.ctx.client.get(key);
    if (secret === null) throw new Error('shared secret vanished right after it was set');
    return secret;
  }
}

function parseCanned(json: string): CannedResponse[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { id, title, text } = item as Record<string, unknown>;
    return typeof id === 'string' && typeof title === 'string' && typeof text === 'string' ? [{ id, title, text }] : [];
  });
}
