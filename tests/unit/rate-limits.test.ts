import { testConfig } from '../../server/config';
import { addressKey, consumeOrThrow, createLimiter, createLoginLimits, initAddressKey, RateLimitedError } from '../../server/http/rate-limits';
import { createMemoryStore } from '../../server/store/memory/memory-store';
import { createSocketLimits } from '../../server/sockets/limits';
import type { Store } from '../../server/store/types';
import { redisStoreFixture } from '../support/redis-store-fixture';

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

describe('socket limits', () => {
  const store = createMemoryStore();
  afterAll(async () => store.close());

  function refusal(fn: () => void): RateLimitedError {
    try {
      fn();
    } catch (err) {
      if (err instanceof RateLimitedError) return err;
      throw err;
    }
    throw new Error('expected a RateLimitedError');
  }

  it('refuses a listener past 60 messages in 10 s, with the seconds to wait, and counts each listener apart', () => {
    const limits = createSocketLimits(store, testConfig({ RATE_LIMIT_MULTIPLIER: '1' }));
    for (let i = 0; i < 60; i++) limits.listenerMessage('l1');
    const err = refusal(() => limits.listenerMessage('l1'));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(() => limits.listenerMessage('l2')).not.toThrow();
  });

  it('refuses a visitor past 30 messages in 10 s, and an address past 600 a minute whoever sends', () => {
    const limits = createSocketLimits(store, testConfig({ RATE_LIMIT_MULTIPLIER: '1' }));
    for (let i = 0; i < 30; i++) limits.visitorMessage('v1', 'addr-a');
    expect(refusal(() => limits.visitorMessage('v1', 'addr-a')).code).toBe('rate_limited');
    // 30 counted for addr-a so far: the refused message stopped at the visitor's own limit.
    for (let v = 0; v < 570; v++) limits.visitorMessage(`other-${v}`, 'addr-a');
    expect(refusal(() => limits.visitorMessage('fresh', 'addr-a')).code).toBe('rate_limited');
    expect(() => limits.visitorMessage('fresh', 'addr-b')).not.toThrow();
  });

  it('drops typing past 30 events in 10 s', () => {
    const limits = createSocketLimits(store, testConfig({ RATE_LIMIT_MULTIPLIER: '1' }));
    const answers = Array.from({ length: 32 }, () => limits.typing('v1'));
    expect(answers.filter(Boolean)).toHaveLength(30);
    expect(answers.slice(30)).toEqual([false, false]);
  });

  it('counts nothing when RATE_LIMIT_MULTIPLIER is 0', () => {
    const limits = createSocketLimits(store, testConfig({ RATE_LIMIT_MULTIPLIER: '0' }));
    for (let i = 0; i < 1000; i++) {
      limits.visitorMessage('v1', 'addr');
      limits.listenerMessage('l1');
      expect(limits.typing('v1')).toBe(true);
    }
  });
});

/** Chat starts are counted in the store, so every node sees them: the same rules on both stores. */
function describeChatStartLimits(store: () => Store): void {
  it('refuses a sixth chat start by one visitor in ten minutes, and a 61st from one address whoever starts', async () => {
    const limits = createSocketLimits(store(), testConfig({ RATE_LIMIT_MULTIPLIER: '1' }));
    for (let i = 0; i < 5; i++) await limits.chatStart('v1', 'addr-a');
    await expect(limits.chatStart('v1', 'addr-a')).rejects.toMatchObject({ code: 'rate_limited' });
    // Six counted for addr-a: the refused start counted for its address as well.
    for (let v = 0; v < 54; v++) await limits.chatStart(`other-${v}`, 'addr-a');
    await expect(limits.chatStart('fresh', 'addr-a')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(limits.chatStart('fresh', 'addr-b')).resolves.toBeUndefined();
  });

  it('a start refused by its address costs the visitor none of their own starts', async () => {
    const limits = createSocketLimits(store(), testConfig({ RATE_LIMIT_MULTIPLIER: '1' }));
    for (let v = 0; v < 60; v++) await limits.chatStart(`other-${v}`, 'crowded');
    for (let i = 0; i < 3; i++) await expect(limits.chatStart('v1', 'crowded')).rejects.toBeInstanceOf(RateLimitedError);
    // From another network the visitor still has all five.
    for (let i = 0; i < 5; i++) await limits.chatStart('v1', 'home');
    await expect(limits.chatStart('v1', 'home')).rejects.toMatchObject({ code: 'rate_limited' });
  });
}

describe('chat start limits, in-process store', () => {
  const memory = createMemoryStore();
  afterAll(async () => memory.close());
  describeChatStartLimits(() => memory);
});

describe('chat start limits, Redis store', () => {
  const fx = redisStoreFixture('rl');
  describeChatStartLimits(() => fx.store);
});
