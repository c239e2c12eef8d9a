/**
 * Lifecycle timers and server nodes on the domain alone (in-process store, hand-moved clock):
 * a timer is done only once handled, a failed one comes back after its lease, and a node that
 * died with sockets open has them treated as disconnected.
 */
import { TIMER_LEASE_MS } from '../../server/domain/lifecycle';
import { timerKeys } from '../../server/store/timer-keys';
import type { Store } from '../../server/store/types';
import { buildDomain, observedWaits, type DomainHarness } from '../support/domain-harness';

const DAY = '2030-03-01';

let h: DomainHarness;
afterEach(async () => h.close());

/** A queued conversation `id` of visitor `v-<id>`, started at the harness's now. */
async function queued(id: string, language = 'en') {
  const { store } = h.domain.ctx;
  await store.createVisitor(`hash-${id}`, `v-${id}`, h.clock.now, 3600);
  await store.startConversation({ conversationId: id, visitorId: `v-${id}`, language, urgent: false, now: h.clock.now, day: DAY, maxQueued: 100 });
}

async function online(userId: string, nodeId = 'node-test') {
  await h.domain.ctx.store.listenerConnected({ userId, nodeId, displayName: userId, languages: ['en'], maxConcurrent: 3, now: h.clock.now });
}

async function activeWith(id: string, userId: string) {
  await queued(id);
  return h.domain.ctx.store.assign({ conversationId: id, listenerId: userId, manual: true, now: h.clock.now, day: DAY });
}

/** Makes requeue fail for one conversation, `times` times. */
function failingRequeue(conversationId: string, times: number): (store: Store) => Store {
  return (store) => {
    let left = times;
    return {
      ...store,
      requeue: (input) => {
        if (input.conversationId === conversationId && left-- > 0) return Promise.reject(new Error('store hiccup'));
        return store.requeue(input);
      },
    };
  };
}

describe('timer leases', () => {
  it("one chat failing to requeue does not hold up a lost listener's other chats; it is retried after the lease", async () => {
    h = buildDomain({ wrap: failingRequeue('c1', 1) });
    const { store } = h.domain.ctx;
    await online('l1');
    await activeWith('c1', 'l1');
    await activeWith('c2', 'l1');
    await h.domain.listeners.disconnected('l1');
    h.clock.now += 61_000;

    expect(await h.domain.lifecycle.runDueTimers()).toBe(1);
    expect((await store.getConversation('c1'))?.state).toBe('active');
    expect((await store.getConversation('c2'))?.state).toBe('queued');
    expect(await h.domain.lifecycle.runDueTimers()).toBe(0);

    h.clock.now += TIMER_LEASE_MS;
    expect(await h.domain.lifecycle.runDueTimers()).toBe(1);
    expect((await store.getConversation('c1'))?.state).toBe('queued');
    expect(h.notifier.of('visitor:v-c1', 'message')).toEqual([expect.objectContaining({ code: 'listener_lost' })]);
    // The grace timer is done for good: what comes due later is each requeued chat's new long wait.
    h.clock.now += 10 * TIMER_LEASE_MS;
    expect(await h.domain.lifecycle.runDueTimers()).toBe(2);
    const waits = h.notifier.of('supervisors', 'alert').filter((alert) => (alert as { kind: string }).kind === 'long_wait');
    expect(waits).toHaveLength(2);
    expect(waits).toEqual(expect.arrayContaining(['c1', 'c2'].map((conversationId) => expect.objectContaining({ conversationId }))));
    expect(await h.domain.lifecycle.runDueTimers()).toBe(0);
  });

  it('a visitor grace timer whose handler failed runs again after the lease and ends the chat', async () => {
    h = buildDomain();
    await queued('c1');
    await h.domain.lifecycle.visitorDisconnected('v-c1');
    h.notifier.onlineAnswers.push(new Error('adapter down'));
    h.clock.now += 121_000;
    await h.domain.lifecycle.runDueTimers();
    expect((await h.domain.ctx.store.getConversation('c1'))?.state).toBe('queued');

    h.clock.now += TIMER_LEASE_MS;
    await h.domain.lifecycle.runDueTimers();
    expect(await h.domain.ctx.store.getConversation('c1')).toMatchObject({ state: 'ended', endedBy: 'system', reason: 'grace_expired' });
  });

  it('a timer rescheduled by its own handler survives the completion', async () => {
    h = buildDomain();
    await queued('c1');
    await h.domain.lifecycle.visitorDisconnected('v-c1');
    // Whether the visitor is back is unknown: the handler asks again 10 s later.
    h.notifier.onlineAnswers.push(null);
    h.clock.now += 121_000;
    await h.domain.lifecycle.runDueTimers();
    h.clock.now += 10_000;
    expect(await h.domain.lifecycle.runDueTimers()).toBe(1);
    expect((await h.domain.ctx.store.getConversation('c1'))?.state).toBe('ended');
  });

  it('an idle visitor who leaves gets no grace timer; one whose chat ended gets one that ends nothing', async () => {
    h = buildDomain();
    const { store } = h.domain.ctx;
    await store.createVisitor('hash-idle', 'idle', h.clock.now, 3600);
    await h.domain.lifecycle.visitorDisconnected('idle');
    h.clock.now += 121_000;
    expect(await h.domain.lifecycle.runDueTimers()).toBe(0);

    await queued('c1');
    await h.domain.visitors.end('v-c1', 'c1');
    await h.domain.lifecycle.visitorDisconnected('v-c1');
    h.clock.now += 121_000;
    expect(await h.domain.lifecycle.runDueTimers()).toBe(1);
    expect((await store.getConversation('c1'))?.state).toBe('ended');
    h.clock.now += 10 * TIMER_LEASE_MS;
    expect(await h.domain.lifecycle.runDueTimers()).toBe(0);
  });
});

