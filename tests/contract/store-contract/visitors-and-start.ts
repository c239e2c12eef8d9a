/** Store contract: basics, visitors, and starting a conversation. */
import type { Store } from '../../../server/store/types';
import { contractHelpers, DAY, expectCode, type FixtureAccessor, HOUR, OTHER_DAY, sleep } from './helpers';

export function describeVisitorsAndStart(fx: FixtureAccessor): void {
  const { addVisitor, start, online, assign, activeChat, endInput, send } = contractHelpers(fx);
  let store: Store;
  let t0: number;

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  describe('basics', () => {
    test('the store says which kind it is and answers ping', async () => {
      expect(['redis', 'memory']).toContain(store.kind);
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });

  describe('visitors', () => {
    test('a created visitor is found by token hash and by id', async () => {
      const created = await store.createVisitor('hash-a', 'visitor-a', t0, HOUR);
      expect(created).toEqual({ id: 'visitor-a', createdAt: t0 });
      expect(await store.findVisitorByToken('hash-a')).toMatchObject({ id: 'visitor-a', createdAt: t0 });
      expect(await store.getVisitor('visitor-a')).toMatchObject({ id: 'visitor-a', createdAt: t0 });
    });

    test('an unknown token or id finds nobody', async () => {
      expect(await store.findVisitorByToken('nope')).toBeNull();
      expect(await store.getVisitor('nope')).toBeNull();
    });

    test('a visitor past their time to live is no longer found', async () => {
      await store.createVisitor('hash-short', 'visitor-short', t0, 1);
      await sleep(1_500);
      expect(await store.findVisitorByToken('hash-short')).toBeNull();
      expect(await store.getVisitor('visitor-short')).toBeNull();
    });

    test('the visitor remembers their latest conversation', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      expect((await store.getVisitor('v1'))?.conversationId).toBe('c1');
    });

    test('mutating a returned visitor does not change the store', async () => {
      const created = await store.createVisitor('hash-m', 'visitor-m', t0, HOUR);
      created.blockedUntil = t0 + 1_000_000;
      const found = await store.getVisitor('visitor-m');
      if (found) found.conversationId = 'forged';
      expect(await store.getVisitor('visitor-m')).toEqual({ id: 'visitor-m', createdAt: t0 });
    });
  });

  describe('startConversation', () => {
    test('creates a queued conversation at position 1 and counts it as started today', async () => {
      const result = await start({ conversationId: 'c1', visitorId: 'v1', language: 'fr', topic: 'family', ageRange: '12-14', urgent: false });
      expect(result.position).toBe(1);
      expect(result.firstMessage).toBeUndefined();
      expect(result.conversation).toMatchObject({
        id: 'c1', visitorId: 'v1', language: 'fr', topic: 'family', ageRange: '12-14', urgent: false,
        state: 'queued', startedAt: t0, queuedAt: t0, lastSeq: 0,
      });
      expect(result.conversation.listenerId).toBeUndefined();
      expect(await store.getConversation('c1')).toEqual(result.conversation);
      expect((await store.dayStats(DAY)).started).toBe(1);
    });

    test('stores the first message as seq 1 from the visitor, de-duplicated by its clientMsgId', async () => {
      const result = await start({ conversationId: 'c1', visitorId: 'v1', firstMessage: { text: 'hi there', clientMsgId: 'first-msg-1' } });
      expect(result.firstMessage).toMatchObject({
        conversationId: 'c1', seq: 1, from: 'visitor', text: 'hi there', at: new Date(t0).toISOString(), clientMsgId: 'first-msg-1',
      });
      expect(result.conversation.lastSeq).toBe(1);
      const again = await send('c1', 'visitor', 'v1', 'first-msg-1', 'hi there');
      expect(again.duplicate).toBe(true);
      expect(again.message.seq).toBe(1);
      expect(await store.readMessages('c1', 0)).toHaveLength(1);
    });

    test('a first message without clientMsgId is stored too', async () => {
      const result = await start({ conversationId: 'c1', firstMessage: { text: 'hello' } });
      expect(result.firstMessage).toMatchObject({ seq: 1, from: 'visitor', text: 'hello' });
      expect(await store.readMessages('c1', 0)).toHaveLength(1);
    });

    test('refuses a second chat while the visitor has a queued one, with already_active', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await expectCode(start({ conversationId: 'c2', visitorId: 'v1' }), 'already_active');
      expect(await store.getConversation('c2')).toBeNull();
      expect((await store.getVisitor('v1'))?.conversationId).toBe('c1');
      expect((await store.dayStats(DAY)).started).toBe(1);
    });

    test('refuses a second chat while the visitor has an active one, with already_active', async () => {
      await activeChat('c1', 'l1', { visitorId: 'v1' });
      await expectCode(start({ conversationId: 'c2', visitorId: 'v1' }), 'already_active');
    });

    test('lets a visitor start again once their conversation ended', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1' }));
      const second = await start({ conversationId: 'c2', visitorId: 'v1', now: t0 + 70_000 });
      expect(second.conversation.state).toBe('queued');
      expect((await store.getVisitor('v1'))?.conversationId).toBe('c2');
    });

    test('refuses a blocked visitor until the block ends', async () => {
      await activeChat('c1', 'l1', { visitorId: 'v1' });
      await store.endConversation(endInput('c1', { listenerId: 'l1', reason: 'blocked', blockVisitorUntil: t0 + 600_000 }));
      await expectCode(start({ conversationId: 'c2', visitorId: 'v1', now: t0 + 100_000 }), 'blocked');
      expect(await store.getConversation('c2')).toBeNull();
      const later = await start({ conversationId: 'c3', visitorId: 'v1', now: t0 + 600_001 });
      expect(later.conversation.state).toBe('queued');
    });

    test('refuses with queue_full once maxQueued conversations wait in any language, changing nothing', async () => {
      await start({ conversationId: 'c1', language: 'en', maxQueued: 2 });
      await start({ conversationId: 'c2', language: 'fr', maxQueued: 2 });
      await expectCode(start({ conversationId: 'c3', visitorId: 'v3', language: 'nl', maxQueued: 2 }), 'queue_full');
      expect(await store.getConversation('c3')).toBeNull();
      expect((await store.getVisitor('v3'))?.conversationId).toBeUndefined();
      expect((await store.dayStats(DAY)).started).toBe(2);
      expect(await store.queuedConversations(null, 10)).toHaveLength(2);
    });

    test('a conversation leaving the queue frees a place under maxQueued', async () => {
      await start({ conversationId: 'c1', maxQueued: 1 });
      await online('l1');
      await assign('c1', 'l1');
      const next = await start({ conversationId: 'c2', maxQueued: 1 });
      expect(next.position).toBe(1);
    });

    test('counts started conversations per day', async () => {
      await start({ conversationId: 'c1' });
      await start({ conversationId: 'c2', day: OTHER_DAY });
      await start({ conversationId: 'c3', day: OTHER_DAY });
      expect((await store.dayStats(DAY)).started).toBe(1);
      expect((await store.dayStats(OTHER_DAY)).started).toBe(2);
    });

    test('concurrent starts by one visitor create exactly one conversation', async () => {
      await addVisitor('v1');
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => start({ conversationId: `c${i}`, visitorId: 'v1' })),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      expect(ok).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'already_active' });
      expect(await store.queuedConversations(null, 20)).toHaveLength(1);
    });

    test('concurrent starts never exceed maxQueued', async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => addVisitor(`v${i}`)));
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => start({ conversationId: `c${i}`, visitorId: `v${i}`, maxQueued: 4 })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'queue_full' });
      expect(await store.queuedConversations(null, 20)).toHaveLength(4);
    });
  });
}
