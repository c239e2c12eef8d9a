/** Namespace `/listener`: listeners and supervisors taking conversations. Thin. */
import type { Namespace, Socket } from 'socket.io';
import type { CannedResponse } from '../../shared/protocol';
import { cannedFor } from '../http/canned';
import type { SocketDeps } from './deps';
import { errorSummary, handle, handleMessageSend, listen, type Handlers } from './handler';
import { rooms } from './rooms';
import { staffAuth, staffOf } from './staff-auth';

export function listenerNamespace(nsp: Namespace, deps: SocketDeps): void {
  nsp.use(staffAuth(deps, false));

  const handlers = listenerHandlers(deps);
  nsp.on('connection', (socket) => {
    const { user } = staffOf(socket);
    void socket.join(rooms.user(user.id));
    deps.metrics.socketConnections.inc({ namespace: 'listener' });
    listen(socket, handlers);
    const ready = deps.inflight.track(greet(socket, deps));
    ready.catch((err: unknown) => {
      deps.logger.error({ err: errorSummary(err) }, 'listener greeting failed');
      socket.disconnect(true);
    });
    socket.on('disconnect', () => {
      deps.metrics.socketConnections.dec({ namespace: 'listener' });
      // Wait for the connect bookkeeping, so the counts go up before they go down.
      const gone = ready.catch(() => undefined).then(() => deps.domain.listeners.disconnected(user.id));
      void deps.inflight.track(gone).catch((err: unknown) => deps.logger.error({ err: errorSummary(err) }, 'listener disconnect failed'));
    });
  });
}

/**
 * Sends the listener's state, then lets routing run: a chat assigned while the state was being
 * read (by another node, say) is sent after it, so the console never drops it.
 */
async function greet(socket: Socket, deps: SocketDeps): Promise<void> {
  const { user } = staffOf(socket);
  const { listeners, stats, dispatcher } = deps.domain;
  const { presence, conversations } = await listeners.connected(user);
  const queue = await stats.queueSummary();
  socket.emit('listener:state', { user, status: presence.status, conversations, queue });
  const known = new Set(conversations.map((c) => c.id));
  for (const conversation of await listeners.conversationsOf(user.id, known)) socket.emit('chat:assigned', { conversation });
  dispatcher.kick();
}

/** The namespace's event handlers, shared by its sockets; each acts as its socket's user. */
function listenerHandlers(deps: SocketDeps): Handlers {
  const { listeners } = deps.domain;
  const s = deps.schemas.listener;
  const userId = (socket: Socket) => staffOf(socket).user.id;
  return [
    handle(deps, 'status:set', s.statusSet, async (socket, p) => listeners.setStatus(userId(socket), p.status)),
    handle(deps, 'chat:accept', s.chatAccept, async (socket, p) => ({ conversation: await listeners.accept(userId(socket), p.conversationId, socket.id) })),
    handleMessageSend(deps, s.messageSend, deps.config.MAX_MESSAGE_LENGTH, (socket, p, text) => {
      const id = userId(socket);
      deps.limits.listenerMessage(id);
      return listeners.send(id, p.conversationId, p.clientMsgId, text);
    }),
    handle(deps, 'typing', s.typing, async (socket, p) => {
      const id = userId(socket);
      if (deps.limits.typing(id)) await listeners.typing(id, p.conversationId, p.isTyping);
    }),
    handle(deps, 'sync', s.sync, async (socket, p) => ({ messages: await listeners.sync(userId(socket), p.conversationId, p.afterSeq) })),
    handle(deps, 'chat:end', s.chatEnd, async (socket, p) => listeners.end(userId(socket), p.conversationId, p.outcome)),
    handle(deps, 'chat:transfer', s.chatTransfer, async (socket, p) => listeners.transfer(userId(socket), p.conversationId, p.to)),
    handle(deps, 'chat:flag', s.chatFlag, async (socket, p) => listeners.flag(userId(socket), p.conversationId, p.level)),
    handle(deps, 'visitor:block', s.visitorBlock, async (socket, p) => listeners.block(userId(socket), p.conversationId, p.reason)),
    handle(deps, 'canned:list', s.cannedList, async (_socket, p) => {
      const languages = p.language ? [p.language] : deps.config.LANGUAGES;
      const responses: Record<string, CannedResponse[]> = {};
      for (const lang of languages) responses[lang] = await cannedFor(deps.domain.ctx.store, lang);
      return { responses };
    }),
  ];
}
