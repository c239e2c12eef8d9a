/** Wait estimates and statistics helpers. */
import { DEFAULT_DURATION_SECONDS, NOBODY_ONLINE_SECONDS, estimateWait, waitModel } from '../../server/domain/eta';
import { median, summarise } from '../../server/domain/stats';
import type { ConversationRecord, PresenceRecord } from '../../server/store/types';
import { buildDomain } from '../support/domain-harness';

const presence = (extra: Partial<PresenceRecord>): PresenceRecord => ({
  userId: 'u', displayName: 'u', status: 'available', connections: 1, load: 0, maxConcurrent: 2, languages: ['fr'], lastAssignedAt: 0, ...extra,
});

describe('wait estimates', () => {
  it('says a long wait when nobody who speaks the language is online', () => {
    const model = waitModel(['fr', 'nl'], [presence({ languages: ['fr'] })], 600);
    expect(estimateWait(model, 'nl', 1)).toBe(NOBODY_ONLINE_SECONDS);
  });

  it('is zero while a free slot exists and grows with the place in the queue', () => {
    const model = waitModel(['fr'], [presence({ load: 1, maxConcurrent: 2 })], 600);
    expect(estimateWait(model, 'fr', 1)).toBe(0);
    expect(estimateWait(model, 'fr', 2)).toBe(300);
    expect(estimateWait(model, 'fr', 3)).toBe(600);
  });

  it('ignores away and disconnected listeners, and falls back to a default duration', () => {
    const model = waitModel(['fr'], [presence({ status: 'away' }), presence({ connections: 0 }), presence({ load: 2 })], 0);
    expect(model.slots.fr).toBe(2);
    expect(model.medianDurationSeconds).toBe(DEFAULT_DURATION_SECONDS);
    expect(estimateWait(model, 'fr', 1)).toBe(Math.ceil(DEFAULT_DURATION_SECONDS / 2));
  });
});

describe('statistics helpers', () => {
  it('median of none is 0, of odd and even counts as expected', () => {
    expect(median([])).toBe(0);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(3);
  });

  it('summarises the queue per language with urgent count and oldest wait', () => {
    const c = (id: string, language: string, startedAt: number, urgent = false) => ({ id, language, startedAt, urgent }) as ConversationRecord;
    const s = summarise([c('a', 'fr', 1000, true), c('b', 'nl', 5000), c('c', 'fr', 3000)], ['fr', 'nl', 'en'], 11_000);
    expect(s).toMatchObject({ waiting: 3, urgent: 1, byLanguage: { fr: 2, nl: 1, en: 0 }, oldestWaitSeconds: 10 });
    expect(s.list).toEqual([
      { conversationId: 'a', language: 'fr', urgent: true, waitedSeconds: 10 },
      { conversationId: 'b', language: 'nl', urgent: false, waitedSeconds: 6 },
      { conversationId: 'c', language: 'fr', urgent: false, waitedSeconds: 8 },
    ]);
  });

  it('lists at most the first twenty waiting conversations', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ id: `c${i}`, language: 'en', startedAt: 0, urgent: false }) as ConversationRecord);
    expect(summarise(many, ['en'], 1000).list).toHaveLength(20);
  });
});

describe('the wait model', () => {
  it('is read once for a burst of callers that find it stale, and again once it is', async () => {
    let reads = 0;
    const h = buildDomain({
      wrap: (store) =>
        new Proxy(store, {
          get(target, prop) {
            const value: unknown = Reflect.get(target, prop, target);
            if (prop !== 'listPresence' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
            return (...args: unknown[]) => {
              reads += 1;
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        }),
    });
    try {
      const models = await Promise.all(Array.from({ length: 50 }, () => h.domain.stats.waitModel()));
      expect(reads).toBe(1);
      expect(new Set(models).size).toBe(1);
      await h.domain.stats.waitModel();
      expect(reads).toBe(1);
      h.clock.now += 60_000;
      await Promise.all([h.domain.stats.waitModel(), h.domain.stats.waitModel()]);
      expect(reads).toBe(2);
    } finally {
      await h.close();
    }
  });
});
