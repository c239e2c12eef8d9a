/**
 * createApp(deps) builds the HTTP server, the Express app and the Socket.IO server around a store,
 * without binding a port: tests start as many instances as they like on port 0.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server as HttpServer } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { schemasFor, type Config } from './config';
import { Accounts } from './domain/accounts';
import { createDomain, type Domain } from './domain';
import type { Clock, DomainContext } from './domain/context';
import { parseOpeningHours } from './domain/opening-hours';
import { createHttpApp } from './http';
import { initAddressKey } from './http/rate-limits';
import { createLogger, errorSummary } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { Inflight } from './sockets/handler';
import { attachNamespaces, closeSocketServer, createSocketServer } from './sockets';
import { createSocketLimits } from './sockets/limits';
import { createRedisAdapter } from './sockets/redis-adapter';
import { Peers } from './sockets/peers';
import { SocketNotifier } from './sockets/notifier';
import { rooms } from './sockets/rooms';
import { SessionGuard } from './sockets/session-guard';
import { Ticker } from './sockets/ticker';
import { coalesceWrites } from './store/redis/coalesce-writes';
import { RedisStore } from './store/redis/redis-store';
import type { Store } from './store/types';

export interface AppDeps {
  config: Config;
  store: Store;
  logger?: Logger;
  clock?: Clock;
  /** This instance's id among the server nodes; random by default (a restarted node is a new one). */
  nodeId?: string;
}

export interface App {
  httpServer: HttpServer;
  express: Express;
  io: Server;
  domain: Domain;
  accounts: Accounts;
  metrics: Metrics;
  /** Whether other nodes share the Redis; null on the in-process store. */
  peers: Peers | null;
  /** Tells clients, closes sockets, waits for handlers, stops timers. Does not close the store. */
  close(): Promise<void>;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const { config, store } = deps;
  const logger = deps.logger ?? createLogger(config.LOG_LEVEL);
  const clock = deps.clock ?? Date.now;
  const nodeId = deps.nodeId ?? randomUUID();
  // Before anything hashes an address: every node must hash with the same key.
  await initAddressKey(store);
  const hours = parseOpeningHours(config.OPENING_HOURS, config.TIMEZONE);
  const schemas = schemasFor(config);
  // Express must be the server's listener before engine.io attaches, so engine.io answers its own
  // path first; Express itself is built below, once the domain exists.
  let handle: RequestListener = (_req, res) => res.writeHead(503).end();
  const httpServer = createServer((req, res) => handle(req, res));
  const redisClients = store instanceof RedisStore ? [store.client.duplicate(), store.client.duplicate()] : [];
  // The publisher's writes of one turn share a system call, as the store's do.
  if (redisClients.length) coalesceWrites(redisClients[0]);
  const io = createSocketServer(httpServer, config, redisClients.length ? createRedisAdapter(redisClients[0], redisClients[1], { key: `${config.REDIS_PREFIX}socket.io`, requestsTimeout: 3000 }, logger.child({ component: 'adapter' })) : undefined);

  const accounts = new Accounts({
    store,
    config,
    logger,
    clock,
    onRevoke: ({ sessionIds }) => {
      for (const sid of sessionIds) {
        io.of('/listener').in(rooms.session(sid)).disconnectSockets(true);
        io.of('/supervisor').in(rooms.session(sid)).disconnectSockets(true);
      }
    },
    // A listener's new languages or capacity may make waiting conversations routable.
    onPresenceChange: () => domain.dispatcher.kick(),
  });
  const peers = redisClients.length ? new Peers(io.of('/visitor'), redisClients[1], logger.child({ component: 'peers' })) : null;
  const notifier = new SocketNotifier(io, peers, logger.child({ component: 'notifier' }));
  // The sampler runs at scrape time, after `domain` below exists.
  const metrics = createMetrics(() => sampleMetrics(domain));
  const ctx: DomainContext = { store, nodeId, config, notifier, clock, logger: logger.child({ component: 'domain' }), metrics };
  const domain = createDomain(ctx, (now) => hours.isOpen(now));

  const express = createHttpApp({
    config, store, logger, accounts, metrics, clock,
    estimateWaits: () => domain.stats.estimateNewcomers(),
    stats: () => domain.stats.snapshot(),
    schemas,
    hours,
  });
  handle = express;

  const inflight = new Inflight();
  const socketDeps = { config, domain, accounts, schemas, limits: createSocketLimits(store, config), metrics, logger: logger.child({ component: 'sockets' }), inflight };
  attachNamespaces(io, socketDeps);
  // Known to the store before the first socket, so a crash of this node is noticed.
  await domain.lifecycle.heartbeat();
  const ticker = new Ticker(io, socketDeps);
  const sessionGuard = new SessionGuard(io, socketDeps);
  ticker.start();
  sessionGuard.start();
  await accounts.announceSetupToken();
  // Every running node must know of this one before its first socket (see Peers).
  await peers?.join();
  peers?.start();

  const app: App = {
    httpServer, express, io, domain, accounts, metrics, peers,
    async close() {
      ticker.stop();
      sessionGuard.stop();
      peers?.stop();
      io.of('/visitor').local.emit('server:shutdown');
      io.of('/listener').local.emit('server:shutdown');
      io.of('/supervisor').local.emit('server:shutdown');
      await closeSocketServer(io);
      await inflight.drain();
      await domain.dispatcher.stop();
      await domain.lifecycle.leave().catch((err: unknown) => logger.warn({ err: errorSummary(err) }, 'leaving the store failed'));
      await Promise.all(redisClients.map((c) => c.quit().catch(() => undefined)));
    },
  };
  return app;
}

async function sampleMetrics(domain: Domain) {
  const { store } = domain.ctx;
  const [summary, active, presences] = await Promise.all([domain.stats.queueSummary(), store.activeCount(), store.listPresence()]);
  const listenersByStatus = { available: 0, away: 0, offline: 0 };
  for (const p of presences) listenersByStatus[p.connections > 0 ? p.status : 'offline'] += 1;
  return { queueByLanguage: summary.byLanguage, activeConversations: active, listenersByStatus };
}
