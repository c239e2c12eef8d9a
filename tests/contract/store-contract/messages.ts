/** Store contract: appending messages (seq, de-duplication, permissions) and reading them back. */
import type { Store } from '../../../server/store/types';
import { contractHelpers, expectCode, type FixtureAccessor } from './helpers';

export function describeMessages(fx: FixtureAccessor): void {
  const { start, online, assign, activeChat, endInput, send } = contractHelpers(fx);
  let store: Store;
  let t0: number;

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  describe('appendMessage', () => {
    test('a visitor may send while queued; seq starts at 1 and at is the ISO time', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      const result = await store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: 'hi', clientMsgId: 'msg-0001', now: t0 + 1_234 });
      expect(result.duplicate).toBe(false);
      expect(result.visitorId).toBe('v1');
      expect(result.listenerId).toBeUndefined();
      expect(result.message).toEqual({
        conversationId: 'c1', seq: 1, from: 'visitor', text: 'hi', at: new Date(t0 + 1_234).toISOString(), clientMsgId: 'msg-0001',
      });
      expect((await store.getConversation('c1'))?.lastSeq).toBe(1);
    });

    test('the visitor and their listener may both send while active', async () => {
      await activeChat('c1', 'l1', { visitorId: 'v1' });
      const fromVisitor = await send('c1', 'visitor', 'v1', 'msg-visitor');
      const fromListener = await send('c1', 'listener', 'l1', 'msg-listener');
      expect(fromVisitor.message).toMatchObject({ seq: 2, from: 'visitor' });
      expect(fromListener.message).toMatchObject({ seq: 3, from: 'listener', clientMsgId: 'msg-listener' });
      expect(fromListener.listenerId).toBe('l1');
      expect(fromListener.visitorId).toBe('v1');
    });

    test('an unknown conversation is not_found', async () => {
      await expectCode(send('nope', 'visitor', 'v1', 'msg-0001'), 'not_found');
    });

    test('another visitor gets not_chatting and nothing is stored', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await expectCode(send('c1', 'visitor', 'intruder', 'msg-0001'), 'not_chatting');
      expect(await store.readMessages('c1', 0)).toEqual([]);
      expect((await store.getConversation('c1'))?.lastSeq).toBe(0);
    });

    test('the visitor gets not_chatting once the conversation ended', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1' }));
      await expectCode(send('c1', 'visitor', 'v1', 'msg-late-01'), 'not_chatting');
    });

    test('a listener gets not_yours while the conversation is queued', async () => {
      await start({ conversationId: 'c1' });
      await online('l1');
      await expectCode(send('c1', 'listener', 'l1', 'msg-0001'), 'not_yours');
      expect(await store.readMessages('c1', 0)).toEqual([]);
    });

    test("a listener gets not_yours on another listener's conversation", async () => {
      await activeChat('c1', 'l1');
      await online('l2');
      await expectCode(send('c1', 'listener', 'l2', 'msg-0001'), 'not_yours');
      expect((await store.getConversation('c1'))?.lastSeq).toBe(1);
    });

    test('the listener gets not_yours once the conversation ended', async () => {
      await activeChat('c1', 'l1');
      await store.endConversation(endInput('c1', { listenerId: 'l1' }));
      await expectCode(send('c1', 'listener', 'l1', 'msg-late-01'), 'not_yours');
    });

    test('sending the same clientMsgId again answers the original and stores nothing new', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      const first = await send('c1', 'visitor', 'v1', 'msg-dup-01', 'original');
      const again = await store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: 'changed', clientMsgId: 'msg-dup-01', now: t0 + 9_000 });
      expect(again.duplicate).toBe(true);
      expect(again.message).toEqual(first.message);
      expect(await store.readMessages('c1', 0)).toHaveLength(1);
      expect((await store.getConversation('c1'))?.lastSeq).toBe(1);
    });

    test('a retry after the conversation was assigned still answers the original', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      const first = await send('c1', 'visitor', 'v1', 'msg-retry-1');
      await online('l1');
      await assign('c1', 'l1');
      const again = await send('c1', 'visitor', 'v1', 'msg-retry-1');
      expect(again).toMatchObject({ duplicate: true, message: first.message });
      expect((await store.getConversation('c1'))?.lastSeq).toBe(2);
    });

    test('a refused message takes no clientMsgId: sent again, it is refused again and nothing is stored', async () => {
      await activeChat('c1', 'l1', { visitorId: 'v1' });
      await store.endConversation(endInput('c1', { listenerId: 'l1' }));
      const lastSeq = (await store.getConversation('c1'))?.lastSeq;
      for (let attempt = 0; attempt < 2; attempt++) {
        await expectCode(send('c1', 'visitor', 'v1', 'msg-late-01'), 'not_chatting');
        await expectCode(send('c1', 'listener', 'l1', 'msg-late-02'), 'not_yours');
      }
      expect((await store.getConversation('c1'))?.lastSeq).toBe(lastSeq);
      expect((await store.readMessages('c1', 0)).some((m) => m.clientMsgId?.startsWith('msg-late'))).toBe(false);
    });

    test('de-duplication is per conversation', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await start({ conversationId: 'c2', visitorId: 'v2' });
      await send('c1', 'visitor', 'v1', 'msg-same-01');
      const other = await send('c2', 'visitor', 'v2', 'msg-same-01');
      expect(other.duplicate).toBe(false);
      expect(other.message.seq).toBe(1);
    });

    test('system messages take a seq too, in order with chat messages', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await send('c1', 'visitor', 'v1', 'msg-one-01');
      await online('l1');
      await assign('c1', 'l1');
      await send('c1', 'listener', 'l1', 'msg-two-02');
      await store.endConversation(endInput('c1', { listenerId: 'l1' }));
      const messages = await store.readMessages('c1', 0);
      expect(messages.map((m) => [m.seq, m.from, m.code])).toEqual([
        [1, 'visitor', undefined],
        [2, 'system', 'assigned'],
        [3, 'listener', undefined],
        [4, 'system', 'ended'],
      ]);
      expect((await store.getConversation('c1'))?.lastSeq).toBe(4);
    });

    test('50 concurrent appends get seqs 1..50 with no gap or repeat', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => send('c1', 'visitor', 'v1', `msg-conc-${String(i).padStart(3, '0')}`, `text ${i}`)),
      );
      const seqs = results.map((r) => r.message.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const stored = await store.readMessages('c1', 0);
      expect(stored.map((m) => m.seq)).toEqual(seqs);
      expect(new Set(stored.map((m) => m.clientMsgId)).size).toBe(50);
      expect((await store.getConversation('c1'))?.lastSeq).toBe(50);
    });

    test('concurrent sends of one clientMsgId store it once', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      const results = await Promise.all(Array.from({ length: 10 }, () => send('c1', 'visitor', 'v1', 'msg-same-id')));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(results.map((r) => r.message.seq))).toEqual(new Set([1]));
      expect(await store.readMessages('c1', 0)).toHaveLength(1);
    });
  });

  describe('readMessages', () => {
    test('returns messages after afterSeq, in order, up to limit', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      for (let i = 1; i <= 5; i += 1) await send('c1', 'visitor', 'v1', `msg-read-${i}0`, `text ${i}`);
      expect((await store.readMessages('c1', 0)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.readMessages('c1', 3)).map((m) => m.text)).toEqual(['text 4', 'text 5']);
      expect((await store.readMessages('c1', 1, 2)).map((m) => m.seq)).toEqual([2, 3]);
      expect(await store.readMessages('c1', 5)).toEqual([]);
    });

    test('an unknown conversation reads as empty', async () => {
      expect(await store.readMessages('nope', 0)).toEqual([]);
    });

    test('mutating a read message does not change the transcript', async () => {
      await start({ conversationId: 'c1', visitorId: 'v1' });
      await send('c1', 'visitor', 'v1', 'msg-copy-01', 'kept');
      const [message] = await store.readMessages('c1', 0);
      message.text = 'forged';
      expect((await store.readMessages('c1', 0))[0].text).toBe('kept');
    });
  });
}
