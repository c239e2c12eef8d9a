/**
 * GET /api/stats/history: supervisors only, a validated window, and samples the ticker records
 * every 30 s cluster-wide (and at a node's first stats round), even when no supervisor watches.
 */
import type { StatsHistoryReply, StatsHistorySample } from '../../shared/protocol';
import type { StatsSample } from '../../server/store/types';
import { createStaff, startTestApp, type Staff, type TestApp } from '../support/app';
import { startRedis, type TestRedis } from '../support/redis-server';

const MINUTE = 60_000;

function history(t: TestApp, cookie: string | undefined, query = ''): Promise<Response> {
  return fetch(`${t.url}/api/stats/history${query}`, { headers: cookie ? { cookie } : {} });
}

async function samplesOf(t: TestApp, cookie: string, query = ''): Promise<StatsHistorySample[]> {
  const res = await history(t, cookie, query);
  expect(res.status).toBe(200);
  return ((await res.json()) as StatsHistoryReply).samples;
}

/** Polls `check` until it holds or the deadline passes (the ticker runs on real time). */
async function until(check: () => Promise<boolean>, deadlineMs: number, what: string): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const figures = (at: number, waiting: number): StatsSample => ({ at, waiting, urgent: 1, oldestWaitSeconds: 300, medianWaitSeconds15m: 120, active: 2, available: 3 });

describe('GET /api/stats/history', () => {
  let t: TestApp;
  let supervisor: Staff;
  let listener: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    supervisor = await createStaff(t.url, { role: 'supervisor' });
    listener = await createStaff(t.url);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers 401 without a session and 403 to a listener', async () => {
    const anonymous = await history(t, undefined);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const forbidden = await history(t, listener.cookie);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('answers 400 invalid_payload to minutes outside 1..120 or not a whole number', async () => {
    for (const query of ['?minutes=0', '?minutes=121', '?minutes=1.5', '?minutes=abc', '?minutes=', '?minutes=1&minutes=2']) {
      const res = await history(t, supervisor.cookie, query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_payload');
    }
  });

  it('returns the samples of the last hour by default, or of the asked minutes, oldest first with ISO times', async () => {
    const now = Date.now();
    for (const [ago, waiting] of [[90, 11], [30, 12], [0.5, 13]]) await t.store.appendStatsSample(figures(now - ago * MINUTE, waiting), 7200);
    const wire = (ago: number, waiting: number) => ({ ...figures(now - ago * MINUTE, waiting), at: new Date(now - ago * MINUTE).toISOString() });

    // The ticker may add its own (empty) samples meanwhile: look for the seeded ones by value.
    const hour = await samplesOf(t, supervisor.cookie);
    expect(hour).toEqual(expect.arrayContaining([wire(30, 12), wire(0.5, 13)]));
    expect(hour).not.toContainEqual(wire(90, 11));
    expect(hour.map((s) => Date.parse(s.at))).toEqual(hour.map((s) => Date.parse(s.at)).sort((a, b) => a - b));

    expect(await samplesOf(t, supervisor.cookie, '?minutes=120')).toEqual(expect.arrayContaining([wire(90, 11), wire(30, 12), wire(0.5, 13)]));
    const minute = await samplesOf(t, supervisor.cookie, '?minutes=1');
    expect(minute).toContainEqual(wire(0.5, 13));
    expect(minute).not.toContainEqual(wire(30, 12));
  });
});

describe('recording samples', () => {
  it('the ticker records a sample soon after start although no supervisor is connected', async () => {
    const t = await startTestApp();
    try {
      await until(async () => (await t.store.statsSamples(0)).length > 0, 5_000, 'a first sample');
      const [sample] = await t.store.statsSamples(0);
      expect(sample).toEqual({ at: expect.any(Number), waiting: 0, urgent: 0, oldestWaitSeconds: 0, medianWaitSeconds15m: 0, active: 0, available: 0 });
      expect(Math.abs(Date.now() - sample.at)).toBeLessThan(10_000);
      const supervisor = await createStaff(t.url, { role: 'supervisor' });
      expect((await samplesOf(t, supervisor.cookie)).map((s) => Date.parse(s.at))).toEqual([sample.at]);
    } finally {
      await t.stop();
    }
  });

  it('recordSample reads the figures from the store when no snapshot was computed, once per period', async () => {
    const t = await startTestApp();
    try {
      const now = Date.now();
      await t.store.createVisitor('hash-v1', 'v1', now, 3600);
      await t.store.startConversation({ conversationId: 'c1', visitorId: 'v1', language: 'fr', urgent: true, now: now - 40_000, day: t.app.domain.stats.today(), maxQueued: 10 });
      expect(await t.app.domain.stats.recordSample()).toBe(true);
      expect(await t.app.domain.stats.recordSample()).toBe(false);
      const samples = await t.store.statsSamples(0);
      expect(samples).toEqual([expect.objectContaining({ waiting: 1, urgent: 1, active: 0, available: 0 })]);
      expect(samples[0].oldestWaitSeconds).toBeGreaterThanOrEqual(40);
    } finally {
      await t.stop();
    }
  });

  describe('on two nodes sharing Redis', () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis.stop();
    });

    it('only one node records the sample of a period', async () => {
      const a = await startTestApp({ redis });
      const b = await startTestApp({ redis, env: { REDIS_PREFIX: a.config.REDIS_PREFIX } });
      const bStarted = Date.now();
      try {
        await until(async () => (await a.store.statsSamples(0)).length > 0, 5_000, 'a first sample');
        // Let node b reach its first stats round (2 s after its start) too: it must not record.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, bStarted + 3_500 - Date.now())));
        expect(await b.store.statsSamples(0)).toHaveLength(1);
      } finally {
        await b.stop();
        await a.stop();
      }
    });
  });
});
