/** Store contract: reading conversations back, and the order of the waiting queue. */
import type { Store } from '../../../server/store/types';
import { contractHelpers, type FixtureAccessor } from './helpers';

export function describeConversationsAndQueue(fx: FixtureAccessor): void {
  const { start, activeChat, endInput } = contractHelpers(fx);
  let store: Store;
  let t0: number;

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  describe('reading conversations', () => {
    test('getConversation is null for an unknown id; getConversations keeps order with nulls', async () => {
      await start({ conversationId: 'c1' });
      await start({ conversationId: 'c2' });
      expect(await store.getConversation('nope')).toBeNull();
      const many = await store.getConversations(['c2', 'nope', 'c1']);
      expect(many.map((c) => c?.id ?? null)).toEqual(['c2', null, 'c1']);
      expect(await store.getConversations([])).toEqual([]);
    });

    test('mutating a returned conversation does not change the store', async () => {
      const { conversation } = await start({ conversationId: 'c1' });
      conversation.state = 'ended';
      conversation.lastSeq = 99;
      const read = await store.getConversation('c1');
      if (read) read.listenerId = 'forged';
      expect(await store.getConversation('c1')).toMatchObject({ state: 'queued', lastSeq: 0 });
      expect((await store.getConversation('c1'))?.listenerId).toBeUndefined();
    });
  });

  describe('queue order', () => {
    const seedQueue = async () => {
      await start({ conversationId: 'en-old', language: 'en', now: t0 });
      await start({ conversationId: 'en-new', language: 'en', now: t0 + 2_000 });
      await start({ conversationId: 'en-urgent', language: 'en', urgent: true, now: t0 + 3_000 });
      await start({ conversationId: 'fr-old', language: 'fr', now: t0 + 1_000 });
    };

    test('positions rank urgent first, then oldest, within each language queue', async () => {
      await seedQueue();
      expect(await store.queuePositions(['en-urgent', 'en-old', 'en-new', 'fr-old'])).toEqual([1, 2, 3, 1]);
    });

    test('startConversation answers the new position in its language queue', async () => {
      await start({ conversationId: 'a', now: t0 });
      const second = await start({ conversationId: 'b', now: t0 + 1_000 });
      const urgent = await start({ conversationId: 'c', urgent: true, now: t0 + 2_000 });
      const other = await start({ conversationId: 'd', language: 'nl', now: t0 + 3_000 });
      expect([second.position, urgent.position, other.position]).toEqual([2, 1, 1]);
    });

    test('among urgent conversations the oldest comes first', async () => {
      await start({ conversationId: 'u-new', urgent: true, now: t0 + 5_000 });
      await start({ conversationId: 'u-old', urgent: true, now: t0 + 1_000 });
      await start({ conversationId: 'plain', urgent: false, now: t0 });
      expect(await store.queuePositions(['u-old', 'u-new', 'plain'])).toEqual([1, 2, 3]);
    });

    test('a position is 0 for unknown, active and ended conversations', async () => {
      await activeChat('active', 'l1');
      await start({ conversationId: 'ended' });
      await store.endConversation(endInput('ended', { endedBy: 'visitor' }));
      expect(await store.queuePositions(['nope', 'active', 'ended'])).toEqual([0, 0, 0]);
      expect(await store.queuePositions([])).toEqual([]);
    });

    test('positions move up as conversations ahead leave the queue', async () => {
      await seedQueue();
      await store.endConversation(endInput('en-urgent', { endedBy: 'visitor' }));
      expect(await store.queuePositions(['en-old', 'en-new'])).toEqual([1, 2]);
    });

    test('queuedConversations lists all languages in routing order', async () => {
      await seedQueue();
      const ids = (await store.queuedConversations(null, 10)).map((c) => c.id);
      expect(ids).toEqual(['en-urgent', 'en-old', 'fr-old', 'en-new']);
    });

    test('queuedConversations filters by language and honours the limit', async () => {
      await seedQueue();
      expect((await store.queuedConversations(['fr'], 10)).map((c) => c.id)).toEqual(['fr-old']);
      expect((await store.queuedConversations(['en'], 2)).map((c) => c.id)).toEqual(['en-urgent', 'en-old']);
      expect((await store.queuedConversations(['nl'], 10))).toEqual([]);
      expect((await store.queuedConversations(null, 1)).map((c) => c.id)).toEqual(['en-urgent']);
    });

    test('queuedConversations returns full records in state queued', async () => {
      await seedQueue();
      const [first] = await store.queuedConversations(['fr'], 1);
      expect(first).toMatchObject({ id: 'fr-old', language: 'fr', state: 'queued', queuedAt: t0 + 1_000, urgent: false });
    });
  });
}
