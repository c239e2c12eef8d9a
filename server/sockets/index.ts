/** Builds the Socket.IO server: origin check, payload size, adapter, one write a burst per client, the three namespaces, the ticker. */
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server, type ServerOptions } from 'socket.io';
import type { Config } from '../config';
import { coalesceFrames } from './coalesce-frames';
import type { SocketDeps } from './deps';
import { listenerNamespace } from './listener';
import { supervisorNamespace } from './supervisor';
import { visitorNamespace } from './visitor';

/**
 * Room for the longest message: up to 6 bytes a character (UTF-8 or a JSON escape), twice over for
 * whitespace that trimming removes, plus the envelope. Larger packets close the socket.
 */
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

/**
 * engine.io refuses a websocket upgrade with 400 whatever the reason; a foreign Origin gets 403
 * here first, as a polling handshake does. The other upgrade listeners see allowed requests only.
 */
function refuseForeignUpgrades(httpServer: HttpServer, config: Pick<Config, 'allowedOrigins'>): void {
  const allowed = originAllowed(config);
  const listeners = httpServer.listeners('upgrade');
  httpServer.removeAllListeners('upgrade');
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    allowed(req, (_err, ok) => {
      if (ok) {
        for (const listener of listeners) listener.call(httpServer, req, socket, head);
        return;
      }
      // A raw socket without an error listener would crash the process on a reset.
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
  });
}

export function createSocketServer(httpServer: HttpServer, config: Config, adapter?: ServerOptions['adapter']): Server {
  const io = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: maxPacketBytes(config),
    allowRequest: originAllowed(config),
    cors: { origin: config.allowedOrigins, credentials: true },
    perMessageDeflate: false,
    httpCompression: false,
    ...(adapter ? { adapter } : {}),
  });
  io.engine.on('connection', coalesceFrames);
  refuseForeignUpgrades(httpServer, config);
  return io;
}

/**
 * Closes the server and every socket, with nothing left waiting. engine.io delivers a server-side
 * close to a long-polling client on that client's next poll, and waits up to 30 s for it
 * (`Polling#doClose`); `io.close()` cannot cut the wait short, and its timer held a closed app's
 * process alive (a jest worker past its grace period). The server is gone, so no poll will come:
 * such transports finish closing now, through `shouldClose`, the callback the next poll would have
 * run. tests/integration/shutdown-polling.test.ts fails if it moves.
 */
export async function closeSocketServer(io: Server): Promise<void> {
  await new Promise<void>((resolve) => io.close(() => resolve()));
  const { clients } = io.engine as unknown as { clients: Record<string, { transport: { shouldClose?: () => void } }> };
  for (const client of Object.values(clients)) client.transport.shouldClose?.();
}

/** Registers the namespaces on an existing server. */
export function attachNamespaces(io: Server, deps: SocketDeps): void {
  visitorNamespace(io.of('/visitor'), deps);
  listenerNamespace(io.of('/listener'), deps);
  supervisorNamespace(io.of('/supervisor'), deps);
}
