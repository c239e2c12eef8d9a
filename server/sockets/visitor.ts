/** Namespace `/visitor`: anonymous youth. Thin: validate, call the domain, reply. */
import type { Namespace, Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { Message } from '../../shared/protocol';
import { socketAddressKey } from './address';
import type { SocketDeps } from './deps';
import { errorSummary, handle, handleMessageSend, listen, messageText, type Handlers } from './handler';
import type { VisitorSocketData } from './notifier';
import { rooms } from './rooms';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

interface VisitorData extends VisitorSocketData {
  address: string;
  /** Settles once every chat start this socket asked for is done (the disconnect waits for it). */
  starting?: Promise<unknown>;
  /** The greeting (the disconnect waits for it, so the node counts up before down). */
  ready?: Promise<void>;
}

const dataOf = (socket: Socket) => socket.data as VisitorData;

export function visitorNamespace(nsp: Namespace, deps: SocketDeps): void {
  const { visitors } = deps.domain;

  nsp.use((socket, next) => {
    const raw: unknown = socket.handshake.auth?.token;
    const token = typeof raw === 'string' && TOKEN_PATTERN.test(raw) ? raw : undefined;
    visitors.resume(token).then(
      ({ token: t, visitor }) => {
        const data: VisitorData = { visitorId: visitor.id, token: t, conversationId: visitor.conversationId, phase: 'idle', address: socketAddressKey(socket, deps.config.TRUST_PROXY) };
        socket.data = data;
        next();
      },
      (err: unknown) => {
        deps.logger.error({ err: errorSummary(err) }, 'visitor handshake failed');
        next(new Error('unavailable'));
      },
    );
  });

  const handlers = visitorHandlers(deps);
  const disconnected = onDisconnect(deps);
  nsp.on('connection', (socket) => {
    const data = dataOf(socket);
    void socket.join(rooms.visitor(data.visitorId));
    deps.metrics.socketConnections.inc({ namespace: 'visitor' });
    listen(socket, handlers);
    data.ready = deps.inflight.track(greet(socket, deps));
    data.ready.catch((err: unknown) => {
      deps.logger.error({ err: errorSummary(err) }, 'visitor greeting failed');
      socket.disconnect(true);
    });
    socket.on('disconnect', disconnected);
  });
}

/** The `disconnect` listener, shared by the namespace's sockets. */
function onDisconnect(deps: SocketDeps): (this: Socket) => void {
  return function (this: Socket): void {
    const data = dataOf(this);
    deps.metrics.socketConnections.dec({ namespace: 'visitor' });
    // Always, whatever phase this socket last heard of (it may be stale, or greet still running):
    // the grace handler checks the conversation. After greet, so the node counts up before down,
    // and after a chat start still under way: the store starts the grace timer only for a visitor
    // who has a conversation, and one started just as the page closed must not wait forever.
    const settled = Promise.all([data.ready?.catch(() => undefined), data.starting]);
    const gone = settled.then(() => deps.domain.lifecycle.visitorDisconnected(data.visitorId));
    void deps.inflight.track(gone).catch((err: unknown) => deps.logger.error({ err: errorSummary(err) }, 'visitor disconnect failed'));
  };
}

/** Counts the socket on this node, cancels a running grace period and tells the visitor where they are. */
async function greet(socket: Socket, deps: SocketDeps): Promise<void> {
  const data = dataOf(socket);
  const version = data.phaseVersion ?? 0;
  await deps.domain.lifecycle.visitorConnected(data.visitorId, data.token);
  const { state } = await deps.domain.visitors.state(data.conversationId);
  // A phase change pushed while we were reading is newer than what we read.
  if ((data.phaseVersion ?? 0) !== version) return;
  data.phase = state.phase;
  if (state.phase === 'queued') data.lastPosition = state.position;
  socket.emit('session', { token: data.token, state });
}

/** The namespace's event handlers; each reads its socket's data (`dataOf`), nothing is kept per socket. */
function visitorHandlers(deps: SocketDeps): Handlers {
  const { visitors } = deps.domain;
  const s = deps.schemas.visitor;
  return [
    handle(deps, 'chat:start', s.chatStart, (socket, p) => {
      const data = dataOf(socket);
      const started = startChat(socket, deps, p);
      data.starting = Promise.all([data.starting, started.catch(() => undefined)]);
      return started;
    }),
    handleMessageSend(deps, s.messageSend, deps.config.MAX_MESSAGE_LENGTH, (socket, p, text) => {
      const data = dataOf(socket);
      deps.limits.visitorMessage(data.visitorId, data.address);
      return sendWithCurrentConversation(socket, deps, p.clientMsgId, text);
    }),
    handle(deps, 'typing', s.typing, async (socket, p) => {
      const data = dataOf(socket);
      if (deps.limits.typing(data.visitorId)) await visitors.typing(data.visitorId, data.conversationId, p.isTyping);
    }),
    handle(deps, 'sync', s.sync, async (socket, p) => ({ messages: await visitors.sync(dataOf(socket).visitorId, p.conversationId, p.afterSeq) })),
    handle(deps, 'chat:end', s.chatEnd, async (socket, p) => {
      const data = dataOf(socket);
      await visitors.end(data.visitorId, data.conversationId, p.reason);
    }),
    handle(deps, 'feedback', s.feedback, async (socket, p) => {
      await visitors.feedback(dataOf(socket).visitorId, p.conversationId, p.rating, p.comment || undefined);
    }),
  ];
}

async function startChat(socket: Socket, deps: SocketDeps, p: z.infer<SocketDeps['schemas']['visitor']['chatStart']>) {
  const data = dataOf(socket);
  const first = p.firstMessage?.trim() ? { text: messageText(p.firstMessage, deps.config.MAX_MESSAGE_LENGTH) } : undefined;
  await deps.limits.chatStart(data.visitorId, data.address);
  // Keeping the visitor alive goes alongside joining the queue (one round trip, not two) and,
  // being a refresh, never fails the start.
  const touched = deps.domain.lifecycle
    .visitorActive(data.visitorId, data.token)
    .catch((err: unknown) => deps.logger.warn({ err: errorSummary(err) }, 'could not refresh a visitor'));
  const result = await deps.domain.visitors.start(data.visitorId, { ...p, firstMessage: first });
  await touched;
  data.conversationId = result.conversationId;
  return result;
}

/**
 * Sends on the conversation this socket knows; if that is stale (the visitor started another
 * one from a second socket), looks the current one up once and tries again. A promise step, not
 * an await, on the path of every message.
 */
function sendWithCurrentConversation(socket: Socket, deps: SocketDeps, clientMsgId: string, text: string): Promise<Message> {
  const data = dataOf(socket);
  const sent = deps.domain.visitors.send(data.visitorId, data.conversationId, clientMsgId, text);
  return sent.catch((err: unknown) => sendOnCurrentConversation(socket, deps, clientMsgId, text, err));
}

async function sendOnCurrentConversation(socket: Socket, deps: SocketDeps, clientMsgId: string, text: string, err: unknown): Promise<Message> {
  if (!(err instanceof AppError) || err.code !== 'not_chatting') throw err;
  const data = dataOf(socket);
  const visitor = await deps.domain.ctx.store.getVisitor(data.visitorId);
  if (!visitor?.conversationId || visitor.conversationId === data.conversationId) throw err;
  data.conversationId = visitor.conversationId;
  return deps.domain.visitors.send(data.visitorId, data.conversationId, clientMsgId, text);
}
