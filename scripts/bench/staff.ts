/**
 * Creates the staff accounts a load run needs on our server, through its public HTTP API only:
 * the first supervisor (POST /api/setup), then listener accounts, each signed in for a cookie.
 * Password hashing makes this slow (argon2), so it runs a few requests at a time and once per arm.
 */
const PASSWORD = 'bench-password-not-secret';
const PARALLEL = 4;

export interface StaffTarget {
  url: string;
  origin: string;
  setupToken: string;
}

async function post(target: StaffTarget, path: string, body: object, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', origin: target.origin };
  if (cookie) headers.cookie = cookie;
  return fetch(`${target.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

function cookieOf(res: Response): string {
  const pairs = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (pairs.length === 0) throw new Error('login set no cookie');
  return pairs.join('; ');
}

async function login(target: StaffTarget, username: string): Promise<string> {
  const res = await post(target, '/api/auth/login', { username, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`);
  return cookieOf(res);
}

/** Creates the first supervisor (or finds it there already) and returns its cookie. */
export async function supervisorCookie(target: StaffTarget): Promise<string> {
  const username = 'bench-supervisor';
  const res = await post(target, '/api/setup', { setupToken: target.setupToken, username, password: PASSWORD, displayName: 'Bench supervisor' });
  if (res.status !== 201 && res.status !== 409) throw new Error(`setup: HTTP ${res.status} ${await res.text()}`);
  return login(target, username);
}

async function createListener(target: StaffTarget, admin: string, username: string, language: string): Promise<void> {
  const body = { username, displayName: username, password: PASSWORD, role: 'listener', languages: [language], maxConcurrent: 10 };
  const res = await post(target, '/api/users', body, admin);
  if (res.status !== 201 && res.status !== 409) throw new Error(`create ${username}: HTTP ${res.status} ${await res.text()}`);
}

async function inBatches<T>(count: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, count) }, worker));
  return out;
}

/** Listener accounts `bench-<language>-<i>` speaking only `language`, signed in: one cookie each. */
export async function listenerCookies(target: StaffTarget, admin: string, language: string, count: number): Promise<string[]> {
  return inBatches(count, async (i) => {
    const username = `bench-${language}-${i}`;
    await createListener(target, admin, username, language);
    return login(target, username);
  });
}

/** Each listener account takes this many conversations at once (the schema's maximum). */
export const LISTENER_CAPACITY = 10;
