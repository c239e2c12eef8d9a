import { testConfig } from '../../server/config';
import { addressKey, consumeOrThrow, createLimiter, createLoginLimits, RateLimitedError } from '../../server/http/rate-limits';
import { createMemoryStore } from '../../server/store/memory/memory-store';

describe('addressKey', () => {
  it('is a stable keyed hash that does not contain the address', () => {
    const key = addressKey('203.0.113.7');
    expect(key).toBe(addressKey('203.0.113.7'));
    expect(key).not.toContain('203.0.113');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(addressKey('203.0.113.8')).not.toBe(key);
  });
});

describe('limiters', () => {
  const store = createMemoryStore();
  afterAll(async () => store.close());

  it('scales points by RATE_LIMIT_MULTIPLIER and turns off at 0', async () => {
    expect(createLimiter(store, testConfig({ RATE_LIMIT_MULTIPLIER: '0' }), { keyPrefix: 'x', points: 5, durationSeconds: 60 })).toBeNull();
    const limiter = createLimiter(store, testConfig({ RATE_LIMIT_MULTIPLIER: '2' }), { keyPrefix: 'scaled', points: 2, durationSeconds: 60 });
    for (let i = 0; i < 4; i += 1) await consumeOrThrow(limiter, 'k');
    await expect(consumeOrThrow(limiter, 'k')).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('tells when to retry', async () => {
    const limiter = createLimiter(store, testConfig(), { keyPrefix: 'retry', points: 1, durationSeconds: 30 });
    await consumeOrThrow(limiter, 'k');
    const err = await consumeOrThrow(limiter, 'k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).code).toBe('rate_limited');
    expect((err as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(29);
  });

  it('limits login attempts per username, case-insensitively, and clears them on success', async () => {
    const limits = createLoginLimits(store, testConfig({ RATE_LIMIT_MULTIPLIER: '0.2' })); // 2 per username, 6 per address
    await limits.beforeAttempt('Alex', '198.51.100.1');
    await limits.beforeAttempt('alex', '198.51.100.2');
    await expect(limits.beforeAttempt('ALEX', '198.51.100.3')).rejects.toBeInstanceOf(RateLimitedError);
    await limits.succeeded('alex');
    await limits.beforeAttempt('alex', '198.51.100.4');
  });

  it('limits login attempts per address across usernames', async () => {
    const limits = createLoginLimits(store, testConfig({ RATE_LIMIT_MULTIPLIER: '0.2' }));
    for (let i = 0; i < 6; i += 1) await limits.beforeAttempt(`user${i}`, '192.0.2.9');
    await expect(limits.beforeAttempt('user-new', '192.0.2.9')).rejects.toBeInstanceOf(RateLimitedError);
  });
});
