/**
 * The visitor's Socket.IO connection: long-polling first, upgraded to WebSocket when the network
 * allows (so a proxy that breaks WebSockets cannot strand anyone), the token from
 * sessionStorage on every (re)connect, and each client event as a promise of its reply.
 */
import { io, type Socket } from 'socket.io-client';
import type { Reply } from '../../shared/errors';
import type { SendResult, VisitorClientEvents, VisitorServerEvents } from '../../shared/events';
import type { AgeRange, ChatEnded, Message, VisitorState } from '../../shared/protocol';
import type { ChannelTransport } from '../ui/chat-channel';
import { ACK_TIMEOUT_MS, ask } from '../ui/socket-ask';
import { sessionStore } from './session-store';

const RETRY_REFUSED_MS = 3000;

export interface VisitorHandlers {
  session(state: VisitorState): void;
  queue(update: { conversationId: string; position: number; estimatedWaitSeconds: number }): void;
  assigned(update: { conversationId: string; listener: { displayName: string } }): void;
  message(message: Message): void;
  typing(isTyping: boolean): void;
  ended(update: ChatEnded): void;
  connection(up: boolean): void;
}

export interface StartChoices {
  language: string;
  topic?: string;
  ageRange?: AgeRange;
  urgent?: boolean;
  firstMessage?: string;
}

export class VisitorConnection implements ChannelTransport {
  private readonly socket: Socket<VisitorServerEvents, VisitorClientEvents>;

  constructor(handlers: VisitorHandlers) {
    this.socket = io('/visitor', {
      auth: (cb) => {
        const token = sessionStore.token();
        cb(token ? { token } : {});
      },
    });
    this.socket.on('session', ({ token, state }) => {
      sessionStore.setToken(token);
      handlers.session(state);
    });
    this.socket.on('queue:update', (update) => handlers.queue(update));
    this.socket.on('chat:assigned', (update) => handlers.assigned(update));
    this.socket.on('message', (message) => handlers.message(message));
    this.socket.on('typing', ({ isTyping }) => handlers.typing(isTyping));
    this.socket.on('chat:ended', (update) => handlers.ended(update));
    this.socket.on('connect', () => handlers.connection(true));
    this.socket.on('disconnect', () => handlers.connection(false));
    this.socket.on('connect_error', () => {
      handlers.connection(false);
      // A refusal by the server (store briefly down) is not retried by Socket.IO itself.
      if (!this.socket.active) setTimeout(() => this.socket.connect(), RETRY_REFUSED_MS);
    });
  }

  connected(): boolean {
    return this.socket.connected;
  }

  start(choices: StartChoices): Promise<Reply<{ conversationId: string; position: number; estimatedWaitSeconds: number }>> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat:start', choices));
  }

  send(_conversationId: string, clientMsgId: string, text: string): Promise<Reply<SendResult>> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('message:send', { clientMsgId, text }));
  }

  sync(conversationId: string, afterSeq: number): Promise<Reply<{ messages: Message[] }>> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('sync', { conversationId, afterSeq }));
  }

  typing(isTyping: boolean): void {
    if (this.socket.connected) this.socket.emit('typing', { isTyping });
  }

  end(reason?: 'quick_exit', timeoutMs = ACK_TIMEOUT_MS): Promise<Reply> {
    return ask(() => this.socket.timeout(timeoutMs).emitWithAck('chat:end', reason ? { reason } : {}));
  }

  feedback(conversationId: string, rating: number, comment?: string): Promise<Reply> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('feedback', comment ? { conversationId, rating, comment } : { conversationId, rating }));
  }

  close(): void {
    this.socket.close();
  }
}
