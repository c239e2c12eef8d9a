/** Store contract: daily statistics, timers, and acquireOnce. */
import type { Store } from '../../../server/store/types';
import { timerKeys } from '../../../server/store/timer-keys';
import { contractHelpers, DAY, expectCode, type FixtureAccessor, OTHER_DAY, sleep } from './helpers';

export function describeStatsAndTimers(fx: FixtureAccessor): void {
  const { start, online, assign, endInput } = contractHelpers(fx);
  let store: Store;
  let t0: number;

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  describe('statistics', () => {
    test('a day without activity has zero counts', async () => {
      expect(await store.dayStats('2001-01-01')).toEqual({ started: 0, answered: 0, abandoned: 0, waits: [], durations: [] });
      expect(await store.recentWaits(0)).toEqual([]);
    });

    test('counts started, answered, abandoned, waits and durations of the day', async () => {
      await start({ conversationId: 'c1' });
      await start({ conversationId: 'c2' });
      await start({ conversationId: 'c3' });
      await online('l1');
      await assign('c1', 'l1', t0 + 4_000);
      await assign('c2', 'l1', t0 + 9_000);
      await store.endConversation(endInput('c1', { listenerId: 'l1', now: t0 + 124_000 }));
      await store.endConversation(endInput('c3', { endedBy: 'visitor' }));
      const stats = await store.dayStats(DAY);
      expect({ ...stats, waits: [...stats.waits].sort((a, b) => a - b) }).toEqual({
        started: 3, answered: 2, abandoned: 1, waits: [4, 9], durations: [120],
      });
      expect(await store.dayStats(OTHER_DAY)).toEqual({ started: 0, answered: 0, abandoned: 0, waits: [], durations: [] });
    });

    test('recentWaits returns the waits answered since the given time', async () => {
      await start({ conversationId: 'c1' });
      await start({ conversationId: 'c2' });
      await online('l1');
      await assign('c1', 'l1', t0 + 3_000);
      await assign('c2', 'l1', t0 + 20_000);
      expect([...(await store.recentWaits(t0))].sort((a, b) => a - b)).toEqual([3, 20]);
      expect(await store.recentWaits(t0 + 10_000)).toEqual([20]);
      expect(await store.recentWaits(t0 + 30_000)).toEqual([]);
    });
  });

  describe('timers', () => {
    const LEASE = 30_000;
    const keysOf = (claimed: { key: string }[]) => claimed.map((c) => c.key);

    test('claimDueTimers leases due keys earliest first, up to limit, until now + leaseMs', async () => {
      await store.scheduleTimer('late', t0 + 3_000);
      await store.scheduleTimer('early', t0 + 1_000);
      await store.scheduleTimer('middle', t0 + 2_000);
      await store.scheduleTimer('future', t0 + 60_000);
      const first = await store.claimDueTimers(t0 + 5_000, 2, LEASE);
      expect(first).toEqual([
        { key: 'early', leaseUntil: t0 + 35_000 },
        { key: 'middle', leaseUntil: t0 + 35_000 },
      ]);
      const second = await store.claimDueTimers(t0 + 5_000, 10, LEASE);
      expect(keysOf(second)).toEqual(['late']);
      expect(await store.claimDueTimers(t0 + 5_000, 10, LEASE)).toEqual([]);
      for (const claim of [...first, ...second]) await store.completeTimer(claim.key, claim.leaseUntil);
      expect(keysOf(await store.claimDueTimers(t0 + 60_000, 10, LEASE))).toEqual(['future']);
    });

    test('a claimed timer that is not completed is claimed again once its lease ends', async () => {
      await store.scheduleTimer('k', t0 + 1_000);
      const [claim] = await store.claimDueTimers(t0 + 1_000, 10, LEASE);
      expect(await store.claimDueTimers(claim.leaseUntil - 1, 10, LEASE)).toEqual([]);
      expect(await store.claimDueTimers(claim.leaseUntil, 10, LEASE)).toEqual([{ key: 'k', leaseUntil: claim.leaseUntil + LEASE }]);
    });

    test('a completed timer is gone for good', async () => {
      await store.scheduleTimer('k', t0 + 1_000);
      const [claim] = await store.claimDueTimers(t0 + 1_000, 10, LEASE);
      await store.completeTimer(claim.key, claim.leaseUntil);
      expect(await store.claimDueTimers(t0 + 10 * LEASE, 10, LEASE)).toEqual([]);
      await store.completeTimer('never-scheduled', t0);
    });

    test('a timer rescheduled while it was being handled survives its completion', async () => {
      await store.scheduleTimer('k', t0 + 1_000);
      const [claim] = await store.claimDueTimers(t0 + 1_000, 10, LEASE);
      await store.scheduleTimer('k', t0 + 11_000);
      await store.completeTimer('k', claim.leaseUntil);
      expect(keysOf(await store.claimDueTimers(t0 + 11_000, 10, LEASE))).toEqual(['k']);
    });

    test('a stale completion (an earlier lease) leaves a re-claimed timer alone', async () => {
      await store.scheduleTimer('k', t0 + 1_000);
      const [first] = await store.claimDueTimers(t0 + 1_000, 10, LEASE);
      const [second] = await store.claimDueTimers(first.leaseUntil, 10, LEASE);
      await store.completeTimer('k', first.leaseUntil);
      expect(keysOf(await store.claimDueTimers(second.leaseUntil, 10, LEASE))).toEqual(['k']);
    });

    test('scheduling a key again moves its due time', async () => {
      await store.scheduleTimer('k', t0 + 1_000);
      await store.scheduleTimer('k', t0 + 10_000);
      expect(await store.claimDueTimers(t0 + 5_000, 10, LEASE)).toEqual([]);
      expect(keysOf(await store.claimDueTimers(t0 + 10_000, 10, LEASE))).toEqual(['k']);
    });

    test('a cancelled timer is never claimed, even one under lease', async () => {
      await store.scheduleTimer('k', t0 + 1_000);
      await store.cancelTimer('k');
      await store.cancelTimer('never-scheduled');
      expect(await store.claimDueTimers(t0 + 5_000, 10, LEASE)).toEqual([]);
      await store.scheduleTimer('j', t0 + 1_000);
      await store.claimDueTimers(t0 + 1_000, 10, LEASE);
      await store.cancelTimer('j');
      expect(await store.claimDueTimers(t0 + 10 * LEASE, 10, LEASE)).toEqual([]);
    });

    describe("a conversation's long-wait timer lives while it waits", () => {
      const WAIT = 300_000;
      const due = async (at: number) => keysOf(await store.claimDueTimers(at, 100, LEASE));

      test('starting schedules it; starting without longWaitAt schedules none', async () => {
        await start({ conversationId: 'c1', longWaitAt: t0 + WAIT });
        await start({ conversationId: 'c2' });
        expect(await due(t0 + WAIT - 1)).toEqual([]);
        expect(await due(t0 + WAIT)).toEqual([timerKeys.longWait('c1')]);
      });

      test('an answer drops it, whether by assign or by routing', async () => {
        await start({ conversationId: 'c1', longWaitAt: t0 + WAIT });
        await start({ conversationId: 'c2', longWaitAt: t0 + WAIT });
        await start({ conversationId: 'c3', longWaitAt: t0 + WAIT });
        await online('l1');
        await assign('c1', 'l1');
        const { done, refusal } = await store.assignInOrder([{ conversationId: 'c2', listenerId: 'l1', language: 'en' }], t0 + 6_000, DAY);
        expect(refusal).toBeUndefined();
        expect(done).toHaveLength(1);
        expect(await due(t0 + WAIT)).toEqual([timerKeys.longWait('c3')]);
      });

      test('an end drops it, in the queue or after an answer', async () => {
        await start({ conversationId: 'c1', longWaitAt: t0 + WAIT });
        await start({ conversationId: 'c2', longWaitAt: t0 + WAIT });
        await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v-c1' }));
        // One scheduled by hand stands for a timer left from before answers dropped it.
        await online('l1');
        await assign('c2', 'l1');
        await store.scheduleTimer(timerKeys.longWait('c2'), t0 + WAIT);
        await store.endConversation(endInput('c2', { listenerId: 'l1' }));
        expect(await due(t0 + WAIT)).toEqual([]);
      });

      test('a requeue starts it again when asked to, from the requeue', async () => {
        await start({ conversationId: 'c1', longWaitAt: t0 + WAIT });
        await start({ conversationId: 'c2', longWaitAt: t0 + WAIT });
        await online('l1');
        await assign('c1', 'l1');
        await assign('c2', 'l1');
        await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 60_000, longWaitAt: t0 + 60_000 + WAIT });
        await store.requeue({ conversationId: 'c2', listenerId: 'l1', code: 'transferred', now: t0 + 60_000 });
        expect(await due(t0 + 60_000 + WAIT - 1)).toEqual([]);
        expect(await due(t0 + 60_000 + WAIT)).toEqual([timerKeys.longWait('c1')]);
      });

      test('a refused assignment keeps it', async () => {
        await start({ conversationId: 'c1', longWaitAt: t0 + WAIT });
        await online('l1', { languages: ['fr'] });
        await expectCode(assign('c1', 'l1'), 'not_available');
        expect(await due(t0 + WAIT)).toEqual([timerKeys.longWait('c1')]);
      });
    });

    test('concurrent claims lease each due key exactly once', async () => {
      const keys = Array.from({ length: 30 }, (_, i) => `timer-${i}`);
      for (const [i, key] of keys.entries()) await store.scheduleTimer(key, t0 + i);
      const claims = await Promise.all(Array.from({ length: 6 }, () => store.claimDueTimers(t0 + 1_000, 10, LEASE)));
      const claimed = keysOf(claims.flat());
      expect(claimed).toHaveLength(30);
      expect(new Set(claimed)).toEqual(new Set(keys));
    });
  });

  describe('acquireOnce', () => {
    test('only the first caller within the TTL gets true', async () => {
      expect(await store.acquireOnce('alert:a', 60)).toBe(true);
      expect(await store.acquireOnce('alert:a', 60)).toBe(false);
      expect(await store.acquireOnce('alert:b', 60)).toBe(true);
    });

    test('after the TTL the key can be acquired again', async () => {
      expect(await store.acquireOnce('alert:short', 1)).toBe(true);
      await sleep(1_500);
      expect(await store.acquireOnce('alert:short', 1)).toBe(true);
    });

    test('concurrent callers: exactly one gets true', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => store.acquireOnce('alert:race', 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
