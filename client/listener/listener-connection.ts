/**
 * The listener's Socket.IO connection (the session cookie authenticates it) and each client event as
 * a promise of its reply. Socket.IO reconnects by itself; the server then sends `listener:state` again.
 */
import { io, type Socket } from 'socket.io-client';
import type { Reply } from '../../shared/errors';
import type { ListenerClientEvents, ListenerServerEvents, ListenerState, SendResult } from '../../shared/events';
import type { ChatEnded, ConversationView, FlagLevel, ListenerStatus, Message, QueueSummary, RiskLevel } from '../../shared/protocol';
import type { ChannelTransport } from '../ui/chat-channel';
import { ACK_TIMEOUT_MS, ask } from '../ui/socket-ask';

const RETRY_REFUSED_MS = 3000;

export interface ListenerHandlers {
  state(state: ListenerState): void;
  assigned(conversation: ConversationView): void;
  message(message: Message): void;
  typing(conversationId: string, isTyping: boolean): void;
  ended(update: ChatEnded): void;
  queue(summary: QueueSummary): void;
  removed(conversationId: string, reason: 'transferred' | 'requeued'): void;
  connection(up: boolean): void;
  refused(code: string): void;
}

export interface Outcome {
  topics: string[];
  risk: RiskLevel;
  note?: string;
}

export class ListenerConnection implements ChannelTransport {
  private readonly socket: Socket<ListenerServerEvents, ListenerClientEvents>;
  private closed = false;

  constructor(handlers: ListenerHandlers) {
    this.socket = io('/listener');
    this.socket.on('listener:state', (state) => handlers.state(state));
    this.socket.on('chat:assigned', ({ conversation }) => handlers.assigned(conversation));
    this.socket.on('message', (message) => handlers.message(message));
    this.socket.on('typing', ({ conversationId, isTyping }) => handlers.typing(conversationId, isTyping));
    this.socket.on('chat:ended', (update) => handlers.ended(update));
    this.socket.on('queue:update', (summary) => handlers.queue(summary));
    this.socket.on('chat:removed', ({ conversationId, reason }) => handlers.removed(conversationId, reason));
    this.socket.on('connect', () => handlers.connection(true));
    this.socket.on('disconnect', (reason) => {
      handlers.connection(false);
      // A server-side disconnect (sign-out elsewhere, deactivation) is not retried automatically.
      if (reason === 'io server disconnect') handlers.refused('unauthorized');
    });
    this.socket.on('connect_error', (err) => {
      if (err.message === 'unauthorized' || err.message === 'forbidden') return handlers.refused(err.message);
      handlers.connection(false);
      // Other refusals (the store briefly down) are not retried by Socket.IO itself.
      if (!this.socket.active) setTimeout(() => this.retry(), RETRY_REFUSED_MS);
    });
  }

  connected(): boolean {
    return this.socket.connected;
  }

  private retry(): void {
    if (!this.closed) this.socket.connect();
  }

  setStatus(status: ListenerStatus): Promise<Reply> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('status:set', { status }));
  }

  accept(conversationId?: string): Promise<Reply<{ conversation: ConversationView }>> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat:accept', conversationId ? { conversationId } : {}));
  }

  send(conversationId: string, clientMsgId: string, text: string): Promise<Reply<SendResult>> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('message:send', { conversationId, clientMsgId, text }));
  }

  sync(conversationId: string, afterSeq: number): Promise<Reply<{ messages: Message[] }>> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('sync', { conversationId, afterSeq }));
  }

  typing(conversationId: string, isTyping: boolean): void {
    if (this.socket.connected) this.socket.emit('typing', { conversationId, isTyping });
  }

  end(conversationId: string, outcome?: Outcome): Promise<Reply> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat:end', outcome ? { conversationId, outcome } : { conversationId }));
  }

  transfer(conversationId: string, to: 'queue' | { listenerId: string }): Promise<Reply> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat:transfer', { conversationId, to }));
  }

  flag(conversationId: string, level: FlagLevel): Promise<Reply> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('chat:flag', { conversationId, level }));
  }

  block(conversationId: string, reason: string): Promise<Reply> {
    return ask(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('visitor:block', { conversationId, reason }));
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }
}
