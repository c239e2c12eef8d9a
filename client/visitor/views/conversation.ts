/**
 * Waiting and chatting share one screen: the visitor can already write while queued. The top panel
 * shows the queue position (announced when it changes) or who they are talking to.
 */
import type { Message } from '../../../shared/protocol';
import type { ChatChannel, ChannelView } from '../../ui/chat-channel';
import { Composer } from '../../ui/composer';
import { confirmInline } from '../../ui/confirm-inline';
import { h, uid } from '../../ui/dom';
import { formatMinutes, formatTime } from '../../ui/format';
import type { PendingMessage } from '../../ui/message-log';
import { MessageList } from '../../ui/message-list';
import { LONG_WAIT_SECONDS, type VisitorContext, errorText } from '../context';
import { resourcesView } from './resources';

export interface ConversationInfo {
  phase: 'queued' | 'chatting';
  position: number;
  estimatedWaitSeconds: number;
  listenerName?: string;
  soundOn: boolean;
}

export interface ConversationHandlers {
  send(text: string): void;
  retry(clientMsgId: string): void;
  typing(isTyping: boolean): void;
  end(): void;
  setSound(on: boolean): void;
}

export class ConversationScreen implements ChannelView {
  readonly el: HTMLElement;
  private readonly panel = h('section', { class: 'chat-status' });
  private readonly list: MessageList;
  private readonly typingLine = h('p', { class: 'typing' });
  private readonly composer: Composer;
  private queueLine: HTMLElement | undefined;

  constructor(
    private readonly ctx: VisitorContext,
    private readonly info: ConversationInfo,
    private readonly channel: ChatChannel,
    private readonly handlers: ConversationHandlers,
  ) {
    const t = ctx.i18n.t.bind(ctx.i18n);
    this.list = new MessageList(
      {
        me: 'visitor',
        listLabel: () => t('logLabel'),
        who: (from) => (from === 'visitor' ? t('you') : this.listenerName()),
        system: (m: Message) => ctx.i18n.maybe(`sys.${m.code ?? 'other'}`) ?? t('sys.other'),
        time: (iso) => formatTime(iso, ctx.i18n.lang),
        sending: () => t('sending'),
        sent: () => t('sent'),
        failed: (code) => t('notSent', { reason: errorText(ctx, code) }),
        retry: () => t('retry'),
      },
      (id) => handlers.retry(id),
    );
    this.composer = new Composer({
      label: t('messageLabel'),
      sendLabel: t('send'),
      maxLength: ctx.status.maxMessageLength,
      charsLeft: (n) => t('charsLeft', { n }),
      tooLongBy: (n) => t('tooLongBy', { n }),
      onSend: (text) => handlers.send(text),
      onTyping: (on) => handlers.typing(on),
    });
    this.el = h('div', { class: 'conversation' }, this.panel, this.list.el, this.typingLine, this.composer.el);
    this.renderPanel();
    this.list.renderAll(channel.log);
  }

  get draft(): string {
    return this.composer.value;
  }

  set draft(text: string) {
    this.composer.value = text;
  }

  setQueue(position: number, estimatedWaitSeconds: number): void {
    this.info.position = position;
    this.info.estimatedWaitSeconds = estimatedWaitSeconds;
    if (this.info.phase === 'queued' && this.queueLine) this.queueLine.textContent = this.queueText();
  }

  setChatting(listenerName: string): void {
    const changed = this.info.phase !== 'chatting' || this.info.listenerName !== listenerName;
    this.info.phase = 'chatting';
    this.info.listenerName = listenerName;
    if (changed) this.renderPanel();
  }

  setQueued(): void {
    if (this.info.phase === 'queued') return;
    this.info.phase = 'queued';
    this.renderPanel();
    this.setTyping(false);
  }

  setTyping(isTyping: boolean): void {
    this.typingLine.textContent = isTyping ? this.ctx.i18n.t('typing', { name: this.listenerName() }) : '';
  }

  added(message: Message): void {
    this.list.add(message, this.channel.log);
  }

  pending(message: PendingMessage): void {
    this.list.addPending(message);
    this.list.updatePending(message);
  }

  private listenerName(): string {
    return this.info.listenerName ?? this.ctx.i18n.t('aListener');
  }

  private queueText(): string {
    const t = this.ctx.i18n.t.bind(this.ctx.i18n);
    const { position, estimatedWaitSeconds: eta } = this.info;
    const where = position <= 1 ? t('queueNext') : t('queuePosition', { n: position });
    const when = eta < 60 ? t('queueEtaSoon') : eta >= LONG_WAIT_SECONDS ? t('queueEtaLong') : t('queueEta', { time: formatMinutes(eta, this.ctx.i18n.lang) });
    return `${where} ${when}`;
  }

  private renderPanel(): void {
    const t = this.ctx.i18n.t.bind(this.ctx.i18n);
    if (this.info.phase === 'chatting') {
      this.queueLine = undefined;
      this.panel.replaceChildren(
        h('h1', { class: 'chat-with' }, t('chatWith', { name: this.listenerName() })),
        confirmInline({ label: t('endChat'), question: t('endConfirm'), yes: t('endYes'), no: t('keepTalking'), onYes: () => this.handlers.end() }),
      );
      return;
    }
    this.queueLine = h('p', { class: 'queue-line', 'aria-live': 'polite', 'aria-atomic': 'true' }, this.queueText());
    const soundId = uid('sound');
    const sound = h('input', { type: 'checkbox', id: soundId, checked: this.info.soundOn });
    sound.addEventListener('change', () => {
      this.info.soundOn = sound.checked;
      this.handlers.setSound(sound.checked);
    });
    this.panel.replaceChildren(
      h('h1', null, t('queueHeading')),
      this.queueLine,
      h('p', { class: 'hint' }, t('queueBackground')),
      h('div', { class: 'field check' }, sound, h('label', { for: soundId }, t('queueSound'))),
      h('p', { class: 'hint' }, t('queueMeanwhile')),
      h('details', { class: 'cant-wait' }, h('summary', null, t('cantWait')), resourcesView(this.ctx)),
      confirmInline({ label: t('leaveQueue'), question: t('leaveConfirm'), yes: t('leaveYes'), no: t('stay'), onYes: () => this.handlers.end() }),
    );
  }
}
