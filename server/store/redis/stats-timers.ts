/** Statistics and cluster-wide timers on Redis: counts and seconds only, never message text. */
import type { ClaimedTimer, DayStats, StatsSample } from '../types';
import { asHash, type Hash } from './codec';
import { execPipeline, type RedisContext } from './context';

export class RedisStatsTimers {
  constructor(private readonly ctx: RedisContext) {}

  /** Today's (or any kept day's) counters, waits and durations. */
  async dayStats(day: string): Promise<DayStats> {
    const { client, keys } = this.ctx;
    const [counters, waits, durations] = await execPipeline(
      client
        .pipeline()
        .hgetall(keys.dayCounters(day))
        .lrange(keys.dayWaits(day), 0, -1)
        .lrange(keys.dayDurations(day), 0, -1),
    );
    const c: Hash = asHash(counters);
    return {
      started: Number(c.started ?? 0),
      answered: Number(c.answered ?? 0),
      abandoned: Number(c.abandoned ?? 0),
      waits: numbers(waits),
      durations: numbers(durations),
    };
  }

  /** Waits (seconds) of conversations answered since `since` (at most a day back). */
  async recentWaits(since: number): Promise<number[]> {
    const members = await this.ctx.client.zrangebyscore(this.ctx.keys.recentWaits, since, '+inf');
    // Members are `<conversation id>:<wait>`: unique per conversation, the wait after the last ':'.
    return members.map((member) => Number(member.slice(member.lastIndexOf(':') + 1)));
  }

  /** Adds a history sample and trims, in one transaction, those older than keepSeconds before it. */
  async appendStatsSample(sample: StatsSample, keepSeconds: number): Promise<void> {
    const { client, keys } = this.ctx;
    const keepMs = Math.round(keepSeconds * 1000);
    await execPipeline(
      client
        .multi()
        .zadd(keys.statsSamples, sample.at, encodeSample(sample))
        .zremrangebyscore(keys.statsSamples, '-inf', `(${sample.at - keepMs}`)
        // A deployment that stops sampling does not leave its history behind for ever.
        .pexpire(keys.statsSamples, keepMs),
    );
  }

  /** History samples taken at or after `since`, oldest first. */
  async statsSamples(since: number): Promise<StatsSample[]> {
    const members = await this.ctx.client.zrangebyscore(this.ctx.keys.statsSamples, since, '+inf');
    return members.flatMap((member) => decodeSample(member) ?? []);
  }

  /** Schedules (or moves) a timer; the earliest claimDueTimers after dueAt gets it. */
  async scheduleTimer(key: string, dueAt: number): Promise<void> {
    await this.ctx.client.zadd(this.ctx.keys.timers, dueAt, key);
  }

  /** Drops a timer; unknown keys are ignored. */
  async cancelTimer(key: string): Promise<void> {
    await this.ctx.client.zrem(this.ctx.keys.timers, key);
  }

  /** Leases due timers atomically until now + leaseMs, so each goes to one caller at a time. */
  async claimDueTimers(now: number, limit: number, leaseMs: number): Promise<ClaimedTimer[]> {
    if (limit <= 0) return [];
    const leaseUntil = now + Math.max(1, Math.round(leaseMs));
    const reply = await this.ctx.scripts.run('claimDueTimers', [this.ctx.keys.timers], [now, Math.floor(limit), leaseUntil]);
    return Array.isArray(reply) ? reply.map((key) => ({ key: String(key), leaseUntil })) : [];
  }

  /** Removes a handled timer unless it was rescheduled since its claim. */
  async completeTimer(key: string, leaseUntil: number): Promise<void> {
    await this.ctx.scripts.run('completeTimer', [this.ctx.keys.timers], [key, leaseUntil]);
  }

  /** True for the first caller within ttlSeconds. */
  async acquireOnce(key: string, ttlSeconds: number): Promise<boolean> {
    const ttlMs = Math.max(1, Math.round(ttlSeconds * 1000));
    return (await this.ctx.client.set(this.ctx.keys.once(key), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }
}

const SAMPLE_FIELDS = ['at', 'waiting', 'urgent', 'oldestWaitSeconds', 'medianWaitSeconds15m', 'active', 'available'] as const;

/** `at:waiting:urgent:oldest:median:active:available`; the time first keeps members unique. */
function encodeSample(sample: StatsSample): string {
  return SAMPLE_FIELDS.map((field) => sample[field]).join(':');
}

/** The sample a member encodes, or null for anything malformed (skipped, never thrown). */
function decodeSample(member: string): StatsSample | null {
  const values = member.split(':').map(Number);
  if (values.length !== SAMPLE_FIELDS.length || !values.every(Number.isFinite)) return null;
  const [at, waiting, urgent, oldestWaitSeconds, medianWaitSeconds15m, active, available] = values;
  return { at, waiting, urgent, oldestWaitSeconds, medianWaitSeconds15m, active, available };
}

function numbers(reply: unknown): number[] {
  return Array.isArray(reply) ? reply.map(Number) : [];
}
