import { createHash } from 'node:crypto';
import argon2 from 'argon2';
import { AppError } from '../../shared/errors';
import { testConfig } from '../../server/config';
import { Accounts, safeEqual, sessionIdOf, toPublicUser, type RevokedSessions } from '../../server/domain/accounts';
import { createLogger } from '../../server/logger';
import { createMemoryStore, type MemoryStore } from '../../server/store/memory/memory-store';

const NEW_LISTENER = {
  username: 'robin',
  displayName: 'Robin',
  password: 'a long enough password',
  role: 'listener' as const,
  languages: ['nl'],
  maxConcurrent: 2,
};

function build(env: Record<string, string> = {}) {
  const logs: string[] = [];
  const clock = { now: Date.parse('2025-06-02T12:00:00Z') };
  const store: MemoryStore = createMemoryStore({ clock: () => clock.now });
  const revoked: RevokedSessions[] = [];
  const presenceChanges: string[] = [];
  const accounts = new Accounts({
    store,
    config: testConfig(env),
    logger: createLogger('info', { write: (line: string) => void logs.push(line) }),
    clock: () => clock.now,
    onRevoke: (r) => revoked.push(r),
    onPresenceChange: (userId) => presenceChanges.push(userId),
  });
  return { accounts, store, clock, logs, revoked, presenceChanges };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(AppError);
  await expect(promise).rejects.toMatchObject({ code });
}

