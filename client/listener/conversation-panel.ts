/**
 * One conversation in the console: who (anonymous facts only), the full history, the reply box with
 * quick replies, and the actions. It keeps its own ChatChannel so each conversation re-syncs alone.
 */
import type { ChatEnded, ConversationView, Message } from '../../shared/protocol';
import { ChatChannel, type ChannelView } from '../ui/chat-channel';
import { Composer } from '../ui/composer';
import { h, mount } from '../ui/dom';
import { formatDuration, formatTime } from '../ui/format';
import type { PendingMessage } from '../ui/message-log';
import { MessageList } from '../ui/message-list';
import { errorText } from '../ui/staff-i18n';
import { cannedPicker, expandSlash, matchCanned, slashQuery } from './canned';
import type { ConsoleContext } from './context';
import { actionsBar } from './panel-actions';
import { wrapUpForm } from './wrap-up';

const TYPING_STALE_MS = 10_000;

export interface PanelCallbacks {
  visitorMessage(panel: ConversationPanel): void;
  close(panel: ConversationPanel): void;
}

export class ConversationPanel implements ChannelView {
  readonly el: HTMLElement;
  readonly channel: ChatChannel;
  unread = 0;
  ended: ChatEnded | undefined;
  removed: 'transferred' | 'requeued' | undefined;
  private list: MessageList | undefined;
  private composer: Composer | undefined;
  private readonly typingLine = h('p', { class: 'typing' });
  private headerEl: HTMLElement | undefined;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** False while the history that came with the conversation is loaded: it is not "unread". */
  private ready = false;

  constructor(
    private readonly ctx: ConsoleContext,
    public view: ConversationView,
    readonly number: number,
    private readonly callbacks: PanelCallbacks,
  ) {
    this.el = h('section', { class: 'conv-panel', role: 'tabpanel', id: `panel-${view.id}`, 'aria-labelledby': `tab-${view.id}`, tabindex: '0' });
    this.channel = new ChatChannel(view.id, 'listener', ctx.conn, this);
    for (const message of view.messages ?? []) this.channel.receive(message);
    this.render();
    this.ready = true;
  }

  get id(): string {
    return this.view.id;
  }

  get finished(): boolean {
    return this.ended !== undefined || this.removed !== undefined;
  }

  label(): string {
    const topic = this.view.topic ? (this.ctx.i18n.maybe(`topic.${this.view.topic}`) ?? this.view.topic) : this.ctx.i18n.t('notGiven');
    return `${this.number}. ${this.view.language.toUpperCase()} · ${topic}`;
  }

  added(message: Message): void {
    this.list?.add(message, this.channel.log);
    if (message.from === 'visitor' && this.ready) {
      this.setTyping(false);
      this.callbacks.visitorMessage(this);
    }
  }

  pending(message: PendingMessage): void {
    this.list?.addPending(message);
    this.list?.updatePending(message);
  }

  setTyping(isTyping: boolean): void {
    this.typingLine.textContent = isTyping && !this.finished ? this.ctx.i18n.t('visitorTyping') : '';
    clearTimeout(this.typingTimer);
    // A "stopped typing" lost with a connection must not leave the indicator on forever.
    if (isTyping) this.typingTimer = setTimeout(() => this.setTyping(false), TYPING_STALE_MS);
  }

  /** New facts about the conversation (flag, state after a reconnect). */
  update(view: ConversationView): void {
    this.view = { ...view, messages: undefined };
    const fresh = this.header();
    this.headerEl?.replaceWith(fresh);
    this.headerEl = fresh;
  }

  markEnded(update: ChatEnded): void {
    this.ended = update;
    this.render();
  }

  markRemoved(reason: 'transferred' | 'requeued'): void {
    this.removed = reason;
    this.render();
  }

  render(): void {
    const draft = this.composer?.value ?? '';
    this.list = this.messageList();
    this.list.renderAll(this.channel.log);
    this.composer = this.finished ? undefined : this.replyBox();
    if (this.composer) this.composer.value = draft;
    this.headerEl = this.header();
    mount(this.el, this.headerEl, this.endNotice(), this.list.el, this.typingLine, this.composer ? this.composerArea(this.composer) : null, this.footer());
    this.list.scrollToBottom();
  }

  private header(): HTMLElement {
    const t = this.ctx.i18n.t.bind(this.ctx.i18n);
    const v = this.view;
    const item = (term: string, value: string) => h('div', null, h('dt', null, term), h('dd', null, value));
    return h(
      'div',
      { class: 'conv-head' },
      h('h2', null, this.label(), v.urgent ? h('span', { class: 'badge danger' }, t('urgent')) : null, v.flag ? h('span', { class: 'badge' }, t('flagged', { level: t(`flagLevel_${v.flag}`) })) : null),
      h(
        'dl',
        { class: 'meta' },
        item(t('metaLanguage'), this.ctx.i18n.maybe(`lang.${v.language}`) ?? v.language),
        item(t('metaTopic'), v.topic ? (this.ctx.i18n.maybe(`topic.${v.topic}`) ?? v.topic) : t('notGiven')),
        item(t('metaAge'), v.ageRange ? (this.ctx.i18n.maybe(`age.${v.ageRange}`) ?? v.ageRange) : t('notGiven')),
        item(t('metaWaited'), formatDuration(v.waitedSeconds, this.ctx.i18n.lang)),
        item(t('metaStarted'), formatTime(v.startedAt, this.ctx.i18n.lang)),
      ),
    );
  }

