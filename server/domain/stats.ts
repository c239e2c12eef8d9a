/** Queue summaries, wait estimates and the supervisors' statistics, computed from the store. */
import { QUEUE_LIST_LIMIT, type QueueItem, type QueueSummary, type StatsSnapshot } from '../../shared/protocol';
import type { ConversationRecord, PresenceRecord, StatsSample } from '../store/types';
import { dayOf, iso, secondsBetween, type DomainContext } from './context';
import { estimateWait, waitModel, type WaitModel } from './eta';

/** Enough to see any realistic queue whole; the store caps its own reads too. */
const QUEUE_READ_LIMIT = 5000;
const MODEL_TTL_MS = 1000;
const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;
/** Under the ticker's 30 s sampling period, so each period's first node wins and the others skip. */
const SAMPLE_GUARD_SECONDS = 25;
/** The dashboard asks for at most 120 minutes of history. */
const SAMPLE_KEEP_SECONDS = 3600 * 2;

/** Median of a list of numbers (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** Counts waiting conversations per language, urgent ones, the oldest wait, and lists the first ones. */
export function summarise(queued: readonly ConversationRecord[], languages: readonly string[], now: number): QueueSummary {
  const byLanguage: Record<string, number> = Object.fromEntries(languages.map((l) => [l, 0]));
  let urgent = 0;
  let oldest = now;
  for (const c of queued) {
    byLanguage[c.language] = (byLanguage[c.language] ?? 0) + 1;
    if (c.urgent) urgent += 1;
    oldest = Math.min(oldest, c.startedAt);
  }
  const list = queued.slice(0, QUEUE_LIST_LIMIT).map((c) => {
    const item: QueueItem = { conversationId: c.id, language: c.language, urgent: c.urgent, waitedSeconds: secondsBetween(c.startedAt, now) };
    if (c.topic) item.topic = c.topic;
    return item;
  });
  return { waiting: queued.length, urgent, byLanguage, oldestWaitSeconds: secondsBetween(oldest, now), list };
}

export class StatsService {
  private model: { value: WaitModel; at: number } | null = null;
  private refreshing: Promise<WaitModel> | null = null;

  constructor(private readonly ctx: DomainContext) {}

  /**
   * The capacity picture used for estimates, refreshed at most once a second. Callers that find it
   * stale share one refresh: it reads every listener's presence, and a burst of chat starts each
   * reading them all piled up thousands of reads on a node with many listeners (docs/benchmarks.md).
   */
  async waitModel(): Promise<WaitModel> {
    const now = this.ctx.clock();
    if (this.model && now - this.model.at < MODEL_TTL_MS) return this.model.value;
    this.refreshing ??= this.readModel(now).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async readModel(now: number): Promise<WaitModel> {
    const [presences, today] = await Promise.all([this.ctx.store.listPresence(), this.ctx.store.dayStats(this.today())]);
    const value = waitModel(this.ctx.config.LANGUAGES, presences, median(today.durations));
    this.model = { value, at: now };
    return value;
  }

  /** Seconds a visitor at `position` in `language` may expect to wait. */
  async estimate(language: string, position: number): Promise<number> {
    return estimateWait(await this.waitModel(), language, position);
  }

  /** What a newcomer in each language may expect (for /api/status). */
  async estimateNewcomers(): Promise<Record<string, number>> {
    const [model, queue] = await Promise.all([this.waitModel(), this.queueSummary()]);
    return Object.fromEntries(this.ctx.config.LANGUAGES.map((l) => [l, estimateWait(model, l, (queue.byLanguage[l] ?? 0) + 1)]));
  }

  async queueSummary(): Promise<QueueSummary> {
    const queued = await this.ctx.store.queuedConversations(null, QUEUE_READ_LIMIT);
    return summarise(queued, this.ctx.config.LANGUAGES, this.ctx.clock());
  }

  /** The supervisors' snapshot. */
  async snapshot(): Promise<StatsSnapshot> {
    const { store } = this.ctx;
    const now = this.ctx.clock();
    const [queued, presences, active, flagged, today, recent] = await Promise.all([
      store.queuedConversations(null, QUEUE_READ_LIMIT),
      store.listPresence(),
      store.activeCount(),
      store.flaggedConversations(),
      store.dayStats(this.today()),
      store.recentWaits(now - FIFTEEN_MINUTES_MS),
    ]);
    return {
      at: iso(now),
      queue: { ...summarise(queued, this.ctx.config.LANGUAGES, now), medianWaitSeconds15m: median(recent) },
      listeners: listenerStats(presences),
      conversations: {
        active,
        flagged: flagged.map((c) => ({
          conversationId: c.id,
          listenerId: c.listenerId ?? '',
          level: c.flag ?? 'support',
          since: iso(c.flaggedAt ?? now),
        })),
      },
      today: {
        started: today.started,
        answered: today.answered,
        abandoned: today.abandoned,
        medianWaitSeconds: median(today.waits),
        medianDurationSeconds: median(today.durations),
      },
    };
  }

  /**
   * Appends a history sample unless another node did within the period; `known` (a snapshot this
   * node just computed) saves reading the store again. True when this call recorded one.
   */
  async recordSample(known?: StatsSnapshot | null): Promise<boolean> {
    if (!(await this.ctx.store.acquireOnce('stats-sample', SAMPLE_GUARD_SECONDS))) return false;
    const sample = known ? sampleOf(known) : await this.currentSample();
    await this.ctx.store.appendStatsSample(sample, SAMPLE_KEEP_SECONDS);
    return true;
  }

  /** A sample read without what only the full snapshot needs (flags, today's lists). */
  private async currentSample(): Promise<StatsSample> {
    const { store } = this.ctx;
    const now = this.ctx.clock();
    const [queue, presences, active, recent] = await Promise.all([
      this.queueSummary(),
      store.listPresence(),
      store.activeCount(),
      store.recentWaits(now - FIFTEEN_MINUTES_MS),
    ]);
    const { waiting, urgent, oldestWaitSeconds } = queue;
    return { at: now, waiting, urgent, oldestWaitSeconds, medianWaitSeconds15m: median(recent), active, available: listenerStats(presences).available };
  }

  today(): string {
    return dayOf(this.ctx.clock(), this.ctx.config.TIMEZONE);
  }
}

/** The figures of a snapshot that the history charts keep. */
export function sampleOf(snapshot: StatsSnapshot): StatsSample {
  const { queue } = snapshot;
  return {
    at: Date.parse(snapshot.at),
    waiting: queue.waiting,
    urgent: queue.urgent,
    oldestWaitSeconds: queue.oldestWaitSeconds,
    medianWaitSeconds15m: queue.medianWaitSeconds15m,
    active: snapshot.conversations.active,
    available: snapshot.listeners.available,
  };
}

function listenerStats(presences: readonly PresenceRecord[]): StatsSnapshot['listeners'] {
  const list = presences.map((p) => ({
    id: p.userId,
    displayName: p.displayName,
    status: p.connections > 0 ? p.status : ('offline' as const),
    activeConversations: p.load,
    maxConcurrent: p.maxConcurrent,
    languages: [...p.languages],
  }));
  const online = list.filter((l) => l.status !== 'offline');
  return {
    online: online.length,
    available: online.filter((l) => l.status === 'available').length,
    away: online.filter((l) => l.status === 'away').length,
    atCapacity: online.filter((l) => l.activeConversations >= l.maxConcurrent).length,
    list,
  };
}
