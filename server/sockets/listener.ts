/** Namespace `/listener`: listeners and supervisors taking conversations. Thin. */
import type { Namespace, Socket } from 'socket.io';
import type { CannedResponse } from '../../shared/protocol';
import { cannedFor } from '../http/canned';
import type { SocketDeps } from './deps';
import { errorSummary, on, onMessageSend } from './handler';
import { rooms } from './rooms';
import { staffAuth, staffOf } from './staff-auth';

export function listenerNamespace(nsp: Namespace, deps: SocketDeps): void {
  nsp.use(staffAuth(deps, false));

  nsp.on('connection', (socket) => {
    const { user } = staffOf(socket);
    void socket.join(rooms.user(user.id));
    deps.metrics.socketConnections.inc({ namespace: 'listener' });
    registerHandlers(socket, deps);
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

function registerHandlers(socket: Socket, deps: SocketDeps): void {
  const { listeners } = deps.domain;
  const s = deps.schemas.listener;
  const { user } = staffOf(socket);

  on(socket, deps, 'status:set', s.statusSet, async (p) => listeners.setStatus(user.id, p.status));
  on(socket, deps, 'chat:accept', s.chatAccept, async (p) => ({ conversation: await listeners.accept(user.id, p.conversationId, socket.id) }));
  onMessageSend(socket, deps, s.messageSend, deps.config.MAX_MESSAGE_LENGTH, (p, text) => {
    deps.limits.listenerMessage(user.id);
    return listeners.send(user.id, p.conversationId, p.clientMsgId, text);
  });
  on(socket, deps, 'typing', s.typing, async (p) => {
    if (deps.limits.typing(user.id)) await listeners.typing(user.id, p.conversationId, p.isTyping);
  });
  on(socket, deps, 'sync', s.sync, async (p) => ({ messages: await listeners.sync(user.id, p.conversationId, p.afterSeq) }));
  on(socket, deps, 'chat:end', s.chatEnd, async (p) => listeners.end(user.id, p.conversationId, p.outcome));
  on(socket, deps, 'chat:transfer', s.chatTransfer, async (p) => listeners.transfer(user.id, p.conversationId, p.to));
  on(socket, deps, 'chat:flag', s.chatFlag, async (p) => listeners.flag(user.id, p.conversationId, p.level));
  on(socket, deps, 'visitor:block', s.visitorBlock, async (p) => listeners.block(user.id, p.conversationId, p.reason));
  on(socket, deps, 'canned:list', s.cannedList, async (p) => {
    const languages = p.language ? [p.language] : deps.config.LANGUAGES;
    const responses: Record<string, CannedResponse[]> = {};
    for (const lang of languages) responses[lang] = await cannedFor(deps.domain.ctx.store, lang);
    return { responses };
  });
}
