/**
 * The harness side of the load generators: forks them, sends one command to all at once and
 * gathers their replies. Work is split evenly; each generator owns one language (see types.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { track, stopChild } from './procs';
import { isGenReply, type GenCommand, type GenConfig, type GenHealth, type GenReply, type GenResultBody } from './types';

const LANGUAGES = ['en', 'fr', 'nl'];
/** Source addresses spread over 127.0.0.0/8: each has its own ephemeral port range. */
const LOCAL_ADDRESSES = Array.from({ length: 16 }, (_, i) => `127.0.0.${i + 1}`);
const TEXT = 'Hello, I would like to talk about something that has been bothering me at school lately.';
const COMMAND_TIMEOUT_MS = 15 * 60_000;

export interface GenOutcome<T extends GenResultBody> {
  bodies: T[];
  health: GenHealth[];
}

class Generator {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: GenReply) => void>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (msg: unknown) => {
      if (!isGenReply(msg)) return;
      this.waiting.get(msg.id)?.(msg);
      this.waiting.delete(msg.id);
    });
    child.once('exit', (code) => {
      for (const [id, resolve] of this.waiting) {
        resolve({ id, ok: false, error: `generator exited (${code})`, health: { cpuPct: 0, eldP99Ms: 0, eldMaxMs: 0, rssMb: 0 } });
      }
      this.waiting.clear();
    });
  }

  request(cmd: GenCommand): Promise<GenReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`generator command ${cmd.kind} timed out`)), COMMAND_TIMEOUT_MS);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.child.send({ ...cmd, id });
    });
  }
}

export class GeneratorSet {
  private constructor(private readonly gens: Generator[]) {}

  /**
   * Forks `count` generators (at most one per language) aimed at `url`, with `nodeFlags`: the
   * servers' own (`npm start`), so the process that times every message collects its garbage as
   * they do. With V8's defaults it scavenged twice as often, and its pauses reached every arm's
   * p99 alike (docs/benchmarks.md, tenth session). `--expose-gc` lets each collect its garbage
   * before a traffic window (load-client.ts).
   */
  static async start(entry: string, count: number, url: string, origin: string, nodeFlags: string[]): Promise<GeneratorSet> {
    if (count < 1 || count > LANGUAGES.length) throw new Error(`generators must be 1..${LANGUAGES.length}`);
    const gens = Array.from({ length: count }, () => {
      const child = fork(entry, [], { serialization: 'advanced', execArgv: ['--max-old-space-size=4096', '--expose-gc', ...nodeFlags], stdio: 'inherit' });
      return new Generator(track(child));
    });
    const set = new GeneratorSet(gens);
    await set.all((i): GenCommand => {
      const config: GenConfig = { index: i, url, origin, language: LANGUAGES[i], localAddresses: LOCAL_ADDRESSES, text: TEXT };
      return { kind: 'init', config };
    });
    return set;
  }

  get size(): number {
    return this.gens.length;
  }

  /** The language generator `i` uses (its listener accounts must speak it). */
  static language(i: number): string {
    return LANGUAGES[i];
  }

  /** Sends each generator its command and waits for all; throws if any failed. */
  async all<T extends GenResultBody>(commandFor: (i: number) => GenCommand): Promise<GenOutcome<T>> {
    const replies = await Promise.all(this.gens.map((g, i) => g.request(commandFor(i))));
    const failed = replies.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(`generator failed: ${failed.error}`);
    return { bodies: replies.map((r) => (r.ok ? r.body : {}) as T), health: replies.map((r) => r.health) };
  }

  /** Splits `total` into per-generator shares that add up exactly. */
  share(total: number, i: number): number {
    const n = this.gens.length;
    return Math.floor(total / n) + (i < total % n ? 1 : 0);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.gens.map(async (g) => {
        let timer: NodeJS.Timeout | undefined;
        const giveUp = new Promise((r) => (timer = setTimeout(r, 5_000)));
        await Promise.race([g.request({ kind: 'close' }).catch(() => undefined), giveUp]);
        clearTimeout(timer);
        await stopChild(g.child, 2_000);
      }),
    );
  }
}

/** The worst generator health of a command: a run is only as valid as its busiest generator. */
export function worstHealth(health: GenHealth[]): GenHealth {
  return health.reduce(
    (a, h) => ({ cpuPct: Math.max(a.cpuPct, h.cpuPct), eldP99Ms: Math.max(a.eldP99Ms, h.eldP99Ms), eldMaxMs: Math.max(a.eldMaxMs, h.eldMaxMs), rssMb: Math.max(a.rssMb, h.rssMb) }),
    { cpuPct: 0, eldP99Ms: 0, eldMaxMs: 0, rssMb: 0 },
  );
}
