/**
 * Starts the real app on a free port for tests: in-process store, or Redis (a private server it
 * starts, or a shared one with a unique key prefix). Captures the log lines for log tests.
 */
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/logger';
import { createMemoryStore } from '../../server/store/memory/memory-store';
import { createRedisStore } from '../../server/store/redis/redis-store';
import type { Store } from '../../server/store/types';
import { freePort, startRedis, type TestRedis } from './redis-server';

export const SETUP_TOKEN = 'test-setup-token-0123456789abcdef';
export const STAFF_PASSWORD = 'correct horse battery staple';

export interface TestApp {
  url: string;
  port: number;
  app: App;
  store: Store;
  config: Config;
  /** Every log line the app wrote (JSON strings). */
  logs: string[];
  /** Closes the app (and the store and the Redis it started). */
  stop(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** true: start a private Redis; a TestRedis: share it (unique prefix); absent: in-process store. */
  redis?: boolean | TestRedis;
  /** Reuse an existing store (a second node on the same Redis): not closed by stop(). */
  store?: Store;
  clock?: () => number;
}

let prefixCounter = 0;

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const port = await freePort();
  const ownRedis = options.redis === true ? await startRedis() : null;
  const redis = ownRedis ?? (typeof options.redis === 'object' ? options.redis : null);
  const prefix = options.env?.REDIS_PREFIX ?? `t${process.pid}-${(prefixCounter += 1)}-${Date.now()}:`;
  const config = loadConfig({
    LOG_LEVEL: 'info',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    SETUP_TOKEN,
    ...(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: prefix } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger(config.LOG_LEVEL, { write: (line: string) => void logs.push(line) });
  const ownsStore = !options.store;
  const store = options.store ?? (config.REDIS_URL ? await createRedisStore({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger }) : createMemoryStore({ logger }));
  const app = await createApp({ config, store, logger, clock: options.clock });
  await new Promise<void>((resolve) => app.httpServer.listen(port, '127.0.0.1', resolve));
  const actualPort = (app.httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    app,
    store,
    config,
    logs,
    async stop() {
      await app.close();
      if (ownsStore) await store.close();
      await ownRedis?.stop();
    },
  };
}

export interface Staff {
  cookie: string;
  user: { id: string; username: string; displayName: string; role: string; languages: string[]; maxConcurrent: number };
  username: string;
  password: string;
}

const supervisors = new Map<string, string>();
let staffCounter = 0;

async function post(url: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(url).origin, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

function cookieOf(res: Response): string {
  const setCookie = res.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0];
}

/** Signs in (POST /api/auth/login) and returns the session cookie. */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await post(`${baseUrl}/api/auth/login`, { username, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return cookieOf(res);
}

/** The first call per server sets up a supervisor; later calls create staff through the API. */
export async function createStaff(
  baseUrl: string,
  options: { role?: 'listener' | 'supervisor'; languages?: string[]; maxConcurrent?: number; username?: string; password?: string; displayName?: string } = {},
): Promise<Staff> {
  staffCounter += 1;
  const username = options.username ?? `staff${staffCounter}-${process.pid}`;
  const password = options.password ?? STAFF_PASSWORD;
  const displayName = options.displayName ?? `Listener ${staffCounter}`;
  let admin = supervisors.get(baseUrl);
  if (!admin) {
    const res = await post(`${baseUrl}/api/setup`, { setupToken: SETUP_TOKEN, username: `admin-${process.pid}-${staffCounter}`, password: STAFF_PASSWORD, displayName: 'Admin' });
    if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
    admin = cookieOf(res) || (await login(baseUrl, `admin-${process.pid}-${staffCounter}`, STAFF_PASSWORD));
    supervisors.set(baseUrl, admin);
  }
  const res = await post(
    `${baseUrl}/api/users`,
    { username, password, displayName, role: options.role ?? 'listener', languages: options.languages ?? ['fr', 'nl', 'en'], maxConcurrent: options.maxConcurrent ?? 3 },
    admin,
  );
  if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: Staff['user'] };
  return { cookie: await login(baseUrl, username, password), user, username, password };
}

/** The supervisor cookie created by the first createStaff call on this server. */
export function adminCookie(baseUrl: string): string | undefined {
  return supervisors.get(baseUrl);
}
