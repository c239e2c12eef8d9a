import request from 'supertest';
import type { Store } from '../../server/store/types';
import { buildHarness, type Harness } from './http-harness';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

let h: Harness;
afterEach(async () => h.close());

describe('probes', () => {
  it('/healthz answers 200 ok and /readyz 200 while the store answers', async () => {
    h = buildHarness();
    expect((await request(h.app).get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
    expect((await request(h.app).get('/readyz').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('/readyz answers 503 unavailable when the store ping fails', async () => {
    const failing = (store: Store): Store => Object.assign(Object.create(store) as Store, { ping: () => Promise.reject(new Error('down')) });
    h = buildHarness({ wrapStore: failing });
    expect((await request(h.app).get('/readyz').expect(503)).body).toEqual({ status: 'unavailable' });
  });

  it('/readyz answers 503 within about a second when the store hangs', async () => {
    const hanging = (store: Store): Store => Object.assign(Object.create(store) as Store, { ping: () => new Promise<void>(() => undefined) });
    h = buildHarness({ wrapStore: hanging });
    const started = Date.now();
    await request(h.app).get('/readyz').expect(503);
    expect(Date.now() - started).toBeLessThan(2500);
  });
});

describe('/metrics', () => {
  it('serves Prometheus text when no token is configured', async () => {
    h = buildHarness();
    const res = await request(h.app).get('/metrics').expect(200).expect('Content-Type', /text\/plain/);
    expect(res.text).toMatch(/ps_queue_length\{language="en"\} 2/);
    expect(res.text).toMatch(/ps_active_conversations 3/);
  });

  it('requires the bearer token when one is configured', async () => {
    h = buildHarness({ env: { METRICS_TOKEN } });
    expect((await request(h.app).get('/metrics').expect(401)).body.error.code).toBe('unauthorized');
    await request(h.app).get('/metrics').set('Authorization', 'Bearer wrong-token').expect(401);
    await request(h.app).get('/metrics').set('Authorization', `Basic ${METRICS_TOKEN}`).expect(401);
    const res = await request(h.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(res.text).toContain('ps_listeners');
  });
});

describe('GET /api/status', () => {
  it('reports open, waits per language, the extension fields and the Belgian contacts', async () => {
    h = buildHarness({ estimateWaits: async () => ({ fr: 61.4, en: 120 }) });
    const res = await request(h.app).get('/api/status').expect(200);
    expect(res.body).toMatchObject({
      open: true,
      languages: ['fr', 'nl', 'en'],
      estimatedWaitSeconds: { fr: 61, nl: 0, en: 120 },
      topics: expect.arrayContaining(['bullying', 'other']),
      maxMessageLength: 2000,
      quickExitUrl: expect.stringMatching(/^https:\/\//),
    });
    expect(res.body.nextOpenAt).toBeUndefined();
    for (const lang of ['fr', 'nl', 'en']) {
      expect(res.body.resources[lang]).toEqual(expect.arrayContaining([expect.objectContaining({ phone: '112', emergency: true })]));
    }
    expect(res.body.resources.fr.map((r: { phone: string }) => r.phone)).toContain('103');
    expect(res.body.resources.nl.map((r: { phone: string }) => r.phone)).toContain('102');
  });

  it('reports closed with the next opening outside opening hours', async () => {
    h = buildHarness({ env: { OPENING_HOURS: 'mon-fri 14:00-22:00', TIMEZONE: 'Europe/Brussels' } });
    // Monday 2 June 2025, 12:00 UTC is 14:00 in Brussels (summer time): open.
    expect((await request(h.app).get('/api/status')).body.open).toBe(true);
    h.clock.now = Date.parse('2025-06-02T10:00:00Z');
    const res = await request(h.app).get('/api/status').expect(200);
    expect(res.body).toMatchObject({ open: false, nextOpenAt: '2025-06-02T12:00:00.000Z' });
  });
});
