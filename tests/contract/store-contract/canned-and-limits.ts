/** Store contract: canned responses and the rate limiter. */
import type { CannedResponse } from '../../../shared/protocol';
import type { Store } from '../../../server/store/types';
import { type FixtureAccessor, rejectionOf } from './helpers';

export function describeCannedAndLimits(fx: FixtureAccessor): void {
  let store: Store;

  beforeEach(() => {
    ({ store } = fx());
  });

  describe('canned responses', () => {
    const responses: CannedResponse[] = [
      { id: 'greet', title: 'Greeting', text: 'Hello, I am here for you.' },
      { id: 'bye', title: 'Goodbye', text: 'Take care.' },
    ];

    test('a language without canned responses answers null', async () => {
      expect(await store.getCanned('fr')).toBeNull();
    });

    test('setCanned replaces the list of one language, in order', async () => {
      await store.setCanned('en', responses);
      await store.setCanned('fr', [responses[1]]);
      expect(await store.getCanned('en')).toEqual(responses);
      await store.setCanned('en', [responses[1]]);
      expect(await store.getCanned('en')).toEqual([responses[1]]);
      expect(await store.getCanned('fr')).toEqual([responses[1]]);
    });

    test('an empty list is stored as empty, not null', async () => {
      await store.setCanned('nl', []);
      expect(await store.getCanned('nl')).toEqual([]);
    });

    test('mutating returned or given lists does not change the store', async () => {
      const given = responses.map((r) => ({ ...r }));
      await store.setCanned('en', given);
      given[0].text = 'forged';
      const read = await store.getCanned('en');
      read?.pop();
      expect(await store.getCanned('en')).toEqual(responses);
    });
  });

  describe('rate limiter', () => {
    test('allows `points` per duration per key, then rejects', async () => {
      const limiter = store.createRateLimiter({ keyPrefix: 'test-send', points: 3, durationSeconds: 60 });
      for (let i = 0; i < 3; i += 1) await expect(limiter.consume('visitor-1')).resolves.toBeDefined();
      await expect(limiter.consume('visitor-1')).rejects.toHaveProperty('msBeforeNext');
      await expect(limiter.consume('visitor-2')).resolves.toBeDefined();
    });

    test('limiters with different key prefixes count separately', async () => {
      const a = store.createRateLimiter({ keyPrefix: 'test-a', points: 1, durationSeconds: 60 });
      const b = store.createRateLimiter({ keyPrefix: 'test-b', points: 1, durationSeconds: 60 });
      await a.consume('k');
      await expect(b.consume('k')).resolves.toBeDefined();
      await expect(a.consume('k')).rejects.toHaveProperty('msBeforeNext');
    });

    test('blockSeconds keeps a key blocked after it ran out', async () => {
      const limiter = store.createRateLimiter({ keyPrefix: 'test-block', points: 1, durationSeconds: 1, blockSeconds: 30 });
      await limiter.consume('k');
      const rejection = await rejectionOf(limiter.consume('k'));
      expect(rejection).toHaveProperty('msBeforeNext');
      expect((rejection as { msBeforeNext: number }).msBeforeNext).toBeGreaterThan(20_000);
    });
  });
}
