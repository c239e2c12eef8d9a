/**
 * The Lua scripts of the store: read once from `lua/`, registered with `defineCommand`, and run
 * through one function that turns script failures into typed errors.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClientContext, Command, Redis, Result } from 'ioredis';
import { AppError, isErrorCode } from '../../../shared/errors';
import { StaleReadError } from '../stale-read';

type ScriptCommand<Context extends ClientContext> = (...keysAndArgs: (string | number)[]) => Result<unknown, Context>;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    appendMessages: ScriptCommand<Context>;
    assign: ScriptCommand<Context>;
    claimDueTimers: ScriptCommand<Context>;
    completeTimer: ScriptCommand<Context>;
    createSession: ScriptCommand<Context>;
    createUser: ScriptCommand<Context>;
    createVisitor: ScriptCommand<Context>;
    deleteSession: ScriptCommand<Context>;
    deleteUserSessions: ScriptCommand<Context>;
    endConversation: ScriptCommand<Context>;
    flagConversation: ScriptCommand<Context>;
    listenerConnected: ScriptCommand<Context>;
    listenerDisconnected: ScriptCommand<Context>;
    listPresence: ScriptCommand<Context>;
    nodeHeartbeat: ScriptCommand<Context>;
    queueHeads: ScriptCommand<Context>;
    reapNode: ScriptCommand<Context>;
    removePresence: ScriptCommand<Context>;
    requeue: ScriptCommand<Context>;
    saveFeedback: ScriptCommand<Context>;
    setListenerStatus: ScriptCommand<Context>;
    startConversation: ScriptCommand<Context>;
    touchSession: ScriptCommand<Context>;
    touchVisitor: ScriptCommand<Context>;
    transfer: ScriptCommand<Context>;
    updatePresenceProfile: ScriptCommand<Context>;
    updateUser: ScriptCommand<Context>;
    visitorConnected: ScriptCommand<Context>;
    visitorDisconnected: ScriptCommand<Context>;
  }
}

const SCRIPT_NAMES = [
  'appendMessages', 'assign', 'claimDueTimers', 'completeTimer', 'createSession', 'createUser',
  'createVisitor', 'deleteSession', 'deleteUserSessions', 'endConversation', 'flagConversation',
  'listenerConnected', 'listenerDisconnected', 'listPresence', 'nodeHeartbeat', 'queueHeads', 'reapNode', 'removePresence',
  'requeue', 'saveFeedback', 'setListenerStatus', 'startConversation', 'touchSession',
  'touchVisitor', 'transfer', 'updatePresenceProfile', 'updateUser', 'visitorConnected',
  'visitorDisconnected',
] as const;

export type ScriptName = (typeof SCRIPT_NAMES)[number];

/** File names read `kebab-name-<key count>.lua`, or `-n.lua` for a variable number of keys. */
const SCRIPT_FILE = /^([a-z-]+)-(\d+|n)\.lua$/;

export { StaleReadError };

/**
 * Maps a script's failure reply to its typed error; others pass through. Scripts reply
 * `APP <code>` or `STALE <why>`: Redis keeps a leading upper-case word as the error code.
 */
export function toStoreError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  if (err.message.startsWith('STALE ')) return new StaleReadError();
  const match = /^APP ([a-z_]+)/.exec(err.message);
  if (match && isErrorCode(match[1])) return new AppError(match[1]);
  return err;
}

/** Finds the lua/ folder next to this module, or in the source tree when running from dist/. */
export function resolveLuaDir(): string {
  const candidates = [
    path.join(__dirname, 'lua'),
    path.resolve(__dirname, '../../../../server/store/redis/lua'),
    path.join(process.cwd(), 'server/store/redis/lua'),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`Lua scripts not found; looked in ${candidates.join(', ')}`);
  return found;
}

function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function isScriptName(name: string): name is ScriptName {
  return (SCRIPT_NAMES as readonly string[]).includes(name);
}

/** One script file of the lua/ folder. */
export interface ScriptFile {
  file: string;
  /** The command name: the file's kebab-case name in camelCase. */
  name: string;
  /** Undefined for a variable number of keys. */
  numberOfKeys: number | undefined;
  lua: string;
}

