/**
 * One conversation's messages as the client knows them: confirmed messages keyed by `seq` (so a
 * message that arrives twice, by broadcast and by sync, is kept once), and the client's own messages
 * still waiting for the server's `seq` (kept with their `clientMsgId` so a resend is idempotent).
 */
import type { Message } from '../../shared/protocol';

export interface PendingMessage {
  clientMsgId: string;
  text: string;
  /** `failed` only for answers that resending cannot fix (too long, no conversation). */
  state: 'sending' | 'failed';
  errorCode?: string;
}

export interface ReceiveResult {
  /** False when this seq was already known. */
  added: boolean;
  /** The pending message this one confirms, if any. */
  confirmed?: PendingMessage;
}

export class MessageLog {
  private readonly bySeq = new Map<number, Message>();
  private readonly pendingById = new Map<string, PendingMessage>();
  private contiguous = 0;

  constructor(readonly conversationId: string) {}

  /** The highest seq up to which nothing is missing: what `sync` asks after. */
  get lastSeq(): number {
    return this.contiguous;
  }

  /** True when a later message arrived before an earlier one: the client should call `sync`. */
  get hasGap(): boolean {
    for (const seq of this.bySeq.keys()) if (seq > this.contiguous) return true;
    return false;
  }

  receive(message: Message): ReceiveResult {
    if (message.conversationId !== this.conversationId || this.bySeq.has(message.seq)) return { added: false };
    this.bySeq.set(message.seq, message);
    while (this.bySeq.has(this.contiguous + 1)) this.contiguous += 1;
    const confirmed = message.clientMsgId ? this.pendingById.get(message.clientMsgId) : undefined;
    if (confirmed) this.pendingById.delete(confirmed.clientMsgId);
    return { added: true, confirmed };
  }

  addPending(clientMsgId: string, text: string): PendingMessage {
    const pending: PendingMessage = { clientMsgId, text, state: 'sending' };
    this.pendingById.set(clientMsgId, pending);
    return pending;
  }

  fail(clientMsgId: string, errorCode: string): PendingMessage | undefined {
    const pending = this.pendingById.get(clientMsgId);
    if (pending) {
      pending.state = 'failed';
      pending.errorCode = errorCode;
    }
    return pending;
  }

  /** Drops a failed message the person chose not to resend. */
  discard(clientMsgId: string): void {
    this.pendingById.delete(clientMsgId);
  }

  /** Messages still waiting for a seq, oldest first (Map keeps insertion order). */
  pending(): PendingMessage[] {
    return [...this.pendingById.values()];
  }

  messages(): Message[] {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The seq of the next known message after `seq`, to place a late message before it on screen. */
  nextKnownAfter(seq: number): number | undefined {
    let best: number | undefined;
    for (const other of this.bySeq.keys()) if (other > seq && (best === undefined || other < best)) best = other;
    return best;
  }
}