describe('Accounts', () => {
  let t: ReturnType<typeof build>;
  afterEach(async () => t.store.close());

  it('hashes passwords with argon2id (19 MiB, t=2, p=1) and never shows the hash', async () => {
    t = build();
    const user = await t.accounts.createUser(NEW_LISTENER);
    const record = await t.store.getUser(user.id);
    expect(record?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(Object.keys(toPublicUser(record!)).sort()).toEqual(['active', 'displayName', 'id', 'languages', 'maxConcurrent', 'role', 'username']);
  });

  it('stores only the sha256 of the session token', async () => {
    t = build();
    await t.accounts.createUser(NEW_LISTENER);
    const { token } = await t.accounts.login('robin', NEW_LISTENER.password);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await t.store.touchSession(token, t.clock.now, 60)).toBeNull();
    const hashed = createHash('sha256').update(token).digest('hex');
    expect(await t.store.touchSession(hashed, t.clock.now, 60)).toMatchObject({ id: hashed });
    expect(sessionIdOf(token)).toBe(hashed);
  });

  it('checks unknown users against a dummy hash, so both paths verify once', async () => {
    t = build();
    await t.accounts.createUser(NEW_LISTENER);
    const verify = jest.spyOn(argon2, 'verify');
    try {
      await expectCode(t.accounts.login('nobody', 'whatever-password'), 'bad_credentials');
      await expectCode(t.accounts.login('robin', 'wrong-password'), 'bad_credentials');
      expect(verify).toHaveBeenCalledTimes(2);
    } finally {
      verify.mockRestore();
    }
  });

  it('expires sessions after the idle time and after the absolute lifetime', async () => {
    t = build({ SESSION_IDLE_MINUTES: '10', SESSION_ABSOLUTE_HOURS: '1' });
    await t.accounts.createUser(NEW_LISTENER);
    const { token } = await t.accounts.login('robin', NEW_LISTENER.password);
    for (let i = 0; i < 5; i += 1) {
      t.clock.now += 9 * 60_000;
      expect(await t.accounts.authenticate(token)).not.toBeNull();
    }
    t.clock.now += 16 * 60_000; // 61 minutes after sign-in, never idle for 10
    expect(await t.accounts.authenticate(token)).toBeNull();

    const second = await t.accounts.login('robin', NEW_LISTENER.password);
    t.clock.now += 10 * 60_000;
    expect(await t.accounts.authenticate(second.token)).toBeNull();
  });

  it('authenticates from a raw Cookie header among other cookies', async () => {
    t = build();
    const created = await t.accounts.createUser(NEW_LISTENER);
    const { token } = await t.accounts.login('robin', NEW_LISTENER.password);
    const auth = await t.accounts.authenticateCookieHeader(`theme=dark; ps_sid=${token}; other=1`);
    expect(auth).toEqual({ user: created, sessionId: sessionIdOf(token) });
    expect(await t.accounts.authenticateCookieHeader(undefined)).toBeNull();
    expect(await t.accounts.authenticateCookieHeader('ps_sid=')).toBeNull();
  });

  it('treats a deactivated user as signed out and revokes their sessions', async () => {
    t = build();
    const user = await t.accounts.createUser(NEW_LISTENER);
    const { token } = await t.accounts.login('robin', NEW_LISTENER.password);
    await t.accounts.updateUser(user.id, { active: false });
    expect(await t.accounts.authenticate(token)).toBeNull();
    expect(t.revoked).toEqual([{ userId: user.id, sessionIds: [sessionIdOf(token)] }]);
  });

  it("a supervisor's change of languages, capacity or name reaches an online listener's routing at once", async () => {
    t = build();
    const user = await t.accounts.createUser(NEW_LISTENER);
    await t.store.listenerConnected({ userId: user.id, nodeId: 'n1', displayName: 'Robin', languages: ['nl'], maxConcurrent: 2, now: t.clock.now });
    await t.accounts.updateUser(user.id, { languages: ['fr', 'en'], maxConcurrent: 4, displayName: 'Robin B' });
    expect(await t.store.getPresence(user.id)).toMatchObject({ languages: ['fr', 'en'], maxConcurrent: 4, displayName: 'Robin B', connections: 1 });
    expect(t.presenceChanges).toEqual([user.id]);
  });

  it('a profile change of a listener who is offline creates no presence', async () => {
    t = build();
    const user = await t.accounts.createUser(NEW_LISTENER);
    await t.accounts.updateUser(user.id, { languages: ['fr'] });
    expect(await t.store.getPresence(user.id)).toBeNull();
    await t.accounts.updateUser(user.id, { password: 'another long password' });
    expect(t.presenceChanges).toEqual([]);
  });

  it('checks the setup token in constant time and refuses a second setup', async () => {
    t = build({ SETUP_TOKEN: 'sixteen-chars-token' });
    const input = { setupToken: 'sixteen-chars-token', username: 'boss', password: 'supervisor password', displayName: 'Boss' };
    await expectCode(t.accounts.setup({ ...input, setupToken: 'sixteen-chars-tokeN' }), 'bad_setup_token');
    await expectCode(t.accounts.setup({ ...input, setupToken: '' }), 'bad_setup_token');
    const { user } = await t.accounts.setup(input);
    expect(user).toMatchObject({ role: 'supervisor', languages: ['fr', 'nl', 'en'] });
    await expectCode(t.accounts.setup({ ...input, username: 'boss2' }), 'already_set_up');
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

describe('announceSetupToken', () => {
  let t: ReturnType<typeof build>;
  afterEach(async () => t.store.close());

  it('logs a random token once while no supervisor exists, and that token works', async () => {
    t = build();
    await t.accounts.announceSetupToken();
    const match = /setup token: ([A-Za-z0-9_-]{32})/.exec(t.logs.join('\n'));
    expect(match).not.toBeNull();
    await t.accounts.setup({ setupToken: match![1], username: 'boss', password: 'supervisor password', displayName: 'Boss' });
    t.logs.length = 0;
    await t.accounts.announceSetupToken();
    expect(t.logs).toEqual([]);
  });

  it('never logs a token given in SETUP_TOKEN', async () => {
    t = build({ SETUP_TOKEN: 'operator-chosen-token' });
    await t.accounts.announceSetupToken();
    expect(t.logs.join('\n')).toContain('/setup');
    expect(t.logs.join('\n')).not.toContain('operator-chosen-token');
  });

  it('creates no account by itself', async () => {
    t = build();
    await t.accounts.announceSetupToken();
    expect(await t.accounts.listUsers()).toEqual([]);
    expect(await t.accounts.needsSetup()).toBe(true);
  });
});
