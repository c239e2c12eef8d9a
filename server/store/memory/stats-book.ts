/** Anonymous statistics: today's counters per calendar day and the recent waits (no text, ever). */
import type { DayStats, StatsSample } from '../types';
import { SortedList } from './sorted-list';

/** Days kept, as Redis keeps a day's statistics about 8 days: "today" and the recent days only. */
const KEEP_DAYS = 8;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Recent waits older than this (relative to the newest) are dropped, as on Redis: `recentWaits` looks back at most a day. */
const RECENT_WAIT_KEEP_MS = 24 * 60 * 60 * 1000;

interface RecentWait {
  at: number;
  seconds: number;
  seq: number;
}

/** A search key for the samples list, which is ordered by time alone. */
function sampleProbe(at: number): StatsSample {
  return { at, waiting: 0, urgent: 0, oldestWaitSeconds: 0, medianWaitSeconds15m: 0, active: 0, available: 0 };
}

export class StatsBook {
  private readonly days = new Map<string, DayStats>();
  private readonly recent = new SortedList<RecentWait>((a, b) => a.at - b.at || a.seq - b.seq);
  private nextSeq = 0;
  private readonly samples = new SortedList<StatsSample>((a, b) => a.at - b.at);

  /** The live counters of a day, created at zero. */
  day(day: string): DayStats {
    let stats = this.days.get(day);
    if (!stats) {
      stats = { started: 0, answered: 0, abandoned: 0, waits: [], durations: [] };
      this.days.set(day, stats);
      this.pruneDays(day);
    }
    return stats;
  }

  /** A copy of a day's counters (zeros for a day with none). */
  snapshot(day: string): DayStats {
    const stats = this.days.get(day);
    if (!stats) return { started: 0, answered: 0, abandoned: 0, waits: [], durations: [] };
    return { ...stats, waits: [...stats.waits], durations: [...stats.durations] };
  }

  /** Counts an answered conversation and its wait, for the day and the recent list. */
  answered(day: string, at: number, waitSeconds: number): void {
    const stats = this.day(day);
    stats.answered += 1;
    stats.waits.push(waitSeconds);
    this.recent.insert({ at, seconds: waitSeconds, seq: this.nextSeq++ });
    this.prune(at - RECENT_WAIT_KEEP_MS);
  }

  /** Waits of conversations answered at or after `since`. */
  recentWaits(since: number): number[] {
    const start = this.recent.lowerBound({ at: since, seconds: 0, seq: -1 });
    return this.recent.slice(start).map((w) => w.seconds);
  }

  /** Keeps a history sample (a copy) and drops those older than keepMs before it. */
  addSample(sample: StatsSample, keepMs: number): void {
    this.samples.insert({ ...sample });
    const stale = this.samples.lowerBound(sampleProbe(sample.at - keepMs));
    if (stale > 0) this.samples.shift(stale);
  }

  /** Copies of the history samples taken at or after `since`, oldest first. */
  samplesSince(since: number): StatsSample[] {
    const start = this.samples.lowerBound(sampleProbe(since));
    return this.samples.slice(start).map((sample) => ({ ...sample }));
  }

  /** Drops the days more than KEEP_DAYS before `today` (YYYY-MM-DD strings sort as dates). */
  private pruneDays(today: string): void {
    const start = Date.parse(`${today}T00:00:00Z`);
    if (Number.isNaN(start)) return;
    const oldest = new Date(start - KEEP_DAYS * DAY_MS).toISOString().slice(0, 10);
    for (const day of this.days.keys()) if (day < oldest) this.days.delete(day);
  }

  private prune(before: number): void {
    const stale = this.recent.lowerBound({ at: before, seconds: 0, seq: -1 });
    if (stale > 0) this.recent.shift(stale);
  }
}
