import { testConfig } from '../../server/config';
import { addressKey, consumeOrThrow, createLimiter, createLoginLimits, initAddressKey, RateLimitedError } from '../../server/http/rate-limits';
import { createMemoryStore } from '../../server/store/memory/memory-store';

describe('addressKey', () => {
  it('is a stable keyed hash that does not contain the address', () => {
    const key = addressKey('203.0.113.7');
    expect(key).toBe(addressKey('203.0.113.7'));
    expect(key).not.toContain('203.0.113');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(addressKey('203.0.113.8')).not.toBe(key);
  });

  it("is keyed by the store's shared secret, so every node hashing the same address agrees", async () => {
    const store = createMemoryStore();
    const other = createMemoryStore();
    try {
      await initAddressKey(store);
      const first = addressKey('203.0.113.7');
      await initAddressKey(other);
      const changed = addressKey('203.0.113.7');
      await initAddressKey(store);
      expect(addressKey('203.0.113.7')).toBe(first);
      expect(changed).not.toBe(first);
      expect(first).not.toContain(await store.sharedSecret('address-hash'));
    } finally {
      await Promise.all([store.close(), other.close()]);
    }
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

  it('limits login attempts per username and address, case-insensitively, and clears them on success', async () => {
    const limits = createLoginLimits(store, testConfig({ RATE_LIMIT_MULTIPLIER: '0.2' })); // 2 per username and address
    await limits.beforeAttempt('Alex', '198.51.100.1');
    await limits.beforeAttempt('alex', '198.51.100.1');
    await expect(limits.beforeAttempt('ALEX', '198.51.100.1')).rejects.toBeInstanceOf(RateLimitedError);
    await limits.succeeded('alex', '198.51.100.1');
    await limits.beforeAttempt('alex', '198.51.100.1');
  });

  it('failures from one address do not lock the account for another address', async () => {
    const limits = createLoginLimits(store, testConfig({ RATE_LIMIT_MULTIPLIER: '0.2' }));
    await limits.beforeAttempt('sam', '198.51.100.66');
    await limits.beforeAttempt('sam', '198.51.100.66');
    await expect(limits.beforeAttempt('sam', '198.51.100.66')).rejects.toBeInstanceOf(RateLimitedError);
    await limits.beforeAttempt('sam', '198.51.100.67');
  });

  it('caps attempts per username across addresses, as a backstop', async () => {
    const limits = createLoginLimits(store, testConfig({ RATE_LIMIT_MULTIPLIER: '0.2' })); // 20 per username
    for (let i = 0; i < 20; i += 1) await limits.beforeAttempt('robin', `203.0.113.${i}`);
    await expect(limits.beforeAttempt('robin', '203.0.113.200')).rejects.toBeInstanceOf(RateLimitedError);
    await limits.beforeAttempt('someone-else', '203.0.113.200');
  });

  it('limits login attempts per address across usernames', async () => {
    const limits = createLoginLimits(store, testConfig({ RATE_LIMIT_MULTIPLIER: '0.2' }));
    for (let i = 0; i < 6; i += 1) await limits.beforeAttempt(`user${i}`, '192.0.2.9');
    await expect(limits.beforeAttempt('user-new', '192.0.2.9')).rejects.toBeInstanceOf(RateLimitedError);
  });
});
