/** Store contract: ending a conversation, flagging it, and the visitor's feedback afterwards. */
import { SYSTEM_TEXT } from '../../../server/store/system-messages';
import type { Store } from '../../../server/store/types';
import { contractHelpers, DAY, expectCode, type FixtureAccessor, sleep } from './helpers';

export function describeEndingAndFeedback(fx: FixtureAccessor): void {
  const { start, assign, activeChat, endInput, send } = contractHelpers(fx);
  let store: Store;
  let t0: number;

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  describe('endConversation', () => {
    test('a visitor leaving the queue ends it, counts it abandoned and appends ended', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await start({ conversationId: 'c2', now: t0 + 1_000 });
      const result = await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1', reason: 'quick_exit', now: t0 + 10_000 }));
      expect(result.previousState).toBe('queued');
      expect(result.conversation).toMatchObject({ state: 'ended', endedAt: t0 + 10_000, endedBy: 'visitor', reason: 'quick_exit' });
      expect(result.message).toMatchObject({ seq: 1, from: 'system', code: 'ended', text: SYSTEM_TEXT.ended });
      expect(await store.queuePositions(['c1', 'c2'])).toEqual([0, 1]);
      expect((await store.dayStats(DAY)).abandoned).toBe(1);
      expect((await store.dayStats(DAY)).durations).toEqual([]);
    });

    test("ending an active chat frees the listener and records its duration from assignment", async () => {
      await activeChat('c1', 'l1');
      const outcome = { topics: ['family'], risk: 'low' as const, note: 'follow up' };
      const result = await store.endConversation(endInput('c1', { listenerId: 'l1', reason: 'listener_ended', outcome, now: t0 + 65_000 }));
      expect(result.previousState).toBe('active');
      expect(result.previousListenerId).toBe('l1');
      expect(result.conversation).toMatchObject({ state: 'ended', endedBy: 'listener', listenerId: 'l1', lastSeq: 2 });
      expect(result.message).toMatchObject({ seq: 2, code: 'ended' });
      expect((await store.getPresence('l1'))?.load).toBe(0);
      expect(await store.listenerConversations('l1')).toEqual([]);
      expect(await store.activeCount()).toBe(0);
      expect((await store.dayStats(DAY)).durations).toEqual([60]);
      expect((await store.dayStats(DAY)).abandoned).toBe(0);
    });

    test('the wrap-up is kept, and a wrap-up sent after the visitor left is saved once', async () => {
      await activeChat('c1', 'l1');
      const first = { topics: ['family'], risk: 'high' as const, note: 'call back' };
      await store.endConversation(endInput('c1', { visitorId: 'v-c1', endedBy: 'visitor' }));
      const late = await store.endConversation(endInput('c1', { listenerId: 'l1', endedBy: 'listener', outcome: first }));
      expect(late.previousState).toBe('ended');
      expect(late.message).toBeUndefined();
      expect(late.conversation).toMatchObject({ endedBy: 'visitor', outcome: first });
      await store.endConversation(endInput('c1', { listenerId: 'l1', endedBy: 'listener', outcome: { topics: [], risk: 'none' } }));
      expect((await store.getConversation('c1'))?.outcome).toEqual(first);
    });

    test('a listener may still block a visitor who already left', async () => {
      await activeChat('c1', 'l1');
      await store.endConversation(endInput('c1', { visitorId: 'v-c1', endedBy: 'visitor' }));
      await store.endConversation(endInput('c1', { listenerId: 'l1', endedBy: 'listener', blockVisitorUntil: t0 + 3_600_000 }));
      expect((await store.getVisitor('v-c1'))?.blockedUntil).toBe(t0 + 3_600_000);
    });

    test('the system may end a conversation without naming anyone', async () => {
      await activeChat('c1', 'l1');
      const result = await store.endConversation(endInput('c1', { endedBy: 'system', reason: 'grace_expired' }));
      expect(result.conversation).toMatchObject({ state: 'ended', endedBy: 'system', reason: 'grace_expired' });
    });

    test('ending an ended conversation changes nothing and appends no message', async () => {
      await activeChat('c1', 'l1', { visitorId: 'v1' });
      await store.endConversation(endInput('c1', { listenerId: 'l1' }));
      const before = await store.getConversation('c1');
      const again = await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1', now: t0 + 99_000 }));
      expect(again.previousState).toBe('ended');
      expect(again.message).toBeUndefined();
      expect(again.conversation).toEqual(before);
      expect(await store.getConversation('c1')).toEqual(before);
      expect(await store.readMessages('c1', 0)).toHaveLength(2);
      expect((await store.dayStats(DAY)).durations).toEqual([60]);
    });

    test('an unknown conversation is not_found', async () => {
      await expectCode(store.endConversation(endInput('nope')), 'not_found');
    });

    test("a listener ending another listener's conversation gets not_yours and nothing changes", async () => {
      await activeChat('c1', 'l1');
      await expectCode(store.endConversation(endInput('c1', { listenerId: 'l2' })), 'not_yours');
      expect(await store.getConversation('c1')).toMatchObject({ state: 'active', lastSeq: 1 });
      expect((await store.getPresence('l1'))?.load).toBe(1);
    });

    test("a visitor ending another visitor's conversation gets not_chatting and nothing changes", async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await expectCode(store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v2' })), 'not_chatting');
      expect((await store.getConversation('c1'))?.state).toBe('queued');
      expect(await store.queuePositions(['c1'])).toEqual([1]);
      expect((await store.dayStats(DAY)).abandoned).toBe(0);
    });

    test('blockVisitorUntil blocks the visitor', async () => {
      await activeChat('c1', 'l1', { visitorId: 'v1' });
      await store.endConversation(endInput('c1', { listenerId: 'l1', reason: 'blocked', blockVisitorUntil: t0 + 3_600_000 }));
      expect((await store.getVisitor('v1'))?.blockedUntil).toBe(t0 + 3_600_000);
    });

    test('the transcript stays readable right after the end', async () => {
      await activeChat('c1', 'l1', { visitorId: 'v1' });
      await store.endConversation(endInput('c1', { listenerId: 'l1', retentionSeconds: 1 }));
      expect((await store.readMessages('c1', 0)).map((m) => m.code)).toEqual(['assigned', 'ended']);
    });

    test('transcript and conversation are deleted retentionSeconds after the end; live ones stay', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1', firstMessage: { text: 'secret', clientMsgId: 'msg-secret' } });
      await start({ conversationId: 'c2', visitorId: 'v2', firstMessage: { text: 'still here', clientMsgId: 'msg-still' } });
      await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1', retentionSeconds: 1 }));
      await sleep(1_500);
      expect(await store.readMessages('c1', 0)).toEqual([]);
      expect(await store.getConversation('c1')).toBeNull();
      expect(await store.getConversations(['c1', 'c2'])).toEqual([null, expect.objectContaining({ id: 'c2' })]);
      await expectCode(send('c1', 'visitor', 'v1', 'msg-secret'), 'not_found');
      expect(await store.readMessages('c2', 0)).toHaveLength(1);
    });

    test('concurrent ends of one conversation append one ended message and count once', async () => {
      await activeChat('c1', 'l1', { visitorId: 'v1' });
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => store.endConversation(endInput('c1', i % 2 ? { endedBy: 'visitor', visitorId: 'v1' } : { listenerId: 'l1' }))),
      );
      expect(results.filter((r) => r.message !== undefined)).toHaveLength(1);
      expect((await store.readMessages('c1', 0)).filter((m) => m.code === 'ended')).toHaveLength(1);
      expect((await store.dayStats(DAY)).durations).toHaveLength(1);
      expect((await store.getPresence('l1'))?.load).toBe(0);
    });
  });

  describe('flags', () => {
    test('the listener flags their active conversation; it is listed as flagged', async () => {
      await activeChat('c1', 'l1');
      await activeChat('c2', 'l1');
      const flagged = await store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'urgent', now: t0 + 9_000 });
      expect(flagged).toMatchObject({ id: 'c1', flag: 'urgent', flaggedAt: t0 + 9_000 });
      expect((await store.flaggedConversations()).map((c) => c.id)).toEqual(['c1']);
    });

    test('flagging again changes the level and keeps the first flaggedAt', async () => {
      await activeChat('c1', 'l1');
      await store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'support', now: t0 + 9_000 });
      const raised = await store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'urgent', now: t0 + 19_000 });
      expect(raised).toMatchObject({ flag: 'urgent', flaggedAt: t0 + 9_000 });
      expect(await store.getConversation('c1')).toMatchObject({ flag: 'urgent', flaggedAt: t0 + 9_000 });
    });

    test('flagged conversations are listed longest flagged first', async () => {
      await activeChat('c1', 'l1');
      await activeChat('c2', 'l1');
      await store.flagConversation({ conversationId: 'c2', listenerId: 'l1', level: 'support', now: t0 + 8_000 });
      await store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'support', now: t0 + 9_000 });
      expect((await store.flaggedConversations()).map((c) => c.id)).toEqual(['c2', 'c1']);
    });

    test('a flagged conversation back in the queue is not listed; once answered again it is', async () => {
      await activeChat('c1', 'l1');
      await store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'urgent', now: t0 + 9_000 });
      await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 10_000 });
      expect(await store.flaggedConversations()).toEqual([]);
      await assign('c1', 'l1', t0 + 11_000);
      expect((await store.flaggedConversations()).map((c) => c.id)).toEqual(['c1']);
    });

    test('an ended conversation is no longer listed as flagged', async () => {
      await activeChat('c1', 'l1');
      await store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'support', now: t0 + 9_000 });
      await store.endConversation(endInput('c1', { listenerId: 'l1' }));
      expect(await store.flaggedConversations()).toEqual([]);
    });

    test('flag errors: not_found, not_yours, not_chatting', async () => {
      await expectCode(store.flagConversation({ conversationId: 'nope', listenerId: 'l1', level: 'support', now: t0 }), 'not_found');
      await activeChat('c1', 'l1');
      await expectCode(store.flagConversation({ conversationId: 'c1', listenerId: 'l2', level: 'support', now: t0 }), 'not_yours');
      await store.endConversation(endInput('c1', { listenerId: 'l1' }));
      await expectCode(store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'support', now: t0 }), 'not_chatting');
      expect((await store.getConversation('c1'))?.flag).toBeUndefined();
    });
  });

  describe('saveFeedback', () => {
    const feedback = (conversationId: string, visitorId: string) =>
      store.saveFeedback({ conversationId, visitorId, rating: 4, comment: 'thanks', now: t0 + 70_000, day: DAY });

    test('the visitor rates an ended conversation once', async () => {
      await activeChat('c1', 'l1', { visitorId: 'v1' });
      await store.endConversation(endInput('c1', { listenerId: 'l1' }));
      await expect(feedback('c1', 'v1')).resolves.toBeUndefined();
      expect((await store.getConversation('c1'))?.rated).toBe(true);
      await expectCode(feedback('c1', 'v1'), 'already_rated');
    });

    test('feedback before the end is not_ended', async () => {
      await activeChat('c1', 'l1', { visitorId: 'v1' });
      await expectCode(feedback('c1', 'v1'), 'not_ended');
      expect((await store.getConversation('c1'))?.rated).toBeFalsy();
    });

    test("feedback on an unknown or another visitor's conversation is not_found", async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1' }));
      await expectCode(feedback('nope', 'v1'), 'not_found');
      await expectCode(feedback('c1', 'v2'), 'not_found');
      expect((await store.getConversation('c1'))?.rated).toBeFalsy();
    });

    test('concurrent feedback is saved once', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1' }));
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => feedback('c1', 'v1')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'already_rated' });
    });
  });
}
