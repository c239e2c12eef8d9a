/**
 * The on-screen list of one conversation, in seq order, as a live region (role="log") so screen
 * readers announce new messages. A pending message keeps its element when the server confirms it,
 * so it is announced once and only its state changes ("Sending…" to "Sent").
 */
import type { Message, Sender } from '../../shared/protocol';
import { h } from './dom';
import type { MessageLog, PendingMessage } from './message-log';

export interface MessageListLabels {
  /** Who "I" am on this page: my messages are styled and labelled as mine. */
  me: Sender;
  listLabel(): string;
  who(from: Sender): string;
  system(message: Message): string;
  time(iso: string): string;
  sending(): string;
  sent(): string;
  failed(code: string): string;
  retry(): string;
}

export class MessageList {
  readonly el: HTMLDivElement;
  private readonly bySeq = new Map<number, HTMLElement>();
  private readonly byClientId = new Map<string, HTMLElement>();

  constructor(
    private readonly labels: MessageListLabels,
    private readonly onRetry: (clientMsgId: string) => void,
  ) {
    // Focusable so keyboard users can scroll it; named so the region is announced with a purpose.
    this.el = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0', 'aria-label': labels.listLabel() });
  }

  /** Shows a confirmed message once, in its place by seq. */
  add(message: Message, log: MessageLog): void {
    if (this.bySeq.has(message.seq)) return;
    const stickToBottom = this.isNearBottom();
    const existing = message.clientMsgId ? this.byClientId.get(message.clientMsgId) : undefined;
    const item = existing ?? this.render(message);
    if (existing) {
      this.byClientId.delete(message.clientMsgId ?? '');
      this.setState(existing, this.labels.sent(), false, message.at);
    }
    item.dataset.seq = String(message.seq);
    this.bySeq.set(message.seq, item);
    const next = log.nextKnownAfter(message.seq);
    const before = next === undefined ? this.firstPending() : this.bySeq.get(next);
    if (before !== item && (item.nextElementSibling !== (before ?? null) || !item.parentElement)) this.el.insertBefore(item, before ?? null);
    if (stickToBottom) this.scrollToBottom();
  }

  addPending(pending: PendingMessage): void {
    if (this.byClientId.has(pending.clientMsgId)) return this.updatePending(pending);
    const item = this.bubble(this.labels.me, pending.text, undefined);
    item.dataset.clientId = pending.clientMsgId;
    this.byClientId.set(pending.clientMsgId, item);
    this.setState(item, this.labels.sending(), false);
    this.el.append(item);
    this.scrollToBottom();
  }

  updatePending(pending: PendingMessage): void {
    const item = this.byClientId.get(pending.clientMsgId);
    if (!item) return;
    const failed = pending.state === 'failed';
    this.setState(item, failed ? this.labels.failed(pending.errorCode ?? 'internal') : this.labels.sending(), failed, undefined, pending.clientMsgId);
  }

  /** Rebuilds everything, after a language change. */
  renderAll(log: MessageLog): void {
    this.el.setAttribute('aria-label', this.labels.listLabel());
    this.el.replaceChildren();
    this.bySeq.clear();
    this.byClientId.clear();
    for (const message of log.messages()) this.add(message, log);
    for (const pending of log.pending()) {
      this.addPending(pending);
      this.updatePending(pending);
    }
    this.scrollToBottom();
  }

  scrollToBottom(): void {
    this.el.scrollTop = this.el.scrollHeight;
  }

  private isNearBottom(): boolean {
    return this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 80;
  }

  private firstPending(): HTMLElement | undefined {
    return this.byClientId.values().next().value;
  }

  private render(message: Message): HTMLElement {
    if (message.from === 'system') {
      return h('p', { class: 'msg msg-system' }, this.labels.system(message), ' ', h('time', { datetime: message.at }, this.labels.time(message.at)));
    }
    const item = this.bubble(message.from, message.text, message.at);
    if (message.from === this.labels.me) this.setState(item, this.labels.sent(), false, message.at);
    return item;
  }

  private bubble(from: Sender, text: string, at: string | undefined): HTMLElement {
    const mine = from === this.labels.me;
    return h(
      'div',
      { class: mine ? 'msg msg-mine' : 'msg msg-theirs' },
      h('p', { class: 'msg-who' }, this.labels.who(from)),
      h('p', { class: 'msg-text' }, text),
      h('p', { class: 'msg-meta' }, at ? h('time', { datetime: at }, this.labels.time(at)) : null),
    );
  }

  private setState(item: HTMLElement, label: string, failed: boolean, at?: string, clientMsgId?: string): void {
    const meta = item.querySelector('.msg-meta');
    if (!meta) return;
    item.classList.toggle('msg-failed', failed);
    const time = at ? h('time', { datetime: at }, this.labels.time(at)) : null;
    const retry = failed && clientMsgId ? h('button', { type: 'button', class: 'link-button', onclick: () => this.onRetry(clientMsgId) }, this.labels.retry()) : null;
    meta.replaceChildren(...[time, time ? ' · ' : null, h('span', { class: 'msg-state' }, label), retry ? ' ' : null, retry].filter((n): n is HTMLElement | string => n !== null));
  }
}
