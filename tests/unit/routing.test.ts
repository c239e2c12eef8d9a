/** Routing rules as pure functions: urgent first, then oldest; least loaded, then longest idle. */
import { byRoutingOrder, eligibleListeners, freeSlotsByLanguage, nextFor, planAssignments } from '../../server/domain/routing';
import type { ConversationRecord, PresenceRecord } from '../../server/store/types';

const conv = (id: string, language: string, extra: Partial<ConversationRecord> = {}): ConversationRecord => ({
  id, visitorId: `v-${id}`, language, urgent: false, state: 'queued', startedAt: 0, queuedAt: 0, lastSeq: 0, ...extra,
});
const listener = (userId: string, extra: Partial<PresenceRecord> = {}): PresenceRecord => ({
  userId, displayName: userId, status: 'available', connections: 1, load: 0, maxConcurrent: 3, languages: ['fr', 'nl', 'en'], lastAssignedAt: 0, ...extra,
});

describe('routing', () => {
  it('offers conversations only to available, connected listeners with room', () => {
    const ids = eligibleListeners([
      listener('ok'),
      listener('away', { status: 'away' }),
      listener('gone', { connections: 0 }),
      listener('full', { load: 3 }),
    ]).map((p) => p.userId);
    expect(ids).toEqual(['ok']);
  });

  it('gives each conversation to the least loaded listener, then the longest idle', () => {
    const plan = planAssignments(
      [conv('a', 'fr'), conv('b', 'fr'), conv('c', 'fr')],
      [listener('busy', { load: 2 }), listener('recent', { lastAssignedAt: 200 }), listener('idle', { lastAssignedAt: 100 })],
    );
    expect(plan).toEqual([
      { conversationId: 'a', listenerId: 'idle' },
      { conversationId: 'b', listenerId: 'recent' },
      { conversationId: 'c', listenerId: 'idle' },
    ]);
  });

  it('never plans past a listener maxConcurrent nor outside their languages', () => {
    const plan = planAssignments(
      [conv('a', 'nl'), conv('b', 'nl'), conv('c', 'en'), conv('d', 'nl')],
      [listener('nl-only', { languages: ['nl'], maxConcurrent: 2 }), listener('en-only', { languages: ['en'] })],
    );
    expect(plan).toEqual([
      { conversationId: 'a', listenerId: 'nl-only' },
      { conversationId: 'b', listenerId: 'nl-only' },
      { conversationId: 'c', listenerId: 'en-only' },
    ]);
  });

  it('assigns each conversation at most once in a plan', () => {
    const queued = Array.from({ length: 30 }, (_, i) => conv(`c${i}`, ['fr', 'nl', 'en'][i % 3]));
    const plan = planAssignments(queued, Array.from({ length: 5 }, (_, i) => listener(`l${i}`)));
    expect(plan).toHaveLength(15);
    expect(new Set(plan.map((p) => p.conversationId)).size).toBe(15);
  });

  it('a listener taking one by hand gets the first waiting conversation in their languages', () => {
    const queued = [conv('x', 'en'), conv('y', 'fr')];
    expect(nextFor({ languages: ['fr'] }, queued)?.id).toBe('y');
    expect(nextFor({ languages: ['nl'] }, queued)).toBeUndefined();
  });

  it('counts free slots per language among eligible listeners only', () => {
    const free = freeSlotsByLanguage([
      listener('a', { languages: ['fr', 'nl'], load: 1, maxConcurrent: 3 }),
      listener('b', { languages: ['nl'], load: 0, maxConcurrent: 2 }),
      listener('away', { languages: ['en'], status: 'away' }),
      listener('full', { languages: ['en'], load: 3 }),
    ]);
    expect(free).toEqual({ fr: 2, nl: 4 });
  });

  it('orders conversations of several languages urgent first, then by queue time', () => {
    const list = [conv('late', 'fr', { queuedAt: 30 }), conv('urgent', 'nl', { queuedAt: 50, urgent: true }), conv('early', 'en', { queuedAt: 10 })];
    expect([...list].sort(byRoutingOrder).map((c) => c.id)).toEqual(['urgent', 'early', 'late']);
  });
});
