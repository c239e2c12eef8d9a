/**
 * The packets sent to one client in one burst (a handler's synchronous code, or the chain of
 * promise reactions it runs in) leave in one socket write over WebSocket, in order, with the
 * acknowledgement among them; long-polling and the closing handshake work as before.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { coalesceFrames } from '../../server/sockets/coalesce-frames';
import { countWrites, type WriteCounts } from '../support/count-writes';

interface TestServer {
  url: string;
  /** The TCP socket of each WebSocket upgrade, in order. */
  upgraded: NetSocket[];
  connected: Promise<ServerSocket>;
  close(): Promise<void>;
}

async function startServer(coalesce: boolean): Promise<TestServer> {
  const httpServer = createServer();
  const io = new Server(httpServer, { perMessageDeflate: false });
  if (coalesce) io.engine.on('connection', coalesceFrames);
  const upgraded: NetSocket[] = [];
  httpServer.on('upgrade', (_req, socket) => upgraded.push(socket as NetSocket));
  const connected = new Promise<ServerSocket>((resolve) => io.once('connection', resolve));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, upgraded, connected, close: () => io.close() };
}

function received(client: ClientSocket): string[] {
  const events: string[] = [];
  client.onAny((event: string, value: unknown) => events.push(`${event}:${String(value)}`));
  return events;
}

type Handler = (socket: ServerSocket, reply: (answer: string) => void) => void;

const inOneGo: Handler = (socket, reply) => {
  socket.emit('e', 1);
  socket.emit('e', 2);
  socket.emit('e', 3);
  reply('done');
};

/** As our handlers do: after an await, and across further awaits of settled promises. */
const acrossAwaits: Handler = async (socket, reply) => {
  await Promise.resolve();
  socket.emit('e', 1);
  await null;
  socket.emit('e', 2);
  socket.emit('e', 3);
  await Promise.resolve();
  reply('done');
};

/** The server answers `burst` with three events and the acknowledgement. */
async function burst(server: TestServer, client: ClientSocket, handler: Handler = inOneGo): Promise<{ events: string[]; answer: unknown }> {
  const socket = await server.connected;
  socket.on('burst', (reply: (answer: string) => void) => handler(socket, reply));
  const events = received(client);
  const answer = await client.timeout(5000).emitWithAck('burst');
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { events, answer };
}

const writes = (counts: WriteCounts) => counts.single + counts.batches.length;

describe('coalesceFrames', () => {
  let server: TestServer | undefined;
  let client: ClientSocket | undefined;
  afterEach(async () => {
    client?.close();
    await server?.close();
    server = undefined;
    client = undefined;
  });

  async function open(coalesce: boolean, transports: Array<'websocket' | 'polling'>): Promise<ClientSocket> {
    server = await startServer(coalesce);
    client = connectClient(server.url, { transports, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      client!.once('connect', () => resolve());
      client!.once('connect_error', reject);
    });
    return client;
  }

  it('sends a burst of packets to a WebSocket client in one write, in order, with the acknowledgement', async () => {
    const c = await open(true, ['websocket']);
    const counts = countWrites(server!.upgraded[0]);
    const { events, answer } = await burst(server!, c);
    expect(answer).toBe('done');
    expect(events).toEqual(['e:1', 'e:2', 'e:3']);
    expect(writes(counts)).toBe(1);
    expect(counts.batches).toEqual([8]); // four frames, each a header and a payload
  });

  it('sends the packets of a chain of promise reactions in one write', async () => {
    const c = await open(true, ['websocket']);
    const counts = countWrites(server!.upgraded[0]);
    const { events, answer } = await burst(server!, c, acrossAwaits);
    expect(answer).toBe('done');
    expect(events).toEqual(['e:1', 'e:2', 'e:3']);
    expect(counts.batches).toEqual([8]);
    expect(counts.single).toBe(0);
  });

  it('writes frame by frame without it (the comparison the test above relies on)', async () => {
    const c = await open(false, ['websocket']);
    const counts = countWrites(server!.upgraded[0]);
    const { events } = await burst(server!, c);
    expect(events).toEqual(['e:1', 'e:2', 'e:3']);
    expect(writes(counts)).toBeGreaterThan(1);
  });

  it('delivers in order over long-polling, where there is no TCP socket to cork', async () => {
    const c = await open(true, ['polling']);
    const { events, answer } = await burst(server!, c);
    expect(answer).toBe('done');
    expect(events).toEqual(['e:1', 'e:2', 'e:3']);
  });

  it('delivers what was sent before a server-side disconnect, then closes', async () => {
    const c = await open(true, ['websocket']);
    const socket = await server!.connected;
    const events = received(c);
    const closed = new Promise<string>((resolve) => c.once('disconnect', resolve));
    socket.emit('e', 'last');
    socket.disconnect(true);
    expect(await closed).toBe('io server disconnect');
    expect(events).toEqual(['e:last']);
  });
});
