/**
 * The baseline arm: a minimal Socket.IO relay with our namespaces and event names, so one load
 * client drives every arm. It pairs each visitor with a listener of its language in memory and
 * forwards messages to the peer with an ack; nothing else (no validation, store, or stats).
 * Listeners declare `{ language, capacity }` in their handshake auth.
 */
import { createServer } from 'node:http';
import { Server, type Namespace, type Socket } from 'socket.io';
import type { ListenerClientEvents, ListenerServerEvents, VisitorClientEvents, VisitorServerEvents } from '../../shared/events';
import type { Message } from '../../shared/protocol';
import { announceReady, installServerHooks } from './server-hooks';
import { RELAY_EXTRA_CPU_ENV } from './types';

type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents>;
type ListenerSocket = Socket<ListenerClientEvents, ListenerServerEvents>;

interface Listener {
  socket: ListenerSocket;
  language: string;
  capacity: number;
  convs: Set<Conversation>;
}

interface Conversation {
  id: string;
  visitor: VisitorSocket;
  listener: Listener;
  seq: number;
}

interface WireMessage {
  clientMsgId: string;
  text: string;
  conversationId?: string;
}

const waiting = new Map<string, VisitorSocket[]>();
const freeListeners = new Map<string, Listener[]>();
const conversations = new Map<string, Conversation>();
const byVisitor = new WeakMap<VisitorSocket, Conversation>();
let nextId = 1;
const extraCpuUs = Number(process.env[RELAY_EXTRA_CPU_ENV] ?? 0);

/** Spins for `extraCpuUs` (0: not at all), as a heavier server would spend on each message. */
function spendExtraCpu(): void {
  if (extraCpuUs <= 0) return;
  const until = performance.now() + extraCpuUs / 1000;
  while (performance.now() < until);
}

function listFor<T>(map: Map<string, T[]>, language: string): T[] {
  let list = map.get(language);
  if (!list) {
    list = [];
    map.set(language, list);
  }
  return list;
}

function asWireMessage(payload: unknown): WireMessage | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (typeof p.clientMsgId !== 'string' || typeof p.text !== 'string') return null;
  const conversationId = typeof p.conversationId === 'string' ? p.conversationId : undefined;
  return { clientMsgId: p.clientMsgId, text: p.text, conversationId };
}

function assign(visitor: VisitorSocket, listener: Listener): void {
  const conv: Conversation = { id: `c${nextId++}`, visitor, listener, seq: 0 };
  conversations.set(conv.id, conv);
  byVisitor.set(visitor, conv);
  listener.convs.add(conv);
  const now = new Date().toISOString();
  visitor.emit('chat:assigned', { conversationId: conv.id, listener: { displayName: 'Baseline' } });
  listener.socket.emit('chat:assigned', {
    conversation: { id: conv.id, language: listener.language, urgent: false, state: 'active', waitedSeconds: 0, startedAt: now, lastSeq: 0 },
  });
}

/** Pairs waiting visitors with listeners that have room, first come first served. */
function route(language: string): void {
  const queue = listFor(waiting, language);
  const free = listFor(freeListeners, language);
  while (queue.length > 0 && free.length > 0) {
    const visitor = queue[0];
    if (!visitor.connected) {
      queue.shift();
      continue;
    }
    const listener = free.shift() as Listener;
    if (!listener.socket.connected || listener.convs.size >= listener.capacity) continue;
    assign(queue.shift() as VisitorSocket, listener);
    if (listener.convs.size < listener.capacity) free.push(listener);
  }
}

function leaveQueue(visitor: VisitorSocket): void {
  for (const queue of waiting.values()) {
    const i = queue.indexOf(visitor);
    if (i >= 0) queue.splice(i, 1);
  }
}

