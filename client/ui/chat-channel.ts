/**
 * The reliable side of one conversation, for either end: sends with a `clientMsgId` that is reused
 * on every retry (the server answers the original seq), calls `sync` when a seq is missing, and
 * feeds the screen each message exactly once.
 */
import type { Reply } from '../../shared/errors';
import type { SendResult } from '../../shared/events';
import type { Message, Sender } from '../../shared/protocol';
import { newClientMsgId } from './client-id';
import { MessageLog, type PendingMessage } from './message-log';

export interface ChannelTransport {
  connected(): boolean;
  sync(conversationId: string, afterSeq: number): Promise<Reply<{ messages: Message[] }>>;
  send(conversationId: string, clientMsgId: string, text: string): Promise<Reply<SendResult>>;
}

export interface ChannelView {
  /** A message the screen has not shown yet. */
  added(message: Message): void;
  /** A new pending message, or a change of its state. */
  pending(message: PendingMessage): void;
}

const RETRY_WHILE_CONNECTED_MS = 3000;
/** Codes a resend may fix; anything else marks the message failed. */
const TRANSIENT = new Set(['unavailable', 'internal']);

export class ChatChannel {
  readonly log: MessageLog;
  private syncing = false;
  private syncAgain = false;

  constructor(
    conversationId: string,
    private readonly me: Sender,
    private readonly transport: ChannelTransport,
    private readonly view: ChannelView,
  ) {
    this.log = new MessageLog(conversationId);
  }

  get conversationId(): string {
    return this.log.conversationId;
  }

  /** A message from the server (broadcast or sync). Returns true when it is new. */
  receive(message: Message): boolean {
    const added = this.accept(message);
    if (this.log.hasGap) void this.resync();
    return added;
  }

  /** Fetches everything after the last contiguous seq; one request at a time. */
  async resync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.syncAgain = false;
        const reply = await this.transport.sync(this.conversationId, this.log.lastSeq);
        if (reply.ok) for (const message of reply.messages) this.accept(message);
      } while (this.syncAgain);
    } finally {
      this.syncing = false;
    }
  }

  async send(text: string): Promise<void> {
    const pending = this.log.addPending(newClientMsgId(), text.trim());
    this.view.pending(pending);
    await this.deliver(pending);
  }

  /** After a reconnect: everything not yet confirmed goes again, with the same ids. */
  resendPending(): void {
    for (const pending of this.log.pending()) if (pending.state === 'sending') void this.deliver(pending);
  }

  retry(clientMsgId: string): void {
    const pending = this.log.pending().find((p) => p.clientMsgId === clientMsgId);
    if (!pending) return;
    pending.state = 'sending';
    pending.errorCode = undefined;
    this.view.pending(pending);
    void this.deliver(pending);
  }

  private accept(message: Message): boolean {
    const result = this.log.receive(message);
    if (result.added) this.view.added(message);
    return result.added;
  }

  private async deliver(pending: PendingMessage): Promise<void> {
    const reply = await this.transport.send(this.conversationId, pending.clientMsgId, pending.text);
    if (reply.ok) {
      this.receive({ conversationId: this.conversationId, seq: reply.seq, at: reply.at, from: this.me, text: pending.text, clientMsgId: pending.clientMsgId });
      return;
    }
    if (TRANSIENT.has(reply.error.code)) {
      // Still "sending": resent on reconnect, or shortly if the socket is up and the answer got lost.
      if (this.transport.connected()) setTimeout(() => this.retryIfStillPending(pending), RETRY_WHILE_CONNECTED_MS);
      return;
    }
    this.log.fail(pending.clientMsgId, reply.error.code);
    this.view.pending(pending);
  }

  private retryIfStillPending(pending: PendingMessage): void {
    const still = this.log.pending().includes(pending) && pending.state === 'sending';
    if (still && this.transport.connected()) void this.deliver(pending);
  }
}
