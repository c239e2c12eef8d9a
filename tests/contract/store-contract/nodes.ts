/** Store contract: server nodes, their heartbeats, and reaping a node that died with sockets open. */
import { timerKeys } from '../../../server/store/timer-keys';
import type { Store } from '../../../server/store/types';
import { ALL_LANGUAGES, contractHelpers, type FixtureAccessor, sleep } from './helpers';

const LEASE = 30_000;

export function describeNodes(fx: FixtureAccessor): void {
  let store: Store;
  let t0: number;
  const h = contractHelpers(fx);

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  const connect = (userId: string, nodeId: string) =>
    store.listenerConnected({ userId, nodeId, displayName: userId, languages: ALL_LANGUAGES, maxConcurrent: 2, now: t0 });
  const graceAt = () => ({ visitorGraceDueAt: t0 + 120_000, listenerGraceDueAt: t0 + 60_000 });
  const dueKeys = async (at: number) => (await store.claimDueTimers(at, 100, LEASE)).map((c) => c.key).sort();
  /** n1 beats briefly and lapses; n2 stays alive. */
  const oneDeadOneAlive = async () => {
    await store.nodeHeartbeat('n1', 100);
    await store.nodeHeartbeat('n2', 60_000);
    await sleep(250);
  };

  describe('server nodes', () => {
    test('a first heartbeat is unknown, later ones known; a beating node is not dead', async () => {
      expect(await store.nodeHeartbeat('n1', 60_000)).toBe(false);
      expect(await store.nodeHeartbeat('n1', 60_000)).toBe(true);
      expect(await store.deadNodes()).toEqual([]);
    });

    test('a node whose heartbeat lapsed is dead until reaped, then forgotten', async () => {
      await oneDeadOneAlive();
      expect(await store.deadNodes()).toEqual(['n1']);
      expect(await store.reapNode({ nodeId: 'n1', ...graceAt() })).toEqual({ nodeId: 'n1', visitorIds: [], listenerIds: [] });
      expect(await store.deadNodes()).toEqual([]);
      expect(await store.reapNode({ nodeId: 'n1', ...graceAt() })).toBeNull();
    });

    test("reaping uncounts the dead node's sockets and starts grace timers as their disconnects would", async () => {
      await connect('l1', 'n1');
      await connect('l1', 'n1');
      await connect('l1', 'n2');
      await connect('l2', 'n1');
      await h.start({ conversationId: 'c1', visitorId: 'v1' });
      await h.addVisitor('idle'); // never started a chat: no grace timer, as when their socket closes
      await store.visitorConnected('v1', 'n1');
      await store.visitorConnected('idle', 'n1');
      await store.visitorConnected('v2', 'n2');
      await oneDeadOneAlive();
      const grace = graceAt();
      const reaped = await store.reapNode({ nodeId: 'n1', ...grace });
      expect(reaped).toEqual({ nodeId: 'n1', visitorIds: ['idle', 'v1'], listenerIds: ['l2'] });
      expect((await store.getPresence('l1'))?.connections).toBe(1);
      expect((await store.getPresence('l2'))?.connections).toBe(0);
      expect(await dueKeys(grace.listenerGraceDueAt - 1)).toEqual([]);
      const [listenerTimer] = await store.claimDueTimers(grace.listenerGraceDueAt, 100, LEASE);
      expect(listenerTimer.key).toBe(timerKeys.listenerGrace('l2'));
      await store.completeTimer(listenerTimer.key, listenerTimer.leaseUntil);
      expect(await dueKeys(grace.visitorGraceDueAt)).toEqual([timerKeys.visitorGrace('v1')]);
    });

    test('a live node is not reaped unless forced (a node that stops cleanly)', async () => {
      await store.nodeHeartbeat('n1', 60_000);
      await connect('l1', 'n1');
      expect(await store.reapNode({ nodeId: 'n1', ...graceAt() })).toBeNull();
      expect((await store.getPresence('l1'))?.connections).toBe(1);
      expect(await store.reapNode({ nodeId: 'n1', ...graceAt(), force: true })).toEqual({ nodeId: 'n1', visitorIds: [], listenerIds: ['l1'] });
      expect((await store.getPresence('l1'))?.connections).toBe(0);
      expect(await store.nodeHeartbeat('n1', 60_000)).toBe(false);
    });

    test('a socket that closes on a reaped node uncounts nothing twice', async () => {
      await connect('l1', 'n1');
      await connect('l1', 'n2');
      await store.reapNode({ nodeId: 'n1', ...graceAt(), force: true });
      expect((await store.listenerDisconnected('l1', 'n1'))?.connections).toBe(1);
      expect((await store.listenerDisconnected('l1', 'n2'))?.connections).toBe(0);
    });

    test('a listener who reconnected elsewhere before the reap gets no grace timer', async () => {
      await connect('l1', 'n1');
      await connect('l1', 'n2');
      expect(await store.reapNode({ nodeId: 'n1', ...graceAt(), force: true })).toMatchObject({ listenerIds: [] });
      expect(await dueKeys(graceAt().visitorGraceDueAt)).toEqual([]);
    });
  });

  describe('visitor sockets per node', () => {
    test('a connect cancels the grace timer; a disconnect starts it', async () => {
      await h.start({ conversationId: 'c1', visitorId: 'v1' });
      await store.scheduleTimer(timerKeys.visitorGrace('v1'), t0 + 1_000);
      await store.visitorConnected('v1', 'n1');
      expect(await dueKeys(t0 + 1_000)).toEqual([]);
      await store.visitorDisconnected('v1', 'n1', t0 + 5_000);
      expect(await dueKeys(t0 + 4_999)).toEqual([]);
      expect(await dueKeys(t0 + 5_000)).toEqual([timerKeys.visitorGrace('v1')]);
    });

    test('a visitor who never started a chat gets no grace timer when they leave', async () => {
      await h.addVisitor('idle');
      await store.visitorConnected('idle', 'n1');
      await store.visitorDisconnected('idle', 'n1', t0);
      await store.visitorDisconnected('unknown', 'n1', t0);
      expect(await dueKeys(t0 + 1)).toEqual([]);
    });

    test('a node holds a visitor until their last socket there closes', async () => {
      await store.visitorConnected('v1', 'n1');
      await store.visitorConnected('v1', 'n1');
      await store.visitorConnected('v2', 'n1');
      await store.visitorDisconnected('v1', 'n1', t0);
      await store.visitorDisconnected('v2', 'n1', t0);
      await store.visitorDisconnected('v2', 'n1', t0);
      expect(await store.reapNode({ nodeId: 'n1', ...graceAt(), force: true })).toMatchObject({ visitorIds: ['v1'] });
    });
  });
}
