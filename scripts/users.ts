/**
 * Staff account administration against the configured Redis store:
 *   npm run users -- add --username u --display-name "Name" --role listener|supervisor [--languages fr,nl] [--max 3]
 *   npm run users -- list
 *   npm run users -- deactivate|activate --username u
 * The password of `add` is read from standard input, never from arguments (prompted without echo on a terminal).
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { AppError } from '../shared/errors';
import type { User } from '../shared/protocol';
import { makeSchemas } from '../shared/schemas';
import { ConfigError, loadConfig, type Config } from '../server/config';
import { Accounts } from '../server/domain/accounts';
import { createLogger } from '../server/logger';
import { createStore } from '../server/store';
import type { Store } from '../server/store/types';

const USAGE = `Usage:
  npm run users -- add --username <name> --display-name <name> --role listener|supervisor [--languages fr,nl] [--max 3]
      (the password is read from standard input: typed without echo, or piped)
  npm run users -- list
  npm run users -- deactivate --username <name>     (also ends their sessions)
  npm run users -- activate --username <name>`;

const NO_REDIS = `REDIS_URL is not set. With the built-in in-process store, accounts live inside the running
server: create the first supervisor at /setup and further users from the supervisor dashboard.
This tool only works against Redis (set REDIS_URL and REDIS_PREFIX as the server does).`;

class UsageError extends Error {}

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

function options(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      role: { type: 'string' },
      languages: { type: 'string' },
      max: { type: 'string' },
    },
  });
  return { ...values, username: values.username ?? positionals[0] };
}

/** Reads the password: without echo on a terminal (asked twice), else the first line of stdin. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  }
  const first = await promptHidden('Password: ');
  const second = await promptHidden('Repeat password: ');
  if (first !== second) throw new UsageError('The passwords differ.');
  return first;
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let typed = '';
    const done = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      fn();
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(typed));
        if (ch === '\u0003' || ch === '\u0004') return done(() => reject(new UsageError('Cancelled.')));
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function add(accounts: Accounts, config: Config, args: string[]): Promise<void> {
  const o = options(args);
  const schemas = makeSchemas({ languages: config.LANGUAGES, topics: config.TOPICS, maxMessageLength: config.MAX_MESSAGE_LENGTH });
  const password = await readPassword();
  const parsed = schemas.http.createUser.safeParse({
    username: o.username,
    displayName: o['display-name'],
    password,
    role: o.role,
    languages: o.languages ? o.languages.split(',').map((l) => l.trim()) : config.LANGUAGES,
    maxConcurrent: Number(o.max ?? 3),
  });
  if (!parsed.success) {
    const names: Record<string, string> = { displayName: '--display-name', maxConcurrent: '--max', password: 'password (stdin)' };
    const lines = parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? '');
      return `  ${names[field] ?? `--${field}`}: ${i.message}`;
    });
    throw new UsageError(`Invalid user:\n${lines.join('\n')}`);
  }
  const user = await accounts.createUser(parsed.data);
  out(`Created ${user.role} ${user.username} (${user.id}).`);
}

function table(users: User[]): string {
  const rows = [
    ['USERNAME', 'DISPLAY NAME', 'ROLE', 'LANGUAGES', 'MAX', 'ACTIVE', 'ID'],
    ...users.map((u) => [u.username, u.displayName, u.role, u.languages.join(','), String(u.maxConcurrent), u.active ? 'yes' : 'no', u.id]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

async function setActive(accounts: Accounts, store: Store, args: string[], active: boolean): Promise<void> {
  const { username } = options(args);
  if (!username) throw new UsageError('Which user? Pass --username <name>.');
  const record = await store.findUserByUsername(username);
  if (!record) throw new UsageError(`No user named ${username}.`);
  await accounts.updateUser(record.id, { active });
  out(active ? `Activated ${record.username}.` : `Deactivated ${record.username}; their sessions have ended.`);
}

async function run(command: string, args: string[], config: Config): Promise<void> {
  const level = process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn';
  const logger = createLogger(level, pino.destination(2));
  const store = await createStore(config, logger);
  try {
    const accounts = new Accounts({ store, config, logger, clock: Date.now });
    if (command === 'add') await add(accounts, config, args);
    else if (command === 'list') out(table(await accounts.listUsers()));
    else await setActive(accounts, store, args, command === 'activate');
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || !['add', 'list', 'deactivate', 'activate'].includes(command)) {
    err(USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  const config = loadConfig();
  if (!config.REDIS_URL) {
    err(NO_REDIS);
    return 2;
  }
  await run(command, args, config);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) err(error.message);
    else if (error instanceof AppError) err(error.message);
    else err(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