function endConversation(conv: Conversation, endedBy: 'visitor' | 'listener'): void {
  conversations.delete(conv.id);
  byVisitor.delete(conv.visitor);
  const { listener } = conv;
  const wasFull = listener.convs.size >= listener.capacity;
  listener.convs.delete(conv);
  const ended = { conversationId: conv.id, endedBy };
  if (endedBy === 'visitor') listener.socket.emit('chat:ended', ended);
  else conv.visitor.emit('chat:ended', ended);
  if (wasFull && listener.socket.connected) {
    listFor(freeListeners, listener.language).push(listener);
    route(listener.language);
  }
}

function relay(conv: Conversation, from: 'visitor' | 'listener', msg: WireMessage): { seq: number; at: string } {
  spendExtraCpu();
  const seq = ++conv.seq;
  const at = new Date().toISOString();
  const message: Message = { conversationId: conv.id, seq, from, text: msg.text, at, clientMsgId: msg.clientMsgId };
  if (from === 'visitor') conv.listener.socket.emit('message', message);
  else conv.visitor.emit('message', message);
  return { seq, at };
}

function onVisitor(socket: VisitorSocket): void {
  socket.emit('session', { token: socket.id, state: { phase: 'idle' } });
  socket.on('chat:start', (payload, ack) => {
    const p = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
    const language = typeof p.language === 'string' ? p.language : 'en';
    const queue = listFor(waiting, language);
    queue.push(socket);
    if (typeof ack === 'function') ack({ ok: true, conversationId: '', position: queue.length, estimatedWaitSeconds: 0 });
    route(language);
  });
  socket.on('message:send', (payload, ack) => {
    const msg = asWireMessage(payload);
    const conv = byVisitor.get(socket);
    if (typeof ack !== 'function') return;
    if (!msg || !conv) return ack({ ok: false, error: { code: 'not_chatting', message: 'No conversation.' } });
    ack({ ok: true, ...relay(conv, 'visitor', msg) });
  });
  socket.on('chat:end', (_payload, ack) => {
    const conv = byVisitor.get(socket);
    if (conv) endConversation(conv, 'visitor');
    else leaveQueue(socket);
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('disconnect', () => {
    const conv = byVisitor.get(socket);
    if (conv) endConversation(conv, 'visitor');
    else leaveQueue(socket);
  });
}

function onListener(socket: ListenerSocket): void {
  const auth = socket.handshake.auth as Record<string, unknown>;
  const language = typeof auth.language === 'string' ? auth.language : 'en';
  const capacity = typeof auth.capacity === 'number' ? Math.max(1, Math.min(auth.capacity, 100)) : 1;
  const listener: Listener = { socket, language, capacity, convs: new Set() };
  socket.on('status:set', (_payload, ack) => {
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('message:send', (payload, ack) => {
    const msg = asWireMessage(payload);
    const conv = msg?.conversationId ? conversations.get(msg.conversationId) : undefined;
    if (typeof ack !== 'function') return;
    if (!msg || !conv || conv.listener !== listener) return ack({ ok: false, error: { code: 'not_yours', message: 'Not yours.' } });
    ack({ ok: true, ...relay(conv, 'listener', msg) });
  });
  socket.on('disconnect', () => {
    for (const conv of [...listener.convs]) endConversation(conv, 'listener');
  });
  listFor(freeListeners, language).push(listener);
  route(language);
}

function main(): void {
  installServerHooks();
  const port = Number(process.env.PORT ?? 0);
  const host = process.env.HOST ?? '127.0.0.1';
  const httpServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
  const io = new Server(httpServer, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
  (io.of('/visitor') as Namespace<VisitorClientEvents, VisitorServerEvents>).on('connection', onVisitor);
  (io.of('/listener') as Namespace<ListenerClientEvents, ListenerServerEvents>).on('connection', onListener);
  httpServer.listen(port, host, () => {
    const address = httpServer.address();
    announceReady(typeof address === 'object' && address ? address.port : port);
  });
  process.on('SIGTERM', () => process.exit(0));
}

main();
