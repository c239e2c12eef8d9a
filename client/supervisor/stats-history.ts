/**
 * The last hour of the `stats` stream, kept in memory for the charts: one sample per 10-second
 * bucket (the latest wins), so an hour is at most 360 points whatever the stream's rate. The
 * server's recorded history (GET /api/stats/history) is put before it, so the charts start full.
 */
import type { StatsHistorySample, StatsSnapshot } from '../../shared/protocol';

export interface Sample {
  at: number;
  waiting: number;
  longestWaitSeconds: number;
  medianWaitSeconds: number;
}

const BUCKET_MS = 10_000;
export const WINDOW_MS = 60 * 60 * 1000;

export class StatsHistory {
  private samples: Sample[] = [];

  add(snapshot: StatsSnapshot, receivedAt = Date.now()): void {
    const parsed = Date.parse(snapshot.at);
    const at = Number.isNaN(parsed) ? receivedAt : parsed;
    const sample: Sample = {
      at,
      waiting: snapshot.queue.waiting,
      longestWaitSeconds: snapshot.queue.oldestWaitSeconds,
      medianWaitSeconds: snapshot.queue.medianWaitSeconds15m,
    };
    const last = this.samples[this.samples.length - 1];
    if (last && Math.floor(last.at / BUCKET_MS) === Math.floor(at / BUCKET_MS)) this.samples[this.samples.length - 1] = sample;
    else this.samples.push(sample);
    this.trim(at);
  }

  /** Puts the server's samples first, leaving out those from the time the stream already covers. */
  seed(points: readonly StatsHistorySample[], now = Date.now()): void {
    const firstLive = this.samples[0]?.at ?? Infinity;
    const older = points.flatMap((point) => {
      const at = Date.parse(point.at);
      if (Number.isNaN(at) || at >= firstLive) return [];
      return [{ at, waiting: point.waiting, longestWaitSeconds: point.oldestWaitSeconds, medianWaitSeconds: point.medianWaitSeconds15m }];
    });
    this.samples = [...older, ...this.samples];
    this.trim(now);
  }

  /** Samples of the last hour, plus the latest value carried to `now` so the line reaches the present. */
  window(now = Date.now()): Sample[] {
    this.trim(now);
    const last = this.samples[this.samples.length - 1];
    return last && last.at < now ? [...this.samples, { ...last, at: now }] : [...this.samples];
  }

  private trim(now: number): void {
    const from = now - WINDOW_MS;
    while (this.samples.length > 0 && this.samples[0].at < from) this.samples.shift();
  }
}
