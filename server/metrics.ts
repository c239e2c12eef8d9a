/**
 * Prometheus metrics of one app instance (its own registry, so tests can run several apps).
 * Gauges that describe shared state are sampled from the store when scraped; nothing here
 * carries text or identities.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsSample {
  queueByLanguage: Record<string, number>;
  activeConversations: number;
  listenersByStatus: Record<'available' | 'away' | 'offline', number>;
}

/** Who sent a relayed message. */
export type RelayedFrom = 'visitor' | 'listener';

export interface Metrics {
  registry: Registry;
  waitSeconds: Histogram<'language'>;
  /**
   * Relayed messages by sender: plain tallies, added to `ps_messages_relayed_total` when scraped.
   * Every message counts here, and a labelled `inc` hashes its labels each time (about 1% of the
   * server's CPU per message in a profile).
   */
  messagesRelayed: Record<RelayedFrom, number>;
  socketConnections: Gauge<'namespace'>;
}

/** Builds the registry; `sample` is called once per scrape for the shared-state gauges. */
export function createMetrics(sample: () => Promise<MetricsSample>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  let pending: Promise<MetricsSample> | null = null;
  // One store read per scrape, shared by the three gauges below.
  const read = () => (pending ??= sample().finally(() => setTimeout(() => (pending = null), 0)));

  new Gauge({
    name: 'ps_queue_length',
    help: 'Conversations waiting, per language',
    labelNames: ['language'],
    registers: [registry],
    async collect() {
      const s = await read();
      this.reset();
      for (const [language, n] of Object.entries(s.queueByLanguage)) this.set({ language }, n);
    },
  });
  new Gauge({
    name: 'ps_active_conversations',
    help: 'Conversations with a listener',
    registers: [registry],
    async collect() {
      this.set((await read()).activeConversations);
    },
  });
  new Gauge({
    name: 'ps_listeners',
    help: 'Listeners by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const s = await read();
      for (const [status, n] of Object.entries(s.listenersByStatus)) this.set({ status }, n);
    },
  });

  const messagesRelayed: Record<RelayedFrom, number> = { visitor: 0, listener: 0 };
  new Counter({
    name: 'ps_messages_relayed_total',
    help: 'Messages accepted and relayed, by sender',
    labelNames: ['from'],
    registers: [registry],
    collect() {
      // The tallies are the totals: the counter shows them as they are at each scrape.
      this.reset();
      for (const from of ['visitor', 'listener'] as const) this.inc({ from }, messagesRelayed[from]);
    },
  });

  return {
    registry,
    waitSeconds: new Histogram({
      name: 'ps_wait_seconds',
      help: 'Time visitors waited before a listener answered',
      labelNames: ['language'],
      buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600],
      registers: [registry],
    }),
    messagesRelayed,
    socketConnections: new Gauge({
      name: 'ps_socket_connections',
      help: 'Open Socket.IO connections on this node, by namespace',
      labelNames: ['namespace'],
      registers: [registry],
    }),
  };
}
