/**
 * rate-limiter-flexible's in-memory limiter without its timers. Its storage arms one `setTimeout`
 * per key per window to forget the key: a timer for every visitor and listener that sends, about
 * 20,000 at 18,000 conversations. This storage keeps each key's expiry instead, treats an expired
 * key as absent, and forgets expired keys in one pass at most once a sweep interval, during a
 * write (so an idle limiter costs nothing and a busy one a pass over its keys every so often).
 *
 * It replaces the limiter's storage object, which is internal to the library (pinned to an exact
 * version; `tests/unit/memory-limiter.test.ts` checks the limiter's behaviour through its public
 * methods, so a release that changes the storage contract fails there).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

type LimiterOptions = ConstructorParameters<typeof RateLimiterMemory>[0];

interface Entry {
  value: number;
  /** Epoch ms; null: never expires (a duration of 0). */
  expiresAt: number | null;
}

/** A live key's count, as the library's storage answers it (-1 ms left: it never expires). */
function current(entry: Entry, now: number): RateLimiterRes {
  return new RateLimiterRes(0, entry.expiresAt === null ? -1 : entry.expiresAt - now, entry.value, false);
}

/** How often, at most, a write also forgets the expired keys. */
const SWEEP_EVERY_MS = 10_000;

/** The storage contract RateLimiterMemory uses: incrby, set, get, delete, `_storage` (dump) and `_restoreRecord` (restore). */
class ExpiringCounters {
  readonly _storage = new Map<string, Entry>();
  private nextSweepAt = 0;

  constructor(private readonly clock: () => number) {}

  incrby(key: string, value: number, durationSec: number): RateLimiterRes {
    const now = this.clock();
    const entry = this.live(key, now);
    if (!entry) return this.set(key, value, durationSec);
    entry.value += value;
    return current(entry, now);
  }

  /** Adds `value` to the key's count, starting a window of `durationSec` if it has none: the entry. */
  add(key: string, value: number, durationSec: number, now: number): Entry {
    const entry = this.live(key, now);
    if (!entry) return this.start(key, value, durationSec, now);
    entry.value += value;
    return entry;
  }

  set(key: string, value: number, durationSec: number): RateLimiterRes {
    const now = this.clock();
    this.start(key, value, durationSec, now);
    const durationMs = durationSec * 1000;
    return new RateLimiterRes(0, durationMs > 0 ? durationMs : -1, value, true);
  }

  private start(key: string, value: number, durationSec: number, now: number): Entry {
    this.sweep(now);
    const durationMs = durationSec * 1000;
    const entry: Entry = { value, expiresAt: durationMs > 0 ? now + durationMs : null };
    this._storage.set(key, entry);
    return entry;
  }

  get(key: string): RateLimiterRes | null {
    const now = this.clock();
    const entry = this.live(key, now);
    return entry ? current(entry, now) : null;
  }

  delete(key: string): boolean {
    return this._storage.delete(key);
  }

  _restoreRecord(key: string, value: number, expiresAt: number | null): void {
    if (expiresAt !== null && (!Number.isFinite(expiresAt) || expiresAt <= this.clock())) return;
    this._storage.set(key, { value, expiresAt });
  }

  /** How many keys are held, expired or not (for tests). */
  get size(): number {
    return this._storage.size;
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this._storage.get(key);
    return entry && (entry.expiresAt === null || entry.expiresAt > now) ? entry : undefined;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    for (const [key, entry] of this._storage) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) this._storage.delete(key);
    }
  }
}

/** A RateLimiterMemory that arms no timer per key. `clock` is for tests. */
export class TimerFreeRateLimiter extends RateLimiterMemory {
  private readonly counters: ExpiringCounters;

  constructor(
    opts: LimiterOptions,
    private readonly clock: () => number = Date.now,
  ) {
    super(opts);
    this.counters = new ExpiringCounters(clock);
    Object.assign(this, { _memoryStorage: this.counters });
  }

  /**
   * The key as given, without the library's `${keyPrefix}:` in front: the prefix keeps limiters
   * apart in a shared store, and this storage belongs to one limiter. The counting paths run on
   * every message, and a prefixed key is a new string to build and hash on each lookup.
   */
  override getKey(key: string | number): string {
    return String(key);
  }

  override parseKey(rlKey: string): string {
    return rlKey;
  }

  /**
   * `consume(key, points)` at once, without a promise or an answer object, for the paths that
   * count every message: 0 when the points were within the limit, otherwise the ms until the
   * window ends (1 for a window that never ends: `RateLimitedError.after` makes either 1 s).
   * Same key, count and window as `consume`. Only `consume` applies `blockDuration` and
   * `execEvenly`, so `take` refuses to count for a limiter that has either.
   */
  take(key: string, points = 1): number {
    if (this.blockDuration > 0 || this.execEvenly) throw new Error('take() ignores blockDuration and execEvenly: use consume()');
    const now = this.clock();
    const entry = this.counters.add(this.getKey(key), points, this.duration, now);
    if (entry.value <= this.points) return 0;
    return entry.expiresAt === null ? 1 : entry.expiresAt - now;
  }

  /** Keys held, including expired ones not yet swept. */
  get keyCount(): number {
    return this.counters.size;
  }
}
