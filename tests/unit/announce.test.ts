/**
 * Announcing an assignment on the domain alone (in-process store, recording notifier): the
 * visitor learns who answered from the transition itself, with no read of the listener's account,
 * and hears of a hand-over before anything the new listener writes.
 */
import type { Message } from '../../shared/protocol';
import type { Store } from '../../server/store/types';
import { buildDomain, type DomainHarness } from '../support/domain-harness';

let h: DomainHarness;
afterEach(async () => h.close());

const DAY = '2030-03-01';

/** Builds the domain on a store that counts reads of user accounts. */
function withCountedUserReads(): { reads: () => number } {
  let count = 0;
  const wrap = (store: Store): Store => ({
    ...store,
    getUser: async (id) => {
      count += 1;
      return store.getUser(id);
    },
  });
  h = buildDomain({ wrap });
  return { reads: () => count };
}

async function queuedChatAndListeners(store: Store, now: number, listeners: string[]): Promise<void> {
  await store.createVisitor('hash-v1', 'v1', now, 3600);
  await store.startConversation({ conversationId: 'c1', visitorId: 'v1', language: 'en', urgent: false, now, day: DAY, maxQueued: 100 });
  for (const userId of listeners) {
    await store.listenerConnected({ userId, nodeId: 'node-test', displayName: `Name of ${userId}`, languages: ['en'], maxConcurrent: 3, now });
  }
}

describe('announcing an assignment', () => {
  it('tells both sides, naming the listener from their presence without reading their account', async () => {
    const { reads } = withCountedUserReads();
    const { store } = h.domain.ctx;
    await queuedChatAndListeners(store, h.clock.now, ['l1']);

    await h.domain.listeners.accept('l1', 'c1', 'socket-1');

    expect(h.notifier.of('listener:l1', 'chat:assigned')).toHaveLength(1);
    expect(h.notifier.of('visitor:v1', 'chat:assigned')).toEqual([{ conversationId: 'c1', listener: { displayName: 'Name of l1' } }]);
    expect(reads()).toBe(0);
  });

  it("a transfer names the new listener the same way, and the visitor's system line comes before their first words", async () => {
    const { reads } = withCountedUserReads();
    const { store } = h.domain.ctx;
    await queuedChatAndListeners(store, h.clock.now, ['l1', 'l2']);
    await h.domain.listeners.accept('l1', 'c1', 'socket-1');

    await h.domain.listeners.transfer('l1', 'c1', { listenerId: 'l2' });
    await h.domain.listeners.send('l2', 'c1', 'greeting', 'Hello, I am here.');

    const seen = (h.notifier.of('visitor:v1', 'message') as Message[]).map((m) => [m.seq, m.from, m.code]);
    expect(seen).toEqual([
      [1, 'system', 'assigned'],
      [2, 'system', 'transferred'],
      [3, 'listener', undefined],
    ]);
    expect(h.notifier.of('visitor:v1', 'chat:assigned')).toEqual([
      { conversationId: 'c1', listener: { displayName: 'Name of l1' } },
      { conversationId: 'c1', listener: { displayName: 'Name of l2' } },
    ]);
    expect(reads()).toBe(0);
  });
});
