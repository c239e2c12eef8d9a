/**
 * The sockets of one load generator: idle visitors, listeners, and the conversations that pair
 * them. Every conversation has both ends in this process, so one clock times it.
 */
import { performance } from 'node:perf_hooks';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ListenerClientEvents, ListenerServerEvents, VisitorClientEvents, VisitorServerEvents } from '../../shared/events';
import type { Message } from '../../shared/protocol';
import type { GenConfig } from './types';

export type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;
export type ListenerSocket = Socket<ListenerServerEvents, ListenerClientEvents>;

export interface Conversation {
  id: string;
  visitor: VisitorSocket;
  listener: ListenerSocket;
}

/** Options the Node transport (ws) accepts beyond socket.io-client's typings. The client offers
 * per-message deflate but every arm refuses it, so frames go uncompressed. */
type NodeClientOptions = Partial<ManagerOptions & SocketOptions> & { localAddress: string };

interface PendingPair {
  listener?: ListenerSocket;
  listenerAt?: number;
  visitor?: VisitorSocket;
  visitorAt?: number;
}

export type MessageSink = (receiver: 'visitor' | 'listener', message: Message) => void;
const CONNECT_TIMEOUT_MS = 20_000;

export class SocketPool {
  readonly idle: VisitorSocket[] = [];
  readonly listeners: ListenerSocket[] = [];
  conversations: Conversation[] = [];
  /** Sockets that dropped without the pool closing them. */
  disconnects = 0;
  /** Called once per new conversation with its pairing latency in ms. */
  onPaired: (latencyMs: number) => void = () => undefined;
  onListenerEnded: () => void = () => undefined;
  private readonly pending = new Map<string, PendingPair>();
  private readonly startedAt = new WeakMap<VisitorSocket, number>();
  /** Visitors whose chat was assigned (both sides saw it). */
  readonly paired = new WeakSet<VisitorSocket>();
  private readonly closing = new WeakSet<Socket>();
  private socketCount = 0;

  constructor(
    private readonly config: GenConfig,
    private readonly sink: MessageSink,
  ) {}

  private options(extra: Partial<NodeClientOptions>): NodeClientOptions {
    const addresses = this.config.localAddresses;
    const localAddress = addresses[this.socketCount++ % addresses.length];
    return {
      forceNew: true,
      transports: ['websocket'],
      reconnection: false,
      timeout: CONNECT_TIMEOUT_MS,
      localAddress,
      extraHeaders: { origin: this.config.origin },
      ...extra,
    };
  }

  private watch(socket: Socket): void {
    socket.on('disconnect', () => {
      if (!this.closing.has(socket)) this.disconnects++;
    });
  }

  /** Connects one visitor and resolves once the server sent its `session`. */
  connectVisitor(): Promise<VisitorSocket> {
    const socket: VisitorSocket = io(`${this.config.url}/visitor`, this.options({ auth: {} }));
    socket.on('chat:assigned', (p) => this.seen(p.conversationId, { visitor: socket, visitorAt: performance.now() }));
    socket.on('message', (m) => this.sink('visitor', m));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('session_timeout')), CONNECT_TIMEOUT_MS);
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.close(socket);
        reject(err);
      };
      socket.once('connect_error', (err) => fail(err));
      socket.once('session', () => {
        clearTimeout(timer);
        this.watch(socket);
        this.idle.push(socket);
        resolve(socket);
      });
    });
  }

  /** Connects one listener (cookie for our server, or language and capacity for the baseline). */
  connectListener(cookie: string | undefined, capacity: number): Promise<ListenerSocket> {
    const headers: Record<string, string> = { origin: this.config.origin };
    if (cookie) headers.cookie = cookie;
    const auth = { language: this.config.language, capacity };
    const socket: ListenerSocket = io(`${this.config.url}/listener`, this.options({ auth, extraHeaders: headers }));
    socket.on('chat:assigned', (p) => this.seen(p.conversation.id, { listener: socket, listenerAt: performance.now() }));
    socket.on('message', (m) => this.sink('listener', m));
    socket.on('chat:ended', () => this.onListenerEnded());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('listener_timeout')), CONNECT_TIMEOUT_MS);
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.close(socket);
        reject(err);
      };
      socket.once('connect_error', (err) => fail(err));
      socket.once('connect', () => {
        socket.emit('status:set', { status: 'available' }, (reply) => {
          clearTimeout(timer);
          if (!reply.ok) return fail(new Error(reply.error.code));
          this.watch(socket);
          this.listeners.push(socket);
          resolve(socket);
        });
      });
    });
  }

  /** Sends chat:start from an idle visitor; the pairing completes through the assigned events. */
  start(visitor: VisitorSocket, intendedAt: number, onError: (code: string) => void): void {
    this.startedAt.set(visitor, intendedAt);
    visitor.emit('chat:start', { language: this.config.language }, (reply) => {
      if (!reply.ok) onError(reply.error.code);
    });
  }

  private seen(conversationId: string, part: PendingPair): void {
    const entry = { ...this.pending.get(conversationId), ...part };
    if (!entry.visitor || !entry.listener || entry.visitorAt === undefined || entry.listenerAt === undefined) {
      this.pending.set(conversationId, entry);
      return;
    }
    this.pending.delete(conversationId);
    this.paired.add(entry.visitor);
    this.conversations.push({ id: conversationId, visitor: entry.visitor, listener: entry.listener });
    const started = this.startedAt.get(entry.visitor);
    if (started !== undefined) this.onPaired(Math.max(entry.visitorAt, entry.listenerAt) - started);
  }

  close(socket: Socket): void {
    this.closing.add(socket);
    socket.disconnect();
  }

  /** Forgets idle visitors (disconnecting them). */
  dropIdle(): void {
    for (const s of this.idle.splice(0)) this.close(s);
  }

  closeAll(): void {
    this.dropIdle();
    for (const c of this.conversations) this.close(c.visitor);
    for (const l of this.listeners.splice(0)) this.close(l);
    this.conversations = [];
    this.pending.clear();
  }
}
