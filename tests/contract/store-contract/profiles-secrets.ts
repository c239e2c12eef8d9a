/** Store contract: refreshing a listener's routing profile, visitor expiry, and shared secrets. */
import type { Store } from '../../../server/store/types';
import { contractHelpers, type FixtureAccessor, sleep } from './helpers';

export function describeProfilesAndSecrets(fx: FixtureAccessor): void {
  const { online, activeChat } = contractHelpers(fx);
  let store: Store;

  beforeEach(() => {
    ({ store } = fx());
  });

  describe('updatePresenceProfile', () => {
    test('refreshes name, languages and capacity, keeping status, connections and load', async () => {
      await activeChat('c1', 'l1');
      await store.setListenerStatus('l1', 'away');
      const updated = await store.updatePresenceProfile('l1', { displayName: 'Ann B', languages: ['nl'], maxConcurrent: 5 });
      expect(updated).toMatchObject({ displayName: 'Ann B', languages: ['nl'], maxConcurrent: 5, status: 'away', connections: 1, load: 1 });
      expect(await store.getPresence('l1')).toEqual(updated);
    });

    test('does nothing for a listener without presence', async () => {
      expect(await store.updatePresenceProfile('ghost', { displayName: 'G', languages: ['fr'], maxConcurrent: 1 })).toBeNull();
      expect(await store.getPresence('ghost')).toBeNull();
      expect(await store.listPresence()).toEqual([]);
    });

    test('the new languages and capacity apply to the next assignment', async () => {
      await online('l1', { languages: ['en'], maxConcurrent: 1 });
      await store.updatePresenceProfile('l1', { displayName: 'x', languages: ['fr'], maxConcurrent: 2 });
      const profile = await store.getPresence('l1');
      expect(profile).toMatchObject({ languages: ['fr'], maxConcurrent: 2 });
    });
  });

  describe('touchVisitor', () => {
    test('keeps a visitor and their token past the original expiry; others still expire', async () => {
      const { t0 } = fx();
      await store.createVisitor('hash-kept', 'kept', t0, 1);
      await store.createVisitor('hash-gone', 'gone', t0, 1);
      await store.touchVisitor('hash-kept', 'kept', 60);
      await sleep(1_500);
      expect(await store.findVisitorByToken('hash-kept')).toMatchObject({ id: 'kept' });
      expect(await store.getVisitor('gone')).toBeNull();
      expect(await store.findVisitorByToken('hash-gone')).toBeNull();
    });

    test('does not bring back or create a visitor', async () => {
      await store.touchVisitor('hash-none', 'none', 60);
      expect(await store.getVisitor('none')).toBeNull();
      expect(await store.findVisitorByToken('hash-none')).toBeNull();
    });
  });

  describe('sharedSecret', () => {
    test('is 32 random bytes in base64url, the same on every call, one per name', async () => {
      const secret = await store.sharedSecret('address-hash');
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await store.sharedSecret('address-hash')).toBe(secret);
      expect(await store.sharedSecret('other')).not.toBe(secret);
    });

    test('concurrent first calls agree on one secret', async () => {
      const secrets = await Promise.all(Array.from({ length: 5 }, () => store.sharedSecret('raced')));
      expect(new Set(secrets).size).toBe(1);
    });
  });
}
