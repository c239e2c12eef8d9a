/** Builds the HTTP app on the in-process store for supertest, with a controllable clock and captured logs. */
import type { Express } from 'express';
import request from 'supertest';
import type { StatsSnapshot, User } from '../../shared/protocol';
import { schemasFor, testConfig, type Config } from '../../server/config';
import { parseOpeningHours } from '../../server/domain/opening-hours';
import { Accounts, type RevokedSessions } from '../../server/domain/accounts';
import { createHttpApp } from '../../server/http';
import { createLogger } from '../../server/logger';
import { createMetrics } from '../../server/metrics';
import { createMemoryStore } from '../../server/store/memory/memory-store';
import type { Store } from '../../server/store/types';

export const SETUP_TOKEN = 'test-setup-token-0123456789';
export const SUPERVISOR = { username: 'sam.supervisor', password: 'correct horse battery', displayName: 'Sam' };
export const LISTENER = {
  username: 'lee.listener',
  password: 'another long passphrase',
  displayName: 'Lee',
  role: 'listener' as const,
  languages: ['fr', 'en'],
  maxConcurrent: 2,
};

export const EMPTY_STATS: StatsSnapshot = {
  at: '2025-01-01T00:00:00.000Z',
  queue: { waiting: 0, urgent: 0, byLanguage: { fr: 0, nl: 0, en: 0 }, oldestWaitSeconds: 0, medianWaitSeconds15m: 0 },
  listeners: { online: 0, available: 0, away: 0, atCapacity: 0, list: [] },
  conversations: { active: 0, flagged: [] },
  today: { started: 0, answered: 0, abandoned: 0, medianWaitSeconds: 0, medianDurationSeconds: 0 },
};

export interface Harness {
  app: Express;
  config: Config;
  store: Store;
  accounts: Accounts;
  revoked: RevokedSessions[];
  logs: string[];
  clock: { now: number };
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Wraps the store, e.g. to make ping fail. */
  wrapStore?: (store: Store) => Store;
  stats?: () => Promise<StatsSnapshot>;
  estimateWaits?: () => Promise<Record<string, number>>;
  publicDir?: string;
}

/** A fresh app with its own store; logs are captured as JSON lines. */
export function buildHarness(options: HarnessOptions = {}): Harness {
  const config = testConfig({ SETUP_TOKEN, LOG_LEVEL: 'info', ...options.env });
  const logs: string[] = [];
  const logger = createLogger(config.LOG_LEVEL, { write: (line: string) => void logs.push(line) });
  const clock = { now: Date.parse('2025-06-02T12:00:00Z') };
  const memory = createMemoryStore({ clock: () => clock.now });
  const store = options.wrapStore ? options.wrapStore(memory) : memory;
  const revoked: RevokedSessions[] = [];
  const accounts = new Accounts({ store, config, logger, clock: () => clock.now, onRevoke: (r) => revoked.push(r) });
  const metrics = createMetrics(async () => ({
    queueByLanguage: { fr: 1, nl: 0, en: 2 },
    activeConversations: 3,
    listenersByStatus: { available: 1, away: 0, offline: 2 },
  }));
  const app = createHttpApp({
    config,
    store,
    logger,
    accounts,
    metrics,
    clock: () => clock.now,
    estimateWaits: options.estimateWaits ?? (async () => ({ fr: 60, nl: 0, en: 120 })),
    stats: options.stats ?? (async () => EMPTY_STATS),
    publicDir: options.publicDir ?? '/nonexistent-public-dir',
    schemas: schemasFor(config),
    hours: parseOpeningHours(config.OPENING_HOURS, config.TIMEZONE),
  });
  return { app, config, store, accounts, revoked, logs, clock, close: () => memory.close() };
}

/** The `name=value` part of the session cookie set by a response. */
export function sessionCookieOf(res: request.Response): string {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = header?.find((c) => c.startsWith('ps_sid='));
  if (!cookie) throw new Error('no session cookie in response');
  return cookie.split(';')[0];
}

/** Creates the first supervisor through the API; returns their cookie. */
export async function setUp(h: Harness): Promise<{ cookie: string; user: User }> {
  const res = await request(h.app).post('/api/setup').send({ setupToken: SETUP_TOKEN, ...SUPERVISOR }).expect(201);
  return { cookie: sessionCookieOf(res), user: res.body.user as User };
}

/** Signs in and returns the session cookie. */
export async function signIn(h: Harness, username: string, password: string): Promise<string> {
  const res = await request(h.app).post('/api/auth/login').send({ username, password }).expect(200);
  return sessionCookieOf(res);
}

/** A supervisor plus a listener, both signed in. */
export async function staffOf(h: Harness): Promise<{ supervisor: string; listener: string; listenerUser: User }> {
  const { cookie: supervisor } = await setUp(h);
  const created = await request(h.app).post('/api/users').set('Cookie', supervisor).send(LISTENER).expect(201);
  const listener = await signIn(h, LISTENER.username, LISTENER.password);
  return { supervisor, listener, listenerUser: created.body.user as User };
}
