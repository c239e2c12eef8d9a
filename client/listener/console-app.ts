/**
 * The listener console once signed in: the queue bar, one tab per conversation with unread counts,
 * a tone and a title count (never message text) when something new arrives, and a full re-sync of
 * every open conversation after each reconnect.
 */
import type { ListenerState } from '../../shared/events';
import type { ChatEnded, ConversationView, Message, QueueSummary } from '../../shared/protocol';
import { ConnectionStatus } from '../ui/connection-status';
import { h, mount } from '../ui/dom';
import { TitleBadge } from '../ui/title-badge';
import { playTone } from '../ui/tone';
import type { ConsoleContext } from './context';
import { ConversationPanel } from './conversation-panel';
import { QueueBar } from './queue-bar';
import { ConversationTabs } from './tabs';

export class ConsoleApp {
  private readonly panels = new Map<string, ConversationPanel>();
  private readonly queueBar: QueueBar;
  private readonly tabs: ConversationTabs;
  private readonly conn: ConnectionStatus;
  private readonly announcer = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  private readonly title: TitleBadge;
  private counter = 0;

  constructor(
    private readonly ctx: ConsoleContext,
    root: HTMLElement,
  ) {
    const t = ctx.i18n.t.bind(ctx.i18n);
    this.title = new TitleBadge(t('consoleTitle'));
    this.conn = new ConnectionStatus({ reconnecting: () => t('reconnecting'), back: () => t('reconnected') });
    this.queueBar = new QueueBar(ctx.i18n, {
      setStatus: async (status) => this.code(await ctx.conn.setStatus(status)),
      take: (id) => this.take(id),
    });
    this.tabs = new ConversationTabs(ctx.i18n, (panel) => this.select(panel));
    mount(root, this.conn.el, this.queueBar.el, this.tabs.el, this.announcer);
    ctx.i18n.onChange(() => this.rerender());
    document.addEventListener('visibilitychange', () => this.markSeen());
  }

  onState(state: ListenerState): void {
    this.queueBar.setStatus(state.status);
    this.queueBar.setLanguages(state.user.languages);
    this.queueBar.setQueue(state.queue);
    const present = new Set(state.conversations.map((c) => c.id));
    for (const view of state.conversations) this.upsert(view, false);
    // Anything open here that the server no longer gives us went elsewhere while we were away.
    for (const panel of this.panels.values()) if (!present.has(panel.id) && !panel.finished) panel.markRemoved('requeued');
    for (const panel of this.panels.values()) {
      if (panel.finished) continue;
      void panel.channel.resync();
      panel.channel.resendPending();
    }
    this.tabs.render([...this.panels.values()]);
  }

  /** A conversation routed to us (or taken by hand: then it is shown at once). */
  onAssigned(view: ConversationView, byHand = false): void {
    const isNew = !this.panels.has(view.id);
    this.upsert(view, byHand);
    if (!isNew) return;
    const panel = this.panels.get(view.id);
    if (panel && (this.tabs.selected !== panel || document.hidden)) panel.unread = Math.max(panel.unread, 1);
    this.tabs.render([...this.panels.values()]);
    playTone('soft');
    this.announce(this.ctx.i18n.t('newConversation', { lang: this.ctx.i18n.maybe(`lang.${view.language}`) ?? view.language }));
    this.updateTitle();
  }

  onQueue(summary: QueueSummary): void {
    this.queueBar.setQueue(summary);
  }

  onMessage(message: Message): void {
    this.panels.get(message.conversationId)?.channel.receive(message);
  }

  onTyping(conversationId: string, isTyping: boolean): void {
    this.panels.get(conversationId)?.setTyping(isTyping);
  }

  onEnded(update: ChatEnded): void {
    const panel = this.panels.get(update.conversationId);
    if (!panel || panel.finished) return;
    panel.markEnded(update);
    if (update.endedBy !== 'listener') playTone(update.reason === 'quick_exit' ? 'alert' : 'soft');
    this.tabs.render([...this.panels.values()]);
  }

  onRemoved(conversationId: string, reason: 'transferred' | 'requeued'): void {
    const panel = this.panels.get(conversationId);
    if (!panel) return;
    panel.markRemoved(reason);
    this.tabs.render([...this.panels.values()]);
  }

  onConnection(up: boolean): void {
    if (up) this.conn.connected();
    else this.conn.lost();
  }

  private upsert(view: ConversationView, select: boolean): void {
    const stale = this.panels.get(view.id);
    // A conversation that left us (transfer, requeue) and came back starts a fresh panel.
    if (stale?.finished && view.state === 'active') this.close(stale);
    const existing = this.panels.get(view.id);
    if (existing) {
      existing.update(view);
      for (const message of view.messages ?? []) existing.channel.receive(message);
      return;
    }
    this.counter += 1;
    const panel = new ConversationPanel(this.ctx, view, this.counter, {
      visitorMessage: (p) => this.onVisitorMessage(p),
      close: (p) => this.close(p),
    });
    this.panels.set(view.id, panel);
    this.tabs.render([...this.panels.values()]);
    if (select || this.tabs.selected === undefined) this.tabs.select(panel, false);
  }

  private onVisitorMessage(panel: ConversationPanel): void {
    if (this.tabs.selected === panel && !document.hidden) return;
    panel.unread += 1;
    playTone('soft');
    this.tabs.render([...this.panels.values()]);
    this.updateTitle();
  }

  private select(panel: ConversationPanel): void {
    panel.unread = 0;
    this.tabs.render([...this.panels.values()]);
    this.updateTitle();
  }

  private markSeen(): void {
    const panel = this.tabs.selected;
    if (document.hidden || !panel) return this.updateTitle();
    this.select(panel);
  }

  private close(panel: ConversationPanel): void {
    this.panels.delete(panel.id);
    this.tabs.remove(panel, [...this.panels.values()]);
    this.updateTitle();
  }

  private async take(conversationId?: string): Promise<string | undefined> {
    const reply = await this.ctx.conn.accept(conversationId);
    if (!reply.ok) return reply.error.code;
    this.onAssigned(reply.conversation, true);
    return undefined;
  }

  private updateTitle(): void {
    let unread = 0;
    for (const panel of this.panels.values()) unread += panel.unread;
    this.title.set(unread);
  }

  private announce(text: string): void {
    this.announcer.textContent = text;
  }

  private rerender(): void {
    this.title.setBase(this.ctx.i18n.t('consoleTitle'));
    this.conn.render();
    this.queueBar.render();
    for (const panel of this.panels.values()) panel.render();
    this.tabs.render([...this.panels.values()]);
  }

  private code(reply: { ok: true } | { ok: false; error: { code: string } }): string | undefined {
    return reply.ok ? undefined : reply.error.code;
  }
}
