import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { buildHarness, SETUP_TOKEN, setUp, SUPERVISOR, type Harness } from './http-harness';

let h: Harness;
afterEach(async () => h.close());

describe('security headers', () => {
  beforeEach(() => (h = buildHarness({ env: { ALLOWED_ORIGINS: 'https://partner.example.org' } })));

  it('sends a strict CSP without unsafe-inline, with frame-ancestors none and socket origins', async () => {
    const res = await request(h.app).get('/').expect(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    for (const directive of [
      "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
      "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toMatch(/connect-src 'self' http:\/\/localhost:3000 https:\/\/partner\.example\.org ws:\/\/localhost:3000 wss:\/\/partner\.example\.org/);
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('sends no referrer, no x-powered-by, and no-store on pages, API and probes', async () => {
    for (const path of ['/', '/listener', '/api/status', '/api/auth/me', '/healthz']) {
      const res = await request(h.app).get(path);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});

describe('Origin check', () => {
  beforeEach(() => (h = buildHarness({ env: { ALLOWED_ORIGINS: 'https://partner.example.org' } })));

  it('refuses a state-changing request from a foreign Origin with 403 forbidden', async () => {
    const body = { setupToken: SETUP_TOKEN, ...SUPERVISOR };
    const res = await request(h.app).post('/api/setup').set('Origin', 'https://evil.example.com').send(body).expect(403);
    expect(res.body.error.code).toBe('forbidden');
    await request(h.app).post('/api/auth/login').set('Origin', 'null').send({ username: 'a', password: 'b' }).expect(403);
    expect(await h.store.hasSupervisor()).toBe(false);
  });

  it('accepts the own origin, an allowed origin, no Origin at all, and foreign GETs', async () => {
    await request(h.app).post('/api/auth/login').set('Origin', 'http://localhost:3000').send({ username: 'nobody', password: 'x' }).expect(401);
    await request(h.app).post('/api/auth/login').set('Origin', 'https://partner.example.org').send({ username: 'nobody', password: 'x' }).expect(401);
    await request(h.app).post('/api/auth/login').send({ username: 'nobody', password: 'x' }).expect(401);
    await request(h.app).get('/api/status').set('Origin', 'https://evil.example.com').expect(200);
  });
});

describe('bodies and unknown routes', () => {
  beforeEach(() => (h = buildHarness()));

  it('answers malformed JSON with 400 invalid_payload', async () => {
    const res = await request(h.app).post('/api/auth/login').set('Content-Type', 'application/json').send('{"username": ').expect(400);
    expect(res.body).toEqual({ error: { code: 'invalid_payload', message: expect.any(String) } });
  });

  it('answers a body over 16 kB with 413 invalid_payload', async () => {
    const res = await request(h.app).post('/api/auth/login').send({ username: 'u', password: 'p'.repeat(20_000) }).expect(413);
    expect(res.body.error.code).toBe('invalid_payload');
  });

  it('answers a non-JSON body with 400 invalid_payload', async () => {
    await request(h.app).post('/api/auth/login').type('form').send('username=a&password=b').expect(400);
  });

  it('answers an undecodable path parameter with 400 invalid_payload', async () => {
    const { cookie } = await setUp(h);
    const res = await request(h.app).patch('/api/users/%E0%A4%A').set('Cookie', cookie).send({ displayName: 'X' }).expect(400);
    expect(res.body.error.code).toBe('invalid_payload');
  });

  it('answers unknown /api routes with a JSON 404', async () => {
    const res = await request(h.app).get('/api/nothing-here').expect(404).expect('Content-Type', /json/);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers unexpected failures with 500 internal, without their text, and logs no cookie or body', async () => {
    h = buildHarness({ stats: async () => Promise.reject(new Error('database exploded at /secret/path')) });
    const { cookie } = await setUp(h);
    const res = await request(h.app).get('/api/stats').set('Cookie', cookie).expect(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'Something went wrong. Please try again.' } });
    const logged = h.logs.join('\n');
    expect(logged).toContain('request failed');
    expect(logged).not.toContain(cookie.split('=')[1]);
    expect(logged).not.toContain(SUPERVISOR.password);
    expect(logged).not.toMatch(/127\.0\.0\.1|::ffff/);
  });
});

describe('pages and assets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ps-public-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'visitor.html'), '<!doctype html><title>visitor page</title>');
    writeFileSync(join(dir, 'assets', 'visitor-3f2a1b.js'), 'console.log(1)');
    h = buildHarness({ publicDir: dir });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the built pages and hashed assets with a long immutable cache', async () => {
    expect((await request(h.app).get('/').expect(200)).text).toContain('visitor page');
    const asset = await request(h.app).get('/assets/visitor-3f2a1b.js').expect(200);
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    await request(h.app).get('/assets/missing.js').expect(404);
  });

  it('serves a plain fallback page, without script or style, for a page not built yet', async () => {
    for (const path of ['/listener', '/supervisor', '/setup']) {
      const res = await request(h.app).get(path).expect(200).expect('Content-Type', /html/);
      expect(res.text).toMatch(/<h1>/);
      expect(res.text).not.toMatch(/<script|<style|style=/);
    }
    await setUp(h);
    await request(h.app).get('/setup').expect(303);
  });
});
