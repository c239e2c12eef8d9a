/** scripts/users.ts run as a child process against a private Redis, the password piped on stdin. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { testConfig } from '../../server/config';
import { Accounts } from '../../server/domain/accounts';
import { createLogger } from '../../server/logger';
import { createRedisStore } from '../../server/store/redis/redis-store';
import type { Store } from '../../server/store/types';
import { startRedis, type TestRedis } from '../support/redis-server';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const PASSWORD = 'piped password 2025';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { REDIS_URL: _ignored, LOG_LEVEL: _level, ...inherited } = process.env;
    const child = spawn(TSX, [join(ROOT, 'scripts', 'users.ts'), ...args], { cwd: ROOT, env: { ...inherited, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('npm run users', () => {
  let redis: TestRedis;
  let store: Store;
  let env: Record<string, string>;
  let accounts: Accounts;

  beforeAll(async () => {
    redis = await startRedis({ appendonly: false });
    const prefix = `cli${process.pid}:`;
    env = { REDIS_URL: redis.url, REDIS_PREFIX: prefix };
    store = await createRedisStore({ url: redis.url, prefix });
    const config = testConfig(env);
    accounts = new Accounts({ store, config, logger: createLogger('silent'), clock: Date.now });
  }, 30_000);

  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });

  const addArgs = ['add', '--username', 'cli.listener', '--display-name', 'Cli Listener', '--role', 'listener', '--languages', 'fr,nl', '--max', '2'];

  it('adds a user with the password from stdin, who can then sign in', async () => {
    const run = await runCli(addArgs, env, `${PASSWORD}\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Created listener cli\.listener/);
    const { user } = await accounts.login('cli.listener', PASSWORD);
    expect(user).toMatchObject({ displayName: 'Cli Listener', languages: ['fr', 'nl'], maxConcurrent: 2, active: true });
  }, 60_000);

  it('refuses a taken username and invalid fields, naming the option', async () => {
    const taken = await runCli(addArgs, env, `${PASSWORD}\n`);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/username is taken/);
    const invalid = await runCli(['add', '--username', 'x2', '--display-name', 'X', '--role', 'admin'], env, 'short\n');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/--role/);
    expect(invalid.stderr).toMatch(/password \(stdin\)/);
    expect(invalid.stderr).not.toContain('short');
  }, 60_000);

  it('never takes a password from the arguments', async () => {
    const run = await runCli([...addArgs.slice(0, 3).concat('other.user'), '--password', 'in-the-args-123'], env, '');
    expect(run.code).not.toBe(0);
    expect(await store.findUserByUsername('other.user')).toBeNull();
  }, 60_000);

  it('lists users as a table without hashes', async () => {
    const run = await runCli(['list'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^USERNAME\s+DISPLAY NAME\s+ROLE/);
    expect(run.stdout).toMatch(/cli\.listener\s+Cli Listener\s+listener\s+fr,nl\s+2\s+yes/);
    expect(run.stdout).not.toMatch(/argon2|\$/);
  }, 60_000);

  it('deactivates a user and ends their sessions', async () => {
    const { token } = await accounts.login('cli.listener', PASSWORD);
    expect(await accounts.authenticate(token)).not.toBeNull();
    const run = await runCli(['deactivate', '--username', 'cli.listener'], env);
    expect(run.code).toBe(0);
    expect(await accounts.authenticate(token)).toBeNull();
    await expect(accounts.login('cli.listener', PASSWORD)).rejects.toMatchObject({ code: 'bad_credentials' });
  }, 60_000);

  it('explains that without REDIS_URL users are created from /setup and the dashboard', async () => {
    const run = await runCli(['list'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/REDIS_URL is not set/);
    expect(run.stderr).toMatch(/\/setup/);
  }, 60_000);
});
