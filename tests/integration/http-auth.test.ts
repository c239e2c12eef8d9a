import request from 'supertest';
import { buildHarness, LISTENER, sessionCookieOf, SETUP_TOKEN, setUp, signIn, staffOf, SUPERVISOR, type Harness } from './http-harness';

let h: Harness;
afterEach(async () => h.close());

describe('POST /api/setup', () => {
  beforeEach(() => (h = buildHarness()));

  it('refuses a wrong setup token with 403 bad_setup_token and creates nobody', async () => {
    const res = await request(h.app).post('/api/setup').send({ ...SUPERVISOR, setupToken: 'wrong-token-wrong-token' }).expect(403);
    expect(res.body.error.code).toBe('bad_setup_token');
    expect(await h.store.hasSupervisor()).toBe(false);
  });

  it('refuses a malformed body with 400 invalid_payload', async () => {
    const res = await request(h.app).post('/api/setup').send({ setupToken: SETUP_TOKEN, username: 'x', password: 'short' }).expect(400);
    expect(res.body.error.code).toBe('invalid_payload');
  });

  it('creates the first supervisor with 201, signs them in, then answers 409 already_set_up', async () => {
    const res = await request(h.app).post('/api/setup').send({ setupToken: SETUP_TOKEN, ...SUPERVISOR }).expect(201);
    expect(res.body.user).toMatchObject({ username: SUPERVISOR.username, role: 'supervisor', active: true, languages: ['fr', 'nl', 'en'] });
    expect(res.body.user.passwordHash).toBeUndefined();
    const me = await request(h.app).get('/api/auth/me').set('Cookie', sessionCookieOf(res)).expect(200);
    expect(me.body.user.username).toBe(SUPERVISOR.username);

    const again = await request(h.app).post('/api/setup').send({ setupToken: SETUP_TOKEN, ...SUPERVISOR, username: 'other.one' }).expect(409);
    expect(again.body.error.code).toBe('already_set_up');
  });

  it('offers the /setup page only while no supervisor exists', async () => {
    await request(h.app).get('/setup').expect(200).expect('Content-Type', /html/);
    await setUp(h);
    await request(h.app).get('/setup').expect(303).expect('Location', '/supervisor');
  });
});

