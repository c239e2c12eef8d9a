/**
 * Announcing an assignment on the domain alone (in-process store, recording notifier): the
 * visitor gets the conversation's 'assigned' line before anything the listener writes in answer,
 * however long the listener's name takes to read.
 */
import type { Message } from '../../shared/protocol';
import type { Store } from '../../server/store/types';
import { buildDomain, type DomainHarness } from '../support/domain-harness';

let h: DomainHarness;
afterEach(async () => h.close());

/** A store whose user reads wait for `release`; `reached` resolves when one starts waiting. */
function slowUserReads() {
  let release!: () => void;
  let reachedNow!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (reachedNow = resolve));
  const wrap = (store: Store): Store => ({
    ...store,
    getUser: async (id) => {
      reachedNow();
      await gate;
      return store.getUser(id);
    },
  });
  return { wrap, release, reached };
}

describe('announcing an assignment', () => {
  it("the visitor gets the 'assigned' line before the listener's first message, even while the name is still being read", async () => {
    const slow = slowUserReads();
    h = buildDomain({ wrap: slow.wrap });
    const { store } = h.domain.ctx;
    await store.createVisitor('hash-v1', 'v1', h.clock.now, 3600);
    await store.startConversation({ conversationId: 'c1', visitorId: 'v1', language: 'en', urgent: false, now: h.clock.now, day: '2030-03-01', maxQueued: 100 });
    await store.listenerConnected({ userId: 'l1', nodeId: 'node-test', displayName: 'l1', languages: ['en'], maxConcurrent: 3, now: h.clock.now });

    const accepted = h.domain.listeners.accept('l1', 'c1', 'socket-1');
    await slow.reached;
    // The listener's console has the conversation and answers at once.
    expect(h.notifier.of('listener:l1', 'chat:assigned')).toHaveLength(1);
    await h.domain.listeners.send('l1', 'c1', 'greeting', 'Hello, I am here.');
    slow.release();
    await accepted;

    const seen = (h.notifier.of('visitor:v1', 'message') as Message[]).map((m) => [m.seq, m.from]);
    expect(seen).toEqual([
      [1, 'system'],
      [2, 'listener'],
    ]);
    expect(h.notifier.of('visitor:v1', 'chat:assigned')).toHaveLength(1);
  });
});
