/**
 * The Notifier on Socket.IO rooms. Room broadcasts cross nodes through the adapter, except while
 * this node is alone on its Redis (Peers): then every socket is here and broadcasts stay local.
 * The `session` event carries each socket's own token, which never leaves the node that holds the
 * socket: other nodes are told the new phase with serverSideEmit and each emits to its local sockets.
 * Whether a visitor is online anywhere is asked the same way, each node answering yes or no: the
 * adapter's fetchSockets would publish every matching socket's handshake (address, token) and data.
 */
import type { Logger } from 'pino';
import type { Namespace, Server } from 'socket.io';
import type { ListenerServerEvents, SupervisorServerEvents, VisitorServerEvents } from '../../shared/events';
import type { VisitorState } from '../../shared/protocol';
import type { Args, Notifier } from '../domain/notifier';
import { rooms } from './rooms';

/** Who else is out there: null for a node without the Redis adapter (always alone). */
export interface PeerView {
  readonly isAlone: boolean;
}

/** What each visitor socket remembers (never sent anywhere). */
export interface VisitorSocketData {
  visitorId: string;
  token: string;
  conversationId?: string;
  phase: VisitorState['phase'];
  lastPosition?: number;
  lastQueueUpdateAt?: number;
  /** Counts phase changes pushed to this socket, so a slower greeting never overwrites a newer one. */
  phaseVersion?: number;
}

const PHASE_EVENT = 'visitor:phase';
const ONLINE_QUERY = 'visitor:online?';

export class SocketNotifier implements Notifier {
  constructor(
    private readonly io: Server,
    private readonly peers: PeerView | null,
    private readonly logger: Logger,
  ) {
    if (peers) {
      this.io.of('/visitor').on(PHASE_EVENT, (visitorId: string, state: VisitorState) => this.sessionLocally(visitorId, state));
      this.io.of('/visitor').on(ONLINE_QUERY, (visitorId: string, reply: (online: boolean) => void) => reply(this.onlineHere(visitorId)));
    }
  }

  private get visitors(): Namespace {
    return this.io.of('/visitor');
  }

  private get clustered(): boolean {
    return this.peers !== null && !this.peers.isAlone;
  }

  /** The namespace's sockets on every node (no room yet: all of them), or this node's while it is alone. */
  private everywhere(nsp: Namespace): ReturnType<Namespace['to']> {
    return this.clustered ? nsp.to([]) : nsp.local;
  }

  toVisitor<E extends Exclude<keyof VisitorServerEvents, 'session'>>(visitorId: string, event: E, ...args: Args<VisitorServerEvents, E>): void {
    this.toRoom(this.visitors, rooms.visitor(visitorId), null, event, args);
  }

  toListener<E extends keyof ListenerServerEvents>(userId: string, exceptSocketId: string | null, event: E, ...args: Args<ListenerServerEvents, E>): void {
    this.toRoom(this.io.of('/listener'), rooms.user(userId), exceptSocketId, event, args);
  }

  /**
   * A room's sockets on every node through the adapter; while this node is alone, straight to its
   * own sockets (the hot path of every message: no broadcast operator, adapter or room sets).
   */
  private toRoom(nsp: Namespace, room: string, exceptSocketId: string | null, event: string, args: unknown[]): void {
    if (this.clustered) {
      const target = nsp.to(room);
      (exceptSocketId ? target.except(exceptSocketId) : target).emit(event, ...args);
      return;
    }
    const ids = nsp.adapter.rooms.get(room);
    if (!ids) return;
    for (const id of ids) {
      if (id !== exceptSocketId) nsp.sockets.get(id)?.emit(event, ...args);
    }
  }

  toSupervisors<E extends keyof SupervisorServerEvents>(event: E, ...args: Args<SupervisorServerEvents, E>): void {
    this.everywhere(this.io.of('/supervisor')).emit(event, ...args);
  }

  visitorSession(visitorId: string, state: VisitorState): void {
    this.sessionLocally(visitorId, state);
    if (this.clustered) this.visitors.serverSideEmit(PHASE_EVENT, visitorId, state);
  }

  /** Emits `session` to this node's sockets of the visitor and remembers their phase. */
  sessionLocally(visitorId: string, state: VisitorState): void {
    const ids = this.visitorSocketIds(visitorId);
    if (!ids) return;
    for (const id of ids) {
      const socket = this.visitors.sockets.get(id);
      if (!socket) continue;
      const data = socket.data as VisitorSocketData;
      data.phase = state.phase;
      data.phaseVersion = (data.phaseVersion ?? 0) + 1;
      data.conversationId = state.phase === 'idle' ? data.conversationId : state.conversationId;
      if (state.phase === 'queued') data.lastPosition = state.position;
      socket.emit('session', { token: data.token, state });
    }
  }

  async visitorOnline(visitorId: string): Promise<boolean | null> {
    if (this.onlineHere(visitorId)) return true;
    if (!this.clustered) return false;
    try {
      const answers: unknown[] = await this.visitors.serverSideEmitWithAck(ONLINE_QUERY, visitorId);
      return answers.includes(true);
    } catch (err) {
      // A node that does not answer may hold the socket: the caller asks again later.
      const answers = (err as { responses?: unknown[] }).responses;
      if (answers?.includes(true)) return true;
      this.logger.warn({ err: { type: err instanceof Error ? err.name : typeof err } }, 'could not ask other nodes about a visitor');
      return null;
    }
  }

  /** Whether this node holds a socket of the visitor. */
  private onlineHere(visitorId: string): boolean {
    return (this.visitorSocketIds(visitorId)?.size ?? 0) > 0;
  }

  /** The ids of this node's sockets of the visitor (their room); undefined when it holds none. */
  private visitorSocketIds(visitorId: string): Set<string> | undefined {
    return this.visitors.adapter.rooms.get(rooms.visitor(visitorId));
  }
}