describe('server nodes', () => {
  it('a node that died with a listener and a visitor connected has their grace periods started by another node', async () => {
    h = buildDomain({ nodeId: 'alive', env: { NODE_TIMEOUT_SECONDS: '1' } });
    const { store } = h.domain.ctx;
    await h.domain.lifecycle.heartbeat();
    await store.nodeHeartbeat('dead', 1);
    await online('l1', 'dead');
    await activeWith('c1', 'l1');
    await store.visitorConnected('v-c1', 'dead');
    await new Promise((resolve) => setTimeout(resolve, 20));

    const [reaped] = await h.domain.lifecycle.reapDeadNodes();
    expect(reaped).toEqual({ nodeId: 'dead', visitorIds: ['v-c1'], listenerIds: ['l1'] });
    expect((await store.getPresence('l1'))?.connections).toBe(0);
    h.clock.now += 60_000;
    await h.domain.lifecycle.runDueTimers();
    expect(await store.getConversation('c1')).toMatchObject({ state: 'queued' });
    expect(h.notifier.of('visitor:v-c1', 'message')).toEqual([expect.objectContaining({ code: 'listener_lost' })]);
    h.clock.now += 60_000;
    await h.domain.lifecycle.runDueTimers();
    expect(await store.getConversation('c1')).toMatchObject({ state: 'ended', endedBy: 'system' });
  });

  it('a node learns from its heartbeat that it was reaped', async () => {
    h = buildDomain({ nodeId: 'me' });
    expect(await h.domain.lifecycle.heartbeat()).toBe(true);
    expect(await h.domain.lifecycle.heartbeat()).toBe(true);
    await h.domain.ctx.store.reapNode({ nodeId: 'me', visitorGraceDueAt: 0, listenerGraceDueAt: 0, force: true });
    expect(await h.domain.lifecycle.heartbeat()).toBe(false);
    expect(await h.domain.lifecycle.heartbeat()).toBe(true);
  });

  it('a node that leaves starts grace timers for whatever it still counted', async () => {
    h = buildDomain({ nodeId: 'me' });
    await h.domain.lifecycle.heartbeat();
    await online('l1', 'me');
    await h.domain.lifecycle.leave();
    expect((await h.domain.ctx.store.getPresence('l1'))?.connections).toBe(0);
    h.clock.now += 60_000;
    const [timer] = await h.domain.ctx.store.claimDueTimers(h.clock.now, 10, 1_000);
    expect(timer.key).toBe(timerKeys.listenerGrace('l1'));
  });
});

describe('the wait histogram', () => {
  it('observes the first answer of a conversation only, not its answer after a requeue', async () => {
    h = buildDomain();
    await online('l1');
    await queued('c1');
    await h.domain.dispatcher.run();
    expect((await h.domain.ctx.store.getConversation('c1'))?.listenerId).toBe('l1');
    expect(await observedWaits(h.metrics)).toBe(1);

    await online('l2');
    // The hand-back kicks routing, which gives it to l2 (not back to l1, who released it).
    await h.domain.listeners.transfer('l1', 'c1', 'queue');
    for (let i = 0; i < 50 && (await h.domain.ctx.store.getConversation('c1'))?.listenerId !== 'l2'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await h.domain.ctx.store.getConversation('c1'))?.listenerId).toBe('l2');
    expect(await observedWaits(h.metrics)).toBe(1);
  });
});
