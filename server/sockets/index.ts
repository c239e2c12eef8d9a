/** Builds the Socket.IO server: origin check, payload size, adapter, the three namespaces, the ticker. */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { Config } from '../config';
import type { SocketDeps } from './deps';
import { listenerNamespace } from './listener';
import { supervisorNamespace } from './supervisor';
import { visitorNamespace } from './visitor';

/** UTF-8 takes at most 3 bytes per UTF-16 unit; raw text may be 4x the limit before trimming. */
export function maxPacketBytes(config: Pick<Config, 'MAX_MESSAGE_LENGTH'>): number {
  return config.MAX_MESSAGE_LENGTH * 4 * 3 + 4096;
}

/** Refuses (403) any handshake, polling or websocket, whose Origin is present and not allowed. */
export function originAllowed(config: Pick<Config, 'allowedOrigins'>) {
  const allowed = new Set(config.allowedOrigins);
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) callback('origin not allowed', false);
    else callback(null, true);
  };
}

export function createSocketServer(httpServer: HttpServer, config: Config, adapter?: ServerOptions['adapter']): Server {
  return new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: maxPacketBytes(config),
    allowRequest: originAllowed(config),
    cors: { origin: config.allowedOrigins, credentials: true },
    perMessageDeflate: false,
    httpCompression: false,
    ...(adapter ? { adapter } : {}),
  });
}

/** Registers the namespaces on an existing server. */
export function attachNamespaces(io: Server, deps: SocketDeps): void {
  visitorNamespace(io.of('/visitor'), deps);
  listenerNamespace(io.of('/listener'), deps);
  supervisorNamespace(io.of('/supervisor'), deps);
}
