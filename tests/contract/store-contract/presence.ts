/** Store contract: listener presence and the views of their active conversations. */
import type { Store } from '../../../server/store/types';
import { ALL_LANGUAGES, contractHelpers, type FixtureAccessor, NODE } from './helpers';

export function describePresence(fx: FixtureAccessor): void {
  const { start, online, activeChat } = contractHelpers(fx);
  let store: Store;
  let t0: number;

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  describe('active conversation views', () => {
    test("listenerConversations lists only that listener's active conversations", async () => {
      await activeChat('a1', 'l1');
      await activeChat('a2', 'l1');
      await activeChat('b1', 'l2');
      await start({ conversationId: 'q1' });
      const mine = (await store.listenerConversations('l1')).map((c) => c.id).sort();
      expect(mine).toEqual(['a1', 'a2']);
      expect(await store.listenerConversations('nobody')).toEqual([]);
      expect(await store.activeCount()).toBe(3);
    });
  });

  describe('presence', () => {
    test('a first connection creates an available presence with no load', async () => {
      const presence = await store.listenerConnected({ userId: 'l1', nodeId: NODE, displayName: 'Ann', languages: ['fr'], maxConcurrent: 2, now: t0 });
      expect(presence).toEqual({
        userId: 'l1', displayName: 'Ann', status: 'available', connections: 1, load: 0, maxConcurrent: 2, languages: ['fr'], lastAssignedAt: 0,
      });
      expect(await store.getPresence('l1')).toEqual(presence);
    });

    test('another connection counts up, keeps the status and refreshes the profile', async () => {
      await online('l1', { languages: ['fr'], maxConcurrent: 2 });
      await store.setListenerStatus('l1', 'away');
      const presence = await store.listenerConnected({ userId: 'l1', nodeId: NODE, displayName: 'Ann B', languages: ['fr', 'nl'], maxConcurrent: 4, now: t0 });
      expect(presence).toMatchObject({ displayName: 'Ann B', status: 'away', connections: 2, languages: ['fr', 'nl'], maxConcurrent: 4 });
    });

    test('a reconnect keeps the load and lastAssignedAt', async () => {
      await activeChat('c1', 'l1');
      await store.listenerDisconnected('l1', NODE);
      const back = await store.listenerConnected({ userId: 'l1', nodeId: NODE, displayName: 'x', languages: ALL_LANGUAGES, maxConcurrent: 3, now: t0 });
      expect(back).toMatchObject({ connections: 1, load: 1, lastAssignedAt: t0 + 5_000 });
    });

    test('disconnections count down, never below 0', async () => {
      await online('l1');
      await online('l1');
      expect((await store.listenerDisconnected('l1', NODE))?.connections).toBe(1);
      expect((await store.listenerDisconnected('l1', NODE))?.connections).toBe(0);
      expect((await store.listenerDisconnected('l1', NODE))?.connections).toBe(0);
      expect(await store.listenerDisconnected('ghost', NODE)).toBeNull();
    });

    test('setListenerStatus changes the status of a known listener only', async () => {
      await online('l1');
      expect((await store.setListenerStatus('l1', 'away'))?.status).toBe('away');
      expect((await store.getPresence('l1'))?.status).toBe('away');
      expect((await store.setListenerStatus('l1', 'available'))?.status).toBe('available');
      expect(await store.setListenerStatus('ghost', 'away')).toBeNull();
      expect(await store.getPresence('ghost')).toBeNull();
    });

    test('listPresence lists every listener; removePresence forgets one who is gone', async () => {
      await online('l1');
      await online('l2');
      expect((await store.listPresence()).map((p) => p.userId).sort()).toEqual(['l1', 'l2']);
      await store.listenerDisconnected('l2', NODE);
      await store.removePresence('l2');
      expect(await store.getPresence('l2')).toBeNull();
      expect((await store.listPresence()).map((p) => p.userId)).toEqual(['l1']);
    });

    test('mutating a returned presence does not change the store', async () => {
      const presence = await store.listenerConnected({ userId: 'l1', nodeId: NODE, displayName: 'Ann', languages: ['fr'], maxConcurrent: 2, now: t0 });
      presence.languages.push('nl');
      presence.load = 5;
      expect(await store.getPresence('l1')).toMatchObject({ languages: ['fr'], load: 0 });
    });

    test('concurrent connections are all counted', async () => {
      await Promise.all(Array.from({ length: 10 }, () => online('l1')));
      expect((await store.getPresence('l1'))?.connections).toBe(10);
    });
  });
}
