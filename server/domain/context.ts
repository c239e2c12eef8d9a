/** What every domain module needs: the store, settings, a way to reach people, a clock, a logger. */
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Metrics } from '../metrics';
import type { Store } from '../store/types';
import type { Notifier } from './notifier';

export type Clock = () => number;

export interface DomainContext {
  store: Store;
  /** This app instance's random id: the store counts its sockets per node, to uncount them if it dies. */
  nodeId: string;
  config: Config;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of `now` in the service's time zone: "today" in statistics. */
export function dayOf(now: number, timeZone: string): string {
  let fmt = dayFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, fmt);
  }
  return fmt.format(now);
}

export { iso, secondsBetween } from '../time';

/** When a conversation that joins the queue at `now` alerts supervisors if nobody has answered it yet. */
export function longWaitAt(config: Pick<Config, 'LONG_WAIT_ALERT_SECONDS'>, now: number): number {
  return now + config.LONG_WAIT_ALERT_SECONDS * 1000;
}

/** The time fields an end of conversation carries: now, today, and how long its transcript stays. */
export function endTimes(ctx: Pick<DomainContext, 'clock' | 'config'>): { now: number; day: string; retentionSeconds: number } {
  const now = ctx.clock();
  return { now, day: dayOf(now, ctx.config.TIMEZONE), retentionSeconds: Math.round(ctx.config.TRANSCRIPT_RETENTION_HOURS * 3600) };
}
