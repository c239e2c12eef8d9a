import request from 'supertest';
import { EMPTY_STATS, buildHarness, LISTENER, setUp, signIn, staffOf, SUPERVISOR, type Harness } from './http-harness';

let h: Harness;
beforeEach(() => (h = buildHarness()));
afterEach(async () => h.close());

describe('/api/users', () => {
  it('is refused with 401 to visitors and 403 to listeners', async () => {
    const { listener } = await staffOf(h);
    expect((await request(h.app).get('/api/users').expect(401)).body.error.code).toBe('unauthorized');
    expect((await request(h.app).get('/api/users').set('Cookie', listener).expect(403)).body.error.code).toBe('forbidden');
    await request(h.app).post('/api/users').set('Cookie', listener).send({ ...LISTENER, username: 'new.one' }).expect(403);
    await request(h.app).patch('/api/users/whatever').set('Cookie', listener).send({ active: false }).expect(403);
  });

  it('lets a supervisor create and list users, never showing a password hash', async () => {
    const { supervisor, listenerUser } = await staffOf(h);
    expect(listenerUser).toMatchObject({ username: LISTENER.username, role: 'listener', languages: ['fr', 'en'], maxConcurrent: 2, active: true });
    const res = await request(h.app).get('/api/users').set('Cookie', supervisor).expect(200);
    expect(res.body.users.map((u: { username: string }) => u.username).sort()).toEqual([LISTENER.username, SUPERVISOR.username].sort());
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash|password/);
  });

  it('answers 409 username_taken for a username in use, whatever its case', async () => {
    const { supervisor } = await staffOf(h);
    const res = await request(h.app).post('/api/users').set('Cookie', supervisor).send({ ...LISTENER, username: 'Lee.Listener' }).expect(409);
    expect(res.body.error.code).toBe('username_taken');
  });

  it('refuses invalid users with 400 invalid_payload', async () => {
    const { cookie } = await setUp(h);
    const bad = [
      { ...LISTENER, role: 'admin' },
      { ...LISTENER, languages: ['de'] },
      { ...LISTENER, password: 'short' },
      { ...LISTENER, maxConcurrent: 0 },
      { ...LISTENER, isAdmin: true },
    ];
    for (const body of bad) {
      const res = await request(h.app).post('/api/users').set('Cookie', cookie).send(body).expect(400);
      expect(res.body.error.code).toBe('invalid_payload');
    }
  });

  it('PATCH changes fields and answers 404 not_found for an unknown id', async () => {
    const { supervisor, listenerUser } = await staffOf(h);
    const res = await request(h.app)
      .patch(`/api/users/${listenerUser.id}`)
      .set('Cookie', supervisor)
      .send({ displayName: 'Lee B.', languages: ['nl'], maxConcurrent: 4 })
      .expect(200);
    expect(res.body.user).toMatchObject({ id: listenerUser.id, displayName: 'Lee B.', languages: ['nl'], maxConcurrent: 4 });
    const missing = await request(h.app).patch('/api/users/no-such-user').set('Cookie', supervisor).send({ displayName: 'X' }).expect(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('PATCH active:false ends every session of that user and reports them to the socket layer', async () => {
    const { supervisor, listener, listenerUser } = await staffOf(h);
    const second = await signIn(h, LISTENER.username, LISTENER.password);
    await request(h.app).patch(`/api/users/${listenerUser.id}`).set('Cookie', supervisor).send({ active: false }).expect(200);
    await request(h.app).get('/api/auth/me').set('Cookie', listener).expect(401);
    await request(h.app).get('/api/auth/me').set('Cookie', second).expect(401);
    const revoke = h.revoked.find((r) => r.userId === listenerUser.id);
    expect(revoke?.sessionIds).toHaveLength(2);
  });

  it('a new password ends the other sessions of that user but keeps the one that changed it', async () => {
    const { cookie: supervisor, user } = await setUp(h);
    const elsewhere = await signIn(h, SUPERVISOR.username, SUPERVISOR.password);
    await request(h.app).patch(`/api/users/${user.id}`).set('Cookie', supervisor).send({ password: 'a brand new passphrase' }).expect(200);
    await request(h.app).get('/api/auth/me').set('Cookie', supervisor).expect(200);
    await request(h.app).get('/api/auth/me').set('Cookie', elsewhere).expect(401);
    await request(h.app).post('/api/auth/login').send({ username: SUPERVISOR.username, password: SUPERVISOR.password }).expect(401);
    await signIn(h, SUPERVISOR.username, 'a brand new passphrase');
  });

  it('a new role ends every session of that user, so the new rights apply at once', async () => {
    const { supervisor, listener, listenerUser } = await staffOf(h);
    await request(h.app).patch(`/api/users/${listenerUser.id}`).set('Cookie', supervisor).send({ role: 'supervisor' }).expect(200);
    await request(h.app).get('/api/auth/me').set('Cookie', listener).expect(401);
    expect(h.revoked.some((r) => r.userId === listenerUser.id && r.sessionIds.length === 1)).toBe(true);
    const again = await signIn(h, LISTENER.username, LISTENER.password);
    await request(h.app).get('/api/users').set('Cookie', again).expect(200);
  });

  it('does not let supervisors deactivate or demote themselves', async () => {
    const { cookie, user } = await setUp(h);
    await request(h.app).patch(`/api/users/${user.id}`).set('Cookie', cookie).send({ active: false }).expect(403);
    await request(h.app).patch(`/api/users/${user.id}`).set('Cookie', cookie).send({ role: 'listener' }).expect(403);
  });
});

describe('GET /api/stats', () => {
  it('answers 401 to visitors, 403 to listeners and the snapshot to supervisors', async () => {
    const { supervisor, listener } = await staffOf(h);
    await request(h.app).get('/api/stats').expect(401);
    await request(h.app).get('/api/stats').set('Cookie', listener).expect(403);
    const res = await request(h.app).get('/api/stats').set('Cookie', supervisor).expect(200);
    expect(res.body).toEqual(EMPTY_STATS);
  });
});

describe('/api/canned', () => {
  it('gives signed-in staff the starter set per language until a supervisor saves one', async () => {
    const { supervisor, listener } = await staffOf(h);
    await request(h.app).get('/api/canned').expect(401);
    const res = await request(h.app).get('/api/canned').set('Cookie', listener).expect(200);
    expect(Object.keys(res.body.responses).sort()).toEqual(['en', 'fr', 'nl']);
    expect(res.body.responses.fr.length).toBeGreaterThanOrEqual(5);

    const responses = [{ id: 'hello', title: 'Hallo', text: 'Dag, fijn dat je er bent.' }];
    await request(h.app).put('/api/canned/nl').set('Cookie', listener).send({ responses }).expect(403);
    await request(h.app).put('/api/canned/nl').set('Cookie', supervisor).send({ responses }).expect(200);
    const after = await request(h.app).get('/api/canned').set('Cookie', listener).expect(200);
    expect(after.body.responses.nl).toEqual(responses);
    expect(after.body.responses.en).toEqual(res.body.responses.en);
  });

  it('refuses an unknown language and duplicate ids with 400 invalid_payload', async () => {
    const { cookie } = await setUp(h);
    const one = { id: 'a1', title: 'T', text: 'Text' };
    await request(h.app).put('/api/canned/de').set('Cookie', cookie).send({ responses: [one] }).expect(400);
    const dup = await request(h.app).put('/api/canned/en').set('Cookie', cookie).send({ responses: [one, one] }).expect(400);
    expect(dup.body.error.code).toBe('invalid_payload');
  });
});