/** Every script file of `dir`, read and named as the store defines them. */
export function readScriptFiles(dir: string = resolveLuaDir()): ScriptFile[] {
  const files: ScriptFile[] = [];
  for (const file of readdirSync(dir)) {
    const match = SCRIPT_FILE.exec(file);
    if (!match) continue;
    const numberOfKeys = match[2] === 'n' ? undefined : Number(match[2]);
    files.push({ file, name: camelCase(match[1]), numberOfKeys, lua: readFileSync(path.join(dir, file), 'utf8') });
  }
  return files;
}

/** The store's scripts, registered on one client. */
export class Scripts {
  /** Key count per script; null for scripts taking a variable number of keys. */
  private readonly keyCounts = new Map<ScriptName, number | null>();
  /** ioredis's own script objects, when they have the shape `send` relies on. */
  private readonly defined = new Map<ScriptName, DefinedScript>();

  constructor(
    private readonly client: Redis,
    dir: string = resolveLuaDir(),
  ) {
    for (const { file, name, numberOfKeys, lua } of readScriptFiles(dir)) {
      if (!isScriptName(name)) throw new Error(`Unknown Lua script ${file}`);
      client.defineCommand(name, { numberOfKeys, lua });
      this.keyCounts.set(name, numberOfKeys ?? null);
      const defined = definedScript(client, name);
      if (defined) this.defined.set(name, defined);
    }
    const missing = SCRIPT_NAMES.filter((name) => !this.keyCounts.has(name));
    if (missing.length > 0) throw new Error(`Lua scripts missing: ${missing.join(', ')}`);
  }

  /** Runs a script; failures come back as AppError, StaleReadError or the client's own error. */
  async run(name: ScriptName, keys: string[], args: (string | number)[]): Promise<unknown> {
    const expected = this.keyCounts.get(name);
    if (expected !== null && expected !== keys.length) {
      throw new Error(`Script ${name} takes ${expected} keys, got ${keys.length}`);
    }
    const defined = this.defined.get(name);
    try {
      if (defined) return await this.send(defined, keys, args);
      // Variadic scripts are defined without numberOfKeys, so ioredis expects the count first.
      return await this.client[name](...(expected === null ? [keys.length] : []), ...keys, ...args);
    } catch (err) {
      throw toStoreError(err);
    }
  }

  /**
   * Sends the script as ioredis's own command would (EVAL on a connection's first use, EVALSHA
   * after, EVAL again after NOSCRIPT), with the argument list built here. The command ioredis's
   * script function builds copies its arguments with `Array.prototype.flat`, which V8 runs
   * element by element on its slow path (about 200 ns an element): with the append batch's eight
   * arguments a message, ioredis's own CPU went from 8.8-9.3 to 5.4-5.7 µs a message
   * (docs/benchmarks.md, findings of the nineteenth session).
   */
  private send(defined: DefinedScript, keys: string[], args: (string | number)[]): Promise<unknown> {
    const argv: string[] = [defined.sha, String(keys.length), ...keys];
    for (const arg of args) argv.push(typeof arg === 'string' ? arg : String(arg));
    const sendOnce = () => {
      const command = new defined.Command('evalsha', [], { replyEncoding: 'utf8' });
      // Its own copy: the command puts the script's text in place of the sha when it sends EVAL.
      command.args = argv.slice();
      return this.client.sendCommand(command) as Promise<unknown>;
    };
    return sendOnce().catch((err: unknown) => {
      if (err instanceof Error && err.message.includes('NOSCRIPT')) return sendOnce();
      throw err;
    });
  }
}

/** What `send` needs of ioredis's Script (an internal: tests/unit/redis-store-scripts.test.ts checks it is used). */
interface DefinedScript {
  sha: string;
  Command: new (name: string, args: string[], options: { replyEncoding: BufferEncoding }) => Command;
}

function definedScript(client: Redis, name: string): DefinedScript | undefined {
  const script = (client as unknown as { scriptsSet?: Record<string, Partial<DefinedScript>> }).scriptsSet?.[name];
  const usable = typeof script?.sha === 'string' && typeof script.Command === 'function' && !client.options.keyPrefix;
  return usable ? (script as DefinedScript) : undefined;
}

const STALE_RETRIES = 5;

/** Runs read-then-script steps again while a script reports that its inputs went stale. */
export async function withFreshRead<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof StaleReadError) || i >= STALE_RETRIES) throw err;
    }
  }
}
