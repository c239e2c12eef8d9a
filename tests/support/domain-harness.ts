/**
 * The domain without sockets, for unit tests: an in-process store (or a wrapped one), a clock the
 * test moves by hand, and a notifier that records what it was asked to send.
 */
import type { VisitorState } from '../../shared/protocol';
import { testConfig } from '../../server/config';
import { createDomain, type Domain } from '../../server/domain';
import type { Notifier } from '../../server/domain/notifier';
import { createLogger } from '../../server/logger';
import { createMetrics, type Metrics } from '../../server/metrics';
import { createMemoryStore, type MemoryStore } from '../../server/store/memory/memory-store';
import type { Store } from '../../server/store/types';

export interface Sent {
  to: string;
  event: string;
  payload: unknown;
}

/** Records every notification; visitors are online only when listed in `online`. */
export class RecordingNotifier implements Notifier {
  readonly sent: Sent[] = [];
  readonly online = new Set<string>();
  /** Answers of visitorOnline to give first, before `online` decides (null: unknown; Error: it fails). */
  readonly onlineAnswers: (boolean | null | Error)[] = [];

  toVisitor(visitorId: string, event: string, ...args: unknown[]): void {
    this.sent.push({ to: `visitor:${visitorId}`, event, payload: args[0] });
  }

  toListener(userId: string, _exceptSocketId: string | null, event: string, ...args: unknown[]): void {
    this.sent.push({ to: `listener:${userId}`, event, payload: args[0] });
  }

  visitorSession(visitorId: string, state: VisitorState): void {
    this.sent.push({ to: `visitor:${visitorId}`, event: 'session', payload: state });
  }

  toSupervisors(event: string, ...args: unknown[]): void {
    this.sent.push({ to: 'supervisors', event, payload: args[0] });
  }

  async visitorOnline(visitorId: string): Promise<boolean | null> {
    const answer = this.onlineAnswers.shift();
    if (answer instanceof Error) throw answer;
    return answer === undefined ? this.online.has(visitorId) : answer;
  }

  /** Payloads of `event` sent to `to`. */
  of(to: string, event: string): unknown[] {
    return this.sent.filter((s) => s.to === to && s.event === event).map((s) => s.payload);
  }
}

export interface DomainHarness {
  domain: Domain;
  memory: MemoryStore;
  notifier: RecordingNotifier;
  metrics: Metrics;
  clock: { now: number };
  close(): Promise<void>;
}

/** A domain on a fresh in-process store; `wrap` may replace store methods (to make them fail). */
export function buildDomain(options: { env?: Record<string, string>; nodeId?: string; wrap?: (store: Store) => Store } = {}): DomainHarness {
  const memory = createMemoryStore();
  const store = options.wrap ? options.wrap(memory) : memory;
  const clock = { now: Date.now() };
  const notifier = new RecordingNotifier();
  const metrics = createMetrics(async () => ({ queueByLanguage: {}, activeConversations: 0, listenersByStatus: { available: 0, away: 0, offline: 0 } }));
  const ctx = {
    store,
    nodeId: options.nodeId ?? 'node-test',
    config: testConfig(options.env),
    notifier,
    clock: () => clock.now,
    logger: createLogger('silent'),
    metrics,
  };
  const domain = createDomain(ctx, () => true);
  return { domain, memory, notifier, metrics, clock, close: () => memory.close() };
}

/** How many waits the histogram has observed. */
export async function observedWaits(metrics: Metrics): Promise<number> {
  const { values } = await metrics.waitSeconds.get();
  return values.filter((v) => v.metricName === 'ps_wait_seconds_count').reduce((sum, v) => sum + v.value, 0);
}
