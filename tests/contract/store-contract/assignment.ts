/** Store contract: assigning a queued conversation to a listener. */
import { SYSTEM_TEXT } from '../../../server/store/system-messages';
import type { Store } from '../../../server/store/types';
import { contractHelpers, DAY, expectCode, type FixtureAccessor, NODE } from './helpers';

export function describeAssignment(fx: FixtureAccessor): void {
  const { start, online, assign, activeChat, endInput } = contractHelpers(fx);
  let store: Store;
  let t0: number;

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  describe('assign', () => {
    test('makes the conversation active with the listener and a system message', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1', firstMessage: { text: 'hi', clientMsgId: 'msg-first-1' } });
      await online('l1');
      const result = await assign('c1', 'l1', t0 + 7_000);
      expect(result.previousState).toBe('queued');
      expect(result.previousListenerId).toBeUndefined();
      expect(result.conversation).toMatchObject({ id: 'c1', state: 'active', listenerId: 'l1', assignedAt: t0 + 7_000, lastSeq: 2 });
      expect(result.message).toMatchObject({
        conversationId: 'c1', seq: 2, from: 'system', code: 'assigned', text: SYSTEM_TEXT.assigned, at: new Date(t0 + 7_000).toISOString(),
      });
      expect(await store.getConversation('c1')).toEqual(result.conversation);
      expect(result.history).toEqual(await store.readMessages('c1', 0));
      expect(result.history?.map((m) => m.seq)).toEqual([1, 2]);
      expect(result.listenerName).toBe('Listener l1');
    });

    test('names the listener as their presence does, after a change of profile too', async () => {
      await start({ conversationId: 'c1' });
      await online('l1');
      await store.updatePresenceProfile('l1', { displayName: 'Sam', languages: ['en'], maxConcurrent: 3 });
      expect((await assign('c1', 'l1')).listenerName).toBe('Sam');
    });

    test('removes the conversation from the queue', async () => {
      await start({ conversationId: 'c1' });
      await start({ conversationId: 'c2', now: t0 + 1_000 });
      await online('l1');
      await assign('c1', 'l1');
      expect(await store.queuePositions(['c1', 'c2'])).toEqual([0, 1]);
      expect((await store.queuedConversations(null, 10)).map((c) => c.id)).toEqual(['c2']);
    });

    test("raises the listener's load and lastAssignedAt", async () => {
      await start({ conversationId: 'c1' });
      await online('l1');
      await assign('c1', 'l1', t0 + 7_000);
      expect(await store.getPresence('l1')).toMatchObject({ load: 1, lastAssignedAt: t0 + 7_000 });
      expect((await store.listenerConversations('l1')).map((c) => c.id)).toEqual(['c1']);
      expect(await store.activeCount()).toBe(1);
    });

    test('counts the conversation answered today with its wait in whole seconds', async () => {
      await start({ conversationId: 'c1' });
      await online('l1');
      await assign('c1', 'l1', t0 + 7_000);
      const stats = await store.dayStats(DAY);
      expect(stats.answered).toBe(1);
      expect(stats.waits).toEqual([7]);
      expect(await store.recentWaits(t0)).toEqual([7]);
      expect(await store.recentWaits(t0 + 8_000)).toEqual([]);
    });

    test('an unknown conversation is not_found', async () => {
      await online('l1');
      await expectCode(assign('nope', 'l1'), 'not_found');
    });

    test('an active conversation is already_taken and keeps its listener', async () => {
      await activeChat('c1', 'l1');
      await online('l2');
      await expectCode(assign('c1', 'l2'), 'already_taken');
      expect((await store.getConversation('c1'))?.listenerId).toBe('l1');
      expect((await store.getPresence('l2'))?.load).toBe(0);
    });

    test('an ended conversation is already_taken', async () => {
      await start({ conversationId: 'c1' });
      await store.endConversation(endInput('c1', { endedBy: 'visitor' }));
      await online('l1');
      await expectCode(assign('c1', 'l1'), 'already_taken');
    });

    test('a listener at maxConcurrent is at_capacity and nothing changes', async () => {
      await online('l1', { maxConcurrent: 1 });
      await activeChat('c1', 'l1');
      await start({ conversationId: 'c2', visitorId: 'v2' });
      await expectCode(assign('c2', 'l1'), 'at_capacity');
      expect(await store.getConversation('c2')).toMatchObject({ state: 'queued', lastSeq: 0 });
      expect(await store.queuePositions(['c2'])).toEqual([1]);
      expect((await store.getPresence('l1'))?.load).toBe(1);
      expect((await store.dayStats(DAY)).answered).toBe(1);
    });

    test('a listener without presence is not_available', async () => {
      await start({ conversationId: 'c1' });
      await expectCode(assign('c1', 'ghost'), 'not_available');
      await expectCode(assign('c1', 'ghost', t0, true), 'not_available');
    });

    test('an away listener is not_available for routing but may accept by hand', async () => {
      await start({ conversationId: 'c1' });
      await online('l1', { status: 'away' });
      await expectCode(assign('c1', 'l1'), 'not_available');
      expect((await store.getConversation('c1'))?.state).toBe('queued');
      const manual = await assign('c1', 'l1', t0 + 5_000, true);
      expect(manual.conversation).toMatchObject({ state: 'active', listenerId: 'l1' });
    });

    test('a listener with no open connection is not_available, even by hand', async () => {
      await start({ conversationId: 'c1' });
      await online('l1');
      await store.listenerDisconnected('l1', NODE);
      await expectCode(assign('c1', 'l1'), 'not_available');
      await expectCode(assign('c1', 'l1', t0, true), 'not_available');
      expect((await store.getPresence('l1'))?.load).toBe(0);
    });

    test('a listener who does not speak the language is not_available, even by hand', async () => {
      await start({ conversationId: 'c1', language: 'nl' });
      await online('l1', { languages: ['fr', 'en'] });
      await expectCode(assign('c1', 'l1'), 'not_available');
      await expectCode(assign('c1', 'l1', t0, true), 'not_available');
      expect(await store.queuePositions(['c1'])).toEqual([1]);
    });

    test('a failed assign appends no message and counts nothing', async () => {
      await start({ conversationId: 'c1' });
      await online('l1', { status: 'away' });
      await expectCode(assign('c1', 'l1'), 'not_available');
      expect(await store.readMessages('c1', 0)).toEqual([]);
      expect((await store.dayStats(DAY)).answered).toBe(0);
      expect(await store.activeCount()).toBe(0);
    });

    test('of 20 concurrent assigns of one conversation exactly one wins; the rest are already_taken', async () => {
      await start({ conversationId: 'c1' });
      const listeners = Array.from({ length: 20 }, (_, i) => `l${i}`);
      for (const id of listeners) await online(id);
      const results = await Promise.allSettled(listeners.map((id) => assign('c1', id)));
      const winners = results.filter((r) => r.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'already_taken' });
      const conversation = await store.getConversation('c1');
      const loads = await Promise.all(listeners.map(async (id) => (await store.getPresence(id))?.load ?? 0));
      expect(loads.reduce((a, b) => a + b, 0)).toBe(1);
      expect(loads[listeners.indexOf(conversation?.listenerId ?? '')]).toBe(1);
      expect((await store.readMessages('c1', 0)).filter((m) => m.code === 'assigned')).toHaveLength(1);
      expect((await store.dayStats(DAY)).answered).toBe(1);
    });

    test('concurrent assigns to one listener never exceed maxConcurrent', async () => {
      await online('l1', { maxConcurrent: 2 });
      for (let i = 0; i < 6; i += 1) await start({ conversationId: `c${i}`, now: t0 + i });
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => assign(`c${i}`, 'l1')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'at_capacity' });
      expect((await store.getPresence('l1'))?.load).toBe(2);
      expect(await store.queuedConversations(null, 10)).toHaveLength(4);
    });
  });

  describe('assignInOrder', () => {
    const plan = (...steps: Array<[string, string, string?]>) =>
      steps.map(([conversationId, listenerId, language = 'en']) => ({ conversationId, listenerId, language }));

    test('makes every assignment of the plan, in order, each as assign would', async () => {
      for (let i = 1; i <= 3; i += 1) await start({ conversationId: `c${i}`, now: t0 + i });
      await online('l1');
      await online('l2');
      const { done, refusal } = await store.assignInOrder(plan(['c1', 'l1'], ['c2', 'l2'], ['c3', 'l1']), t0 + 9_000, DAY);
      expect(refusal).toBeUndefined();
      expect(done.map((t) => [t.conversation.id, t.conversation.listenerId, t.previousState, t.firstAnswer])).toEqual([
        ['c1', 'l1', 'queued', true], ['c2', 'l2', 'queued', true], ['c3', 'l1', 'queued', true],
      ]);
      expect(done.map((t) => t.listenerName)).toEqual(['Listener l1', 'Listener l2', 'Listener l1']);
      expect(done[0].message).toMatchObject({ seq: 1, from: 'system', code: 'assigned', at: new Date(t0 + 9_000).toISOString() });
      expect(await store.queuedConversations(null, 10)).toEqual([]);
      expect(await store.getPresence('l1')).toMatchObject({ load: 2, lastAssignedAt: t0 + 9_000 });
      expect((await store.dayStats(DAY)).answered).toBe(3);
    });

    test('stops at the first refusal and keeps what was assigned before it', async () => {
      for (let i = 1; i <= 3; i += 1) await start({ conversationId: `c${i}`, now: t0 + i });
      await online('l1', { maxConcurrent: 1 });
      await online('l2');
      const { done, refusal } = await store.assignInOrder(plan(['c1', 'l1'], ['c2', 'l1'], ['c3', 'l2']), t0 + 9_000, DAY);
      expect(done.map((t) => t.conversation.id)).toEqual(['c1']);
      expect(refusal).toMatchObject({ code: 'at_capacity' });
      // c3 could have gone to l2, but after a refusal the plan is stale: it waits for the next round.
      expect((await store.queuedConversations(null, 10)).map((c) => c.id)).toEqual(['c2', 'c3']);
      expect((await store.getPresence('l2'))?.load).toBe(0);
      expect(await store.readMessages('c2', 0)).toEqual([]);
    });

    test('a conversation taken meanwhile is already_taken; a wrong language is refused', async () => {
      await start({ conversationId: 'c1' });
      await start({ conversationId: 'c2', now: t0 + 1 });
      await online('l1');
      await assign('c1', 'l1');
      const taken = await store.assignInOrder(plan(['c1', 'l1'], ['c2', 'l1']), t0 + 9_000, DAY);
      expect(taken.done).toEqual([]);
      expect(taken.refusal).toMatchObject({ code: 'already_taken' });
      const wrong = await store.assignInOrder(plan(['c2', 'l1', 'fr']), t0 + 9_000, DAY);
      expect(wrong.done).toEqual([]);
      expect(wrong.refusal).toBeInstanceOf(Error);
      expect((await store.getConversation('c2'))?.state).toBe('queued');
    });

    test('an empty plan changes nothing', async () => {
      expect(await store.assignInOrder([], t0, DAY)).toEqual({ done: [] });
    });
  });
}
