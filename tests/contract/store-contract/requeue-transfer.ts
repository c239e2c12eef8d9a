/** Store contract: putting a conversation back in the queue, and handing it to another listener. */
import { requeuedAt } from '../../../server/store/queue-order';
import { SYSTEM_TEXT } from '../../../server/store/system-messages';
import type { Store } from '../../../server/store/types';
import { contractHelpers, DAY, expectCode, type FixtureAccessor, NODE } from './helpers';

export function describeRequeueAndTransfer(fx: FixtureAccessor): void {
  const { start, online, assign, activeChat, endInput, send } = contractHelpers(fx);
  let store: Store;
  let t0: number;

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  describe('requeue', () => {
    test('a lost listener puts the conversation back at the front of its queue', async () => {
      await activeChat('c1', 'l1');
      await start({ conversationId: 'c2', now: t0 + 1_000 });
      const result = await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
      expect(result.previousState).toBe('active');
      expect(result.previousListenerId).toBe('l1');
      expect(result.conversation).toMatchObject({ state: 'queued', queuedAt: requeuedAt(t0), startedAt: t0 });
      expect(result.conversation.listenerId).toBeUndefined();
      expect(await store.queuePositions(['c1', 'c2'])).toEqual([1, 2]);
      expect((await store.queuedConversations(['en'], 10)).map((c) => c.id)).toEqual(['c1', 'c2']);
    });

    test('a requeued conversation goes ahead of visitors who started earlier and still wait, urgent ones excepted', async () => {
      await start({ conversationId: 'early', now: t0 });
      await start({ conversationId: 'urgent', now: t0 + 500, urgent: true });
      await start({ conversationId: 'late', now: t0 + 1_000 });
      await online('l1');
      await assign('late', 'l1', t0 + 2_000);
      await store.requeue({ conversationId: 'late', listenerId: 'l1', code: 'transferred', now: t0 + 3_000 });
      expect((await store.queuedConversations(['en'], 10)).map((c) => c.id)).toEqual(['urgent', 'late', 'early']);
      expect(await store.queuePositions(['late', 'early'])).toEqual([2, 3]);
    });

    test('a transfer to the queue remembers who released it; a lost connection does not', async () => {
      await activeChat('c1', 'l1');
      const given = await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'transferred', now: t0 + 30_000 });
      expect(given.conversation.releasedBy).toBe('l1');
      expect((await store.getConversation('c1'))?.releasedBy).toBe('l1');
      await activeChat('c2', 'l1');
      const lost = await store.requeue({ conversationId: 'c2', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
      expect(lost.conversation.releasedBy).toBeUndefined();
      expect((await store.getConversation('c2'))?.releasedBy).toBeUndefined();
    });

    test('a lost listener who comes back can be given the conversation again', async () => {
      await activeChat('c1', 'l1');
      await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
      const again = await assign('c1', 'l1', t0 + 40_000);
      expect(again.conversation).toMatchObject({ state: 'active', listenerId: 'l1' });
    });

    test('a new assignment forgets who released the conversation', async () => {
      await activeChat('c1', 'l1');
      await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'transferred', now: t0 + 30_000 });
      await online('l2');
      const again = await assign('c1', 'l2', t0 + 40_000);
      expect(again.conversation.releasedBy).toBeUndefined();
    });

    test('appends a system message with the given code and its fallback text', async () => {
      await activeChat('c1', 'l1');
      const lost = await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
      expect(lost.message).toMatchObject({ seq: 2, from: 'system', code: 'listener_lost', text: SYSTEM_TEXT.listener_lost });
      await online('l2');
      await assign('c1', 'l2', t0 + 40_000);
      const moved = await store.requeue({ conversationId: 'c1', listenerId: 'l2', code: 'transferred', now: t0 + 50_000 });
      expect(moved.message).toMatchObject({ seq: 4, code: 'transferred', text: SYSTEM_TEXT.transferred });
    });

    test("lowers the listener's load and removes the conversation from their list", async () => {
      await activeChat('c1', 'l1');
      await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
      expect((await store.getPresence('l1'))?.load).toBe(0);
      expect(await store.listenerConversations('l1')).toEqual([]);
      expect(await store.activeCount()).toBe(0);
    });

    test('a requeued conversation can be assigned again', async () => {
      await activeChat('c1', 'l1');
      await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'transferred', now: t0 + 30_000 });
      await online('l2');
      const again = await assign('c1', 'l2', t0 + 40_000);
      expect(again.conversation).toMatchObject({ state: 'active', listenerId: 'l2', assignedAt: t0 + 40_000 });
    });

    test('an answer after a requeue counts neither answered nor its wait a second time', async () => {
      const first = await activeChat('c1', 'l1');
      expect(first.firstAnswer).toBe(true);
      await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
      await online('l2');
      const second = await assign('c1', 'l2', t0 + 40_000);
      expect(second.firstAnswer).toBeUndefined();
      const stats = await store.dayStats(DAY);
      expect(stats.answered).toBe(1);
      expect(stats.waits).toEqual([5]);
      expect(await store.recentWaits(t0)).toEqual([5]);
    });

    test('the duration runs from the first answer, across a requeue', async () => {
      await activeChat('c1', 'l1');
      await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
      await online('l2');
      await assign('c1', 'l2', t0 + 40_000);
      await store.endConversation(endInput('c1', { listenerId: 'l2', now: t0 + 65_000 }));
      expect((await store.dayStats(DAY)).durations).toEqual([60]);
    });

    test('an unknown conversation is not_found', async () => {
      await expectCode(store.requeue({ conversationId: 'nope', listenerId: 'l1', code: 'listener_lost', now: t0 }), 'not_found');
    });

    test("another listener's conversation is not_yours and stays unchanged", async () => {
      await activeChat('c1', 'l1');
      await online('l2');
      await expectCode(store.requeue({ conversationId: 'c1', listenerId: 'l2', code: 'listener_lost', now: t0 }), 'not_yours');
      expect(await store.getConversation('c1')).toMatchObject({ state: 'active', listenerId: 'l1', lastSeq: 1 });
      expect((await store.getPresence('l1'))?.load).toBe(1);
    });

    test('an ended conversation is not_chatting', async () => {
      await activeChat('c1', 'l1');
      await store.endConversation(endInput('c1', { listenerId: 'l1' }));
      await expectCode(store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 90_000 }), 'not_chatting');
      expect((await store.getConversation('c1'))?.state).toBe('ended');
    });
  });

  describe('transfer', () => {
    test('hands an active conversation to another listener with a system message', async () => {
      await activeChat('c1', 'l1');
      await online('l2');
      const result = await store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 + 20_000 });
      expect(result.previousState).toBe('active');
      expect(result.previousListenerId).toBe('l1');
      expect(result.conversation).toMatchObject({ state: 'active', listenerId: 'l2', assignedAt: t0 + 20_000 });
      expect(result.message).toMatchObject({ seq: 2, from: 'system', code: 'transferred', text: SYSTEM_TEXT.transferred });
      expect(result.listenerName).toBe('Listener l2');
      expect(result.firstAnswer).toBeUndefined();
      expect(result.history).toBeUndefined();
      expect((await store.getPresence('l1'))?.load).toBe(0);
      expect((await store.getPresence('l2'))?.load).toBe(1);
      expect(await store.listenerConversations('l1')).toEqual([]);
      expect((await store.listenerConversations('l2')).map((c) => c.id)).toEqual(['c1']);
      expect(await store.activeCount()).toBe(1);
    });

    test('the duration runs from the first answer, across a transfer', async () => {
      await activeChat('c1', 'l1');
      await online('l2');
      await store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 + 20_000 });
      await store.endConversation(endInput('c1', { listenerId: 'l2', now: t0 + 65_000 }));
      const stats = await store.dayStats(DAY);
      expect(stats.durations).toEqual([60]);
      expect(stats.answered).toBe(1);
    });

    test('the new listener may write, the old one no longer', async () => {
      await activeChat('c1', 'l1');
      await online('l2');
      await store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 + 20_000 });
      await expectCode(send('c1', 'listener', 'l1', 'msg-old-001'), 'not_yours');
      expect((await send('c1', 'listener', 'l2', 'msg-new-001')).message.seq).toBe(3);
    });

    test('an away listener with an open connection may receive a transfer', async () => {
      await activeChat('c1', 'l1');
      await online('l2', { status: 'away' });
      const result = await store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 + 20_000 });
      expect(result.conversation.listenerId).toBe('l2');
    });

    test('a target without presence or connection is not_available and nothing changes', async () => {
      await activeChat('c1', 'l1');
      await expectCode(store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'ghost', now: t0 }), 'not_available');
      await online('l2');
      await store.listenerDisconnected('l2', NODE);
      await expectCode(store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 }), 'not_available');
      expect(await store.getConversation('c1')).toMatchObject({ listenerId: 'l1', lastSeq: 1 });
      expect((await store.getPresence('l1'))?.load).toBe(1);
      expect((await store.getPresence('l2'))?.load).toBe(0);
    });

    test('a target who does not speak the language is not_available', async () => {
      await activeChat('c1', 'l1', { language: 'fr' });
      await online('l2', { languages: ['nl'] });
      await expectCode(store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 }), 'not_available');
    });

    test('a target at capacity is at_capacity and nothing changes', async () => {
      await activeChat('c1', 'l1');
      await online('l2', { maxConcurrent: 1 });
      await activeChat('c2', 'l2');
      await expectCode(store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 }), 'at_capacity');
      expect((await store.getConversation('c1'))?.listenerId).toBe('l1');
      expect((await store.getPresence('l2'))?.load).toBe(1);
    });

    test('only the current listener may transfer: others get not_yours', async () => {
      await activeChat('c1', 'l1');
      await online('l2');
      await online('l3');
      await expectCode(store.transfer({ conversationId: 'c1', fromListenerId: 'l3', toListenerId: 'l2', now: t0 }), 'not_yours');
      expect((await store.getConversation('c1'))?.listenerId).toBe('l1');
    });

    test('an unknown conversation is not_found', async () => {
      await online('l2');
      await expectCode(store.transfer({ conversationId: 'nope', fromListenerId: 'l1', toListenerId: 'l2', now: t0 }), 'not_found');
    });
  });
}