  private endNotice(): HTMLElement | null {
    const t = this.ctx.i18n.t.bind(this.ctx.i18n);
    if (this.removed) return h('p', { class: 'notice', role: 'status' }, t(this.removed === 'transferred' ? 'removedTransferred' : 'removedRequeued'));
    const ended = this.ended;
    if (!ended) return null;
    const key =
      ended.reason === 'quick_exit' ? 'endedQuickExit' : ended.reason === 'blocked' ? 'endedBlocked' : ended.endedBy === 'visitor' ? 'endedVisitor' : ended.endedBy === 'system' ? 'endedSystem' : 'endedListener';
    return h('p', { class: ended.reason === 'quick_exit' ? 'notice warn ended-note' : 'notice ended-note', role: 'status' }, t(key));
  }

  private messageList(): MessageList {
    const i18n = this.ctx.i18n;
    return new MessageList(
      {
        me: 'listener',
        listLabel: () => i18n.t('messagesLabel'),
        who: (from) => (from === 'listener' ? i18n.t('youLabel') : i18n.t('youngPerson')),
        system: (m) => i18n.maybe(`sys.${m.code ?? 'other'}`) ?? i18n.t('sys.other'),
        time: (iso) => formatTime(iso, i18n.lang),
        sending: () => i18n.t('sending'),
        sent: () => i18n.t('sent'),
        failed: (code) => i18n.t('notSent', { reason: errorText(i18n, code) }),
        retry: () => i18n.t('retry'),
      },
      (id) => this.channel.retry(id),
    );
  }

  private replyBox(): Composer {
    const i18n = this.ctx.i18n;
    return new Composer({
      label: i18n.t('replyLabel'),
      sendLabel: i18n.t('send'),
      hint: i18n.t('cannedHint'),
      maxLength: this.ctx.maxMessageLength,
      charsLeft: (n) => i18n.t('charsLeft', { n }),
      tooLongBy: (n) => i18n.t('tooLongBy', { n }),
      onSend: (text) => void this.channel.send(text),
      onTyping: (on) => this.ctx.conn.typing(this.id, on),
      onKey: (event, textarea) => expandSlash(event, textarea, this.ctx.canned(this.view.language)),
    });
  }

  private composerArea(composer: Composer): HTMLElement {
    const list = this.ctx.canned(this.view.language);
    const suggestions = h('p', { class: 'hint canned-suggest', 'aria-live': 'polite' });
    composer.textarea.addEventListener('input', () => {
      const query = slashQuery(composer.value);
      suggestions.textContent = query === undefined ? '' : matchCanned(list, query).map((r) => `/${r.id} ${r.title}`).slice(0, 4).join(' · ');
    });
    return h('div', { class: 'reply' }, composer.el, suggestions, cannedPicker(this.ctx.i18n, list, (r) => composer.insert(r.text)));
  }

  private footer(): HTMLElement {
    const t = this.ctx.i18n.t.bind(this.ctx.i18n);
    const close = h('button', { type: 'button', class: 'button secondary small', onclick: () => this.callbacks.close(this) }, t('closeTab'));
    if (this.removed) return h('div', { class: 'actions' }, close);
    if (this.ended) {
      const form = wrapUpForm(this.ctx.i18n, this.ctx.topics, true, (outcome) => this.endWith(outcome));
      return h('div', { class: 'conv-foot' }, form, h('div', { class: 'actions' }, close));
    }
    return actionsBar(this.ctx.i18n, {
      language: this.view.language,
      transfer: async (to) => this.code(await this.ctx.conn.transfer(this.id, to)),
      flag: async (level) => {
        const code = this.code(await this.ctx.conn.flag(this.id, level));
        if (!code) this.update({ ...this.view, flag: level });
        return code;
      },
      block: async (reason) => this.code(await this.ctx.conn.block(this.id, reason)),
      end: (area) => mount(area, wrapUpForm(this.ctx.i18n, this.ctx.topics, false, (outcome) => this.endWith(outcome))),
    });
  }

  private async endWith(outcome: Parameters<ConsoleContext['conn']['end']>[1]): Promise<string | undefined> {
    const code = this.code(await this.ctx.conn.end(this.id, outcome));
    if (!code) this.callbacks.close(this);
    return code;
  }

  private code(reply: { ok: true } | { ok: false; error: { code: string } }): string | undefined {
    return reply.ok ? undefined : reply.error.code;
  }
}