describe('POST /api/auth/login', () => {
  beforeEach(() => (h = buildHarness()));

  it('answers 200 { user } with an HttpOnly, SameSite=Strict, Path=/ cookie lasting the absolute lifetime', async () => {
    await setUp(h);
    const res = await request(h.app).post('/api/auth/login').send({ username: SUPERVISOR.username, password: SUPERVISOR.password }).expect(200);
    expect(res.body.user).toMatchObject({ username: SUPERVISOR.username, role: 'supervisor' });
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ps_sid='));
    expect(cookie).toMatch(/^ps_sid=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=43200/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('marks the cookie Secure when the public origin is https', async () => {
    h = buildHarness({ env: { PUBLIC_ORIGIN: 'https://chat.example.org' } });
    const res = await request(h.app).post('/api/setup').send({ setupToken: SETUP_TOKEN, ...SUPERVISOR }).expect(201);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(/; Secure/);
  });

  it('gives the same 401 bad_credentials for an unknown user and a wrong password', async () => {
    await setUp(h);
    const unknown = await request(h.app).post('/api/auth/login').send({ username: 'nobody.here', password: 'whatever-password' }).expect(401);
    const wrong = await request(h.app).post('/api/auth/login').send({ username: SUPERVISOR.username, password: 'wrong-password' }).expect(401);
    expect(unknown.body).toEqual({ error: { code: 'bad_credentials', message: expect.any(String) } });
    expect(wrong.body).toEqual(unknown.body);
    expect(unknown.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a deactivated account with bad_credentials', async () => {
    const { supervisor, listenerUser } = await staffOf(h);
    await request(h.app).patch(`/api/users/${listenerUser.id}`).set('Cookie', supervisor).send({ active: false }).expect(200);
    const res = await request(h.app).post('/api/auth/login').send({ username: LISTENER.username, password: LISTENER.password }).expect(401);
    expect(res.body.error.code).toBe('bad_credentials');
  });

  it('answers 429 rate_limited with Retry-After once a username had too many attempts from one address', async () => {
    h = buildHarness({ env: { RATE_LIMIT_MULTIPLIER: '0.3' } });
    await setUp(h);
    const attempt = () => request(h.app).post('/api/auth/login').send({ username: SUPERVISOR.username, password: 'wrong-password' });
    for (let i = 0; i < 3; i += 1) expect((await attempt()).status).toBe(401);
    const limited = await attempt().expect(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits: the limit is checked before the password.
    await request(h.app).post('/api/auth/login').send({ username: SUPERVISOR.username, password: SUPERVISOR.password }).expect(429);
  });

  it('wrong passwords sent on purpose from elsewhere do not lock the account owner out', async () => {
    h = buildHarness({ env: { RATE_LIMIT_MULTIPLIER: '0.3', TRUST_PROXY: '1' } });
    await setUp(h);
    const from = (address: string, password: string) =>
      request(h.app).post('/api/auth/login').set('X-Forwarded-For', address).send({ username: SUPERVISOR.username, password });
    for (let i = 0; i < 3; i += 1) expect((await from('203.0.113.66', 'wrong-password')).status).toBe(401);
    expect((await from('203.0.113.66', 'wrong-password')).status).toBe(429);
    await from('198.51.100.7', SUPERVISOR.password).expect(200);
  });

  it('has no limit when RATE_LIMIT_MULTIPLIER is 0', async () => {
    h = buildHarness({ env: { RATE_LIMIT_MULTIPLIER: '0' } });
    await setUp(h);
    for (let i = 0; i < 35; i += 1) {
      await request(h.app).post('/api/auth/login').send({ username: 'nobody.here', password: 'x' }).expect(401);
    }
  });

  it('refuses a malformed body with 400 invalid_payload', async () => {
    const res = await request(h.app).post('/api/auth/login').send({ username: 'a', password: 'b', extra: true }).expect(400);
    expect(res.body.error.code).toBe('invalid_payload');
  });
});

describe('GET /api/auth/me and POST /api/auth/logout', () => {
  beforeEach(() => (h = buildHarness()));

  it('answers 401 unauthorized without a session, or with an unknown one', async () => {
    expect((await request(h.app).get('/api/auth/me').expect(401)).body.error.code).toBe('unauthorized');
    await request(h.app).get('/api/auth/me').set('Cookie', `ps_sid=${'a'.repeat(43)}`).expect(401);
    await request(h.app).get('/api/auth/me').set('Cookie', 'ps_sid=garbage').expect(401);
  });

  it('logout answers 204, clears the cookie, ends the session and reports it for the sockets', async () => {
    await setUp(h);
    const cookie = await signIn(h, SUPERVISOR.username, SUPERVISOR.password);
    const me = await request(h.app).get('/api/auth/me').set('Cookie', cookie).expect(200);
    const res = await request(h.app).post('/api/auth/logout').set('Cookie', cookie).expect(204);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^ps_sid=; Max-Age=0/);
    await request(h.app).get('/api/auth/me').set('Cookie', cookie).expect(401);
    expect(h.revoked).toEqual([{ userId: me.body.user.id, sessionIds: [expect.stringMatching(/^[0-9a-f]{64}$/)] }]);
    expect(await h.accounts.authenticateCookieHeader(cookie)).toBeNull();
  });

  it('ends a session that stayed idle too long', async () => {
    await setUp(h);
    const cookie = await signIn(h, SUPERVISOR.username, SUPERVISOR.password);
    h.clock.now += 121 * 60_000;
    await request(h.app).get('/api/auth/me').set('Cookie', cookie).expect(401);
  });
});
