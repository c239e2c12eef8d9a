/** Store contract: user accounts, the first supervisor, and login sessions. */
import type { SessionRecord, Store } from '../../../server/store/types';
import { contractHelpers, expectCode, type FixtureAccessor, HOUR } from './helpers';

export function describeAccountsAndSessions(fx: FixtureAccessor): void {
  const { userRecord } = contractHelpers(fx);
  let store: Store;
  let t0: number;

  beforeEach(() => {
    ({ store, t0 } = fx());
  });

  describe('users', () => {
    test('a created user is found by id and by username, ignoring case', async () => {
      const created = await store.createUser(userRecord('u1', 'Alice'));
      expect(created).toEqual(userRecord('u1', 'Alice'));
      expect(await store.getUser('u1')).toEqual(created);
      expect(await store.findUserByUsername('alice')).toEqual(created);
      expect(await store.findUserByUsername('ALICE')).toEqual(created);
      expect(await store.findUserByUsername('bob')).toBeNull();
      expect(await store.getUser('nope')).toBeNull();
    });

    test('a username taken in any case is username_taken and nothing changes', async () => {
      await store.createUser(userRecord('u1', 'alice'));
      await expectCode(store.createUser(userRecord('u2', 'ALICE')), 'username_taken');
      expect(await store.getUser('u2')).toBeNull();
      expect((await store.listUsers()).map((u) => u.id)).toEqual(['u1']);
    });

    test('listUsers lists every user by username, ignoring case', async () => {
      await store.createUser(userRecord('u1', 'carol'));
      await store.createUser(userRecord('u2', 'bob', 'supervisor'));
      await store.createUser(userRecord('u3', 'Alice'));
      expect((await store.listUsers()).map((u) => u.username)).toEqual(['Alice', 'bob', 'carol']);
    });

    test('updateUser applies the patch and keeps the rest', async () => {
      await store.createUser(userRecord('u1', 'alice'));
      const updated = await store.updateUser('u1', { displayName: 'Alice B', languages: ['fr', 'nl'], maxConcurrent: 4, active: false, passwordHash: 'new-hash' });
      expect(updated).toEqual({ ...userRecord('u1', 'alice'), displayName: 'Alice B', languages: ['fr', 'nl'], maxConcurrent: 4, active: false, passwordHash: 'new-hash' });
      expect(await store.getUser('u1')).toEqual(updated);
      expect(await store.updateUser('nope', { active: false })).toBeNull();
    });

    test('mutating a returned user does not change the store', async () => {
      const created = await store.createUser(userRecord('u1', 'alice'));
      created.languages.push('fr');
      const read = await store.getUser('u1');
      if (read) read.role = 'supervisor';
      expect(await store.getUser('u1')).toEqual(userRecord('u1', 'alice'));
    });

    test('concurrent creations of one username succeed once', async () => {
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => store.createUser(userRecord(`u${i}`, i % 2 ? 'Sam' : 'sam'))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await store.listUsers()).toHaveLength(1);
    });
  });

  describe('first supervisor', () => {
    test('hasSupervisor is false on an empty store', async () => {
      expect(await store.hasSupervisor()).toBe(false);
    });

    test('the first supervisor is created while none exists, then already_set_up', async () => {
      await store.createFirstSupervisor(userRecord('s1', 'boss', 'supervisor'));
      expect(await store.hasSupervisor()).toBe(true);
      await expectCode(store.createFirstSupervisor(userRecord('s2', 'boss2', 'supervisor')), 'already_set_up');
      expect(await store.getUser('s2')).toBeNull();
    });

    test('a listener does not count as a supervisor; their username is still username_taken', async () => {
      await store.createUser(userRecord('u1', 'alice'));
      expect(await store.hasSupervisor()).toBe(false);
      await expectCode(store.createFirstSupervisor(userRecord('s1', 'Alice', 'supervisor')), 'username_taken');
      expect(await store.hasSupervisor()).toBe(false);
    });

    test('a supervisor created or promoted through createUser/updateUser counts', async () => {
      await store.createUser(userRecord('u1', 'alice'));
      await store.updateUser('u1', { role: 'supervisor' });
      expect(await store.hasSupervisor()).toBe(true);
      await expectCode(store.createFirstSupervisor(userRecord('s1', 'boss', 'supervisor')), 'already_set_up');
    });

    test('of concurrent first-supervisor requests exactly one succeeds', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => store.createFirstSupervisor(userRecord(`s${i}`, `boss${i}`, 'supervisor'))),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'already_set_up' });
      expect(await store.listUsers()).toHaveLength(1);
    });
  });

  describe('sessions', () => {
    const IDLE = 600;
    const session = (id: string, userId: string): SessionRecord => ({
      id, userId, createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 12 * HOUR * 1000,
    });

    test('touchSession returns the live session with lastSeenAt moved to now', async () => {
      await store.createSession(session('s1', 'u1'));
      const touched = await store.touchSession('s1', t0 + 60_000, IDLE);
      expect(touched).toEqual({ ...session('s1', 'u1'), lastSeenAt: t0 + 60_000 });
      expect(await store.touchSession('nope', t0, IDLE)).toBeNull();
    });

    test('a session idle longer than idleSeconds is gone for good', async () => {
      await store.createSession(session('s1', 'u1'));
      expect(await store.touchSession('s1', t0 + IDLE * 1000 + 1_000, IDLE)).toBeNull();
      expect(await store.touchSession('s1', t0 + IDLE * 1000 + 2_000, IDLE * 100)).toBeNull();
    });

    test('touching slides the idle window', async () => {
      await store.createSession(session('s1', 'u1'));
      let at = t0;
      for (let i = 0; i < 4; i += 1) {
        at += (IDLE - 60) * 1000;
        expect(await store.touchSession('s1', at, IDLE)).not.toBeNull();
      }
      expect(at - t0).toBeGreaterThan(IDLE * 1000);
    });

    test('a session past its absolute expiry is gone even when active', async () => {
      await store.createSession({ ...session('s1', 'u1'), expiresAt: t0 + 900_000 });
      expect(await store.touchSession('s1', t0 + 500_000, IDLE)).not.toBeNull();
      expect(await store.touchSession('s1', t0 + 900_001, IDLE)).toBeNull();
    });

    test('peekSession returns the live session and leaves lastSeenAt as it was', async () => {
      await store.createSession(session('s1', 'u1'));
      expect(await store.peekSession('s1', t0 + 60_000, IDLE)).toEqual(session('s1', 'u1'));
      expect(await store.touchSession('s1', t0 + 60_000, IDLE)).toMatchObject({ lastSeenAt: t0 + 60_000 });
      expect(await store.peekSession('s1', t0 + 120_000, IDLE)).toMatchObject({ lastSeenAt: t0 + 60_000 });
      expect(await store.peekSession('nope', t0, IDLE)).toBeNull();
    });

    test('peekSession does not keep an idle session alive, and sees idle and absolute expiry', async () => {
      await store.createSession({ ...session('s1', 'u1'), expiresAt: t0 + 900_000 });
      expect(await store.peekSession('s1', t0 + (IDLE - 10) * 1000, IDLE)).not.toBeNull();
      expect(await store.peekSession('s1', t0 + (IDLE + 10) * 1000, IDLE)).toBeNull();
      await store.createSession({ ...session('s2', 'u1'), expiresAt: t0 + 100_000 });
      expect(await store.peekSession('s2', t0 + 100_001, IDLE)).toBeNull();
    });

    test('deleteSession ends one session', async () => {
      await store.createSession(session('s1', 'u1'));
      await store.createSession(session('s2', 'u1'));
      await store.deleteSession('s1');
      expect(await store.touchSession('s1', t0 + 1_000, IDLE)).toBeNull();
      expect(await store.touchSession('s2', t0 + 1_000, IDLE)).not.toBeNull();
    });

    test("deleteUserSessions ends all of a user's sessions and returns their ids", async () => {
      await store.createSession(session('s1', 'u1'));
      await store.createSession(session('s2', 'u1'));
      await store.createSession(session('s3', 'u2'));
      expect((await store.deleteUserSessions('u1')).sort()).toEqual(['s1', 's2']);
      expect(await store.touchSession('s1', t0 + 1_000, IDLE)).toBeNull();
      expect(await store.touchSession('s2', t0 + 1_000, IDLE)).toBeNull();
      expect(await store.touchSession('s3', t0 + 1_000, IDLE)).not.toBeNull();
      expect(await store.deleteUserSessions('u1')).toEqual([]);
    });
  });
}
