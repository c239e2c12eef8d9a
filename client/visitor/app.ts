/**
 * The visitor page's state machine. The server's `session` event is the truth about the phase
 * (idle, queued, chatting, ended); the page adds the intro/closed screens and remembers which
 * ended conversation the visitor already left behind.
 */
import type { ChatEnded, Message, ServiceStatus, VisitorState } from '../../shared/protocol';
import { ChatChannel } from '../ui/chat-channel';
import { focusQuietly, mount } from '../ui/dom';
import { api } from '../ui/http';
import type { PendingMessage } from '../ui/message-log';
import { playTone } from '../ui/tone';
import type { VisitorContext } from './context';
import { VisitorConnection, type StartChoices } from './visitor-connection';
import { closedView } from './views/closed';
import { ConversationScreen } from './views/conversation';
import { type EndedInfo, endedView } from './views/ended';
import { type IntroDraft, emptyDraft, introView } from './views/intro';

type Screen = { kind: 'intro' } | { kind: 'conversation' } | { kind: 'ended'; info: EndedInfo };

export class VisitorApp {
  readonly connection: VisitorConnection;
  private screen: Screen = { kind: 'intro' };
  private channel: ChatChannel | undefined;
  private conversation: ConversationScreen | undefined;
  private phase: 'queued' | 'chatting' = 'queued';
  private queue = { position: 0, estimatedWaitSeconds: 0 };
  private listenerName: string | undefined;
  private soundOn = false;
  private draft: IntroDraft = emptyDraft();
  private leftBehind: string | undefined;
  private unseen = 0;
  /** False until the first `session`: the screen it leads to is the page load, not a change to announce. */
  private settled = false;

  constructor(
    private readonly ctx: VisitorContext,
    private readonly main: HTMLElement,
    private readonly onConnection: (up: boolean) => void,
  ) {
    this.connection = new VisitorConnection({
      session: (state) => this.onSession(state),
      queue: (u) => this.onQueue(u.conversationId, u.position, u.estimatedWaitSeconds),
      assigned: (u) => this.onAssigned(u.conversationId, u.listener.displayName),
      message: (m) => this.channel?.receive(m),
      typing: (on) => this.conversation?.setTyping(on),
      ended: (u) => this.onEnded(u),
      connection: (up) => this.onConnection(up),
    });
    ctx.i18n.onChange(() => this.render());
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.setUnseen(0);
    });
    this.render();
  }

  /** True while there is something on the server to end (for quick exit). */
  get chatRunning(): boolean {
    return this.screen.kind === 'conversation';
  }

  private onSession(state: VisitorState): void {
    this.applySession(state);
    this.settled = true;
  }

  private applySession(state: VisitorState): void {
    if (state.phase === 'idle') {
      if (this.screen.kind === 'conversation') this.show({ kind: 'intro' });
      return;
    }
    if (state.phase === 'ended') {
      if (state.conversationId !== this.leftBehind && !(this.screen.kind === 'ended' && this.screen.info.conversationId === state.conversationId)) {
        this.showEnded(state.conversationId, state.endedBy);
      }
      return;
    }
    const channel = this.ensureChannel(state.conversationId);
    if (state.phase === 'queued') {
      this.phase = 'queued';
      this.queue = { position: state.position, estimatedWaitSeconds: state.estimatedWaitSeconds };
      this.conversation?.setQueued();
      this.conversation?.setQueue(state.position, state.estimatedWaitSeconds);
    } else {
      this.phase = 'chatting';
      this.listenerName = state.listener.displayName;
      this.conversation?.setChatting(state.listener.displayName);
    }
    if (this.screen.kind !== 'conversation' || !this.conversation) this.show({ kind: 'conversation' });
    void channel.resync();
    channel.resendPending();
  }

  private ensureChannel(conversationId: string): ChatChannel {
    if (this.channel?.conversationId === conversationId) return this.channel;
    this.channel = new ChatChannel(conversationId, 'visitor', this.connection, {
      added: (m) => this.onAdded(m),
      pending: (p) => this.onPending(p),
    });
    this.conversation = undefined;
    return this.channel;
  }

  private onAdded(message: Message): void {
    this.conversation?.added(message);
    if (message.from !== 'visitor' && document.hidden) this.setUnseen(this.unseen + 1);
  }

  private onPending(pending: PendingMessage): void {
    this.conversation?.pending(pending);
  }

  private onQueue(conversationId: string, position: number, estimatedWaitSeconds: number): void {
    if (this.channel?.conversationId !== conversationId) return;
    this.queue = { position, estimatedWaitSeconds };
    this.conversation?.setQueue(position, estimatedWaitSeconds);
  }

  private onAssigned(conversationId: string, displayName: string): void {
    if (this.channel?.conversationId !== conversationId) return;
    this.phase = 'chatting';
    this.listenerName = displayName;
    this.conversation?.setChatting(displayName);
    if (this.soundOn) playTone('soft');
    if (document.hidden) this.setUnseen(this.unseen + 1);
  }

  private onEnded(update: ChatEnded): void {
    if (this.channel?.conversationId !== update.conversationId) return;
    this.showEnded(update.conversationId, update.endedBy);
  }

  private showEnded(conversationId: string, endedBy: EndedInfo['endedBy']): void {
    this.show({ kind: 'ended', info: { conversationId, endedBy, feedbackSent: false } });
  }

  private async start(choices: StartChoices): Promise<string | undefined> {
    const reply = await this.connection.start(choices);
    if (!reply.ok) {
      if (reply.error.code === 'closed') void this.refreshStatus();
      return reply.error.code;
    }
    this.draft = emptyDraft();
    // The server's `session` event may have come first (and even the assignment): it wins.
    if (this.channel?.conversationId !== reply.conversationId) {
      this.ensureChannel(reply.conversationId);
      this.phase = 'queued';
      this.queue = { position: reply.position, estimatedWaitSeconds: reply.estimatedWaitSeconds };
    }
    if (this.screen.kind !== 'conversation' || !this.conversation) this.show({ kind: 'conversation' });
    void this.channel?.resync();
    return undefined;
  }

  private async end(): Promise<void> {
    const reply = await this.connection.end();
    const id = this.channel?.conversationId;
    if (reply.ok && id && this.screen.kind === 'conversation') this.showEnded(id, 'visitor');
  }

  private async feedback(info: EndedInfo, rating: number, comment: string): Promise<string | undefined> {
    const reply = await this.connection.feedback(info.conversationId, rating, comment || undefined);
    return reply.ok ? undefined : reply.error.code;
  }

  private newChat(info: EndedInfo): void {
    this.leftBehind = info.conversationId;
    this.channel = undefined;
    this.conversation = undefined;
    this.listenerName = undefined;
    this.show({ kind: 'intro' });
    void this.refreshStatus();
  }

  /** Opening state and wait estimates change; the intro screen shows fresh ones. */
  private async refreshStatus(): Promise<void> {
    const reply = await api<ServiceStatus>('GET', '/api/status');
    if (!reply.ok) return;
    const wasOpen = this.ctx.status.open;
    this.ctx.status = reply.data;
    if (this.screen.kind === 'intro' && wasOpen !== reply.data.open) this.render(true);
  }

  private show(screen: Screen): void {
    this.screen = screen;
    this.render(this.settled);
  }

  private setUnseen(count: number): void {
    this.unseen = count;
    const title = this.ctx.i18n.t('tabTitle');
    document.title = count > 0 ? `(${count}) ${title}` : title;
  }

  private render(moveFocus = false): void {
    this.setUnseen(this.unseen);
    const screen = this.screen;
    if (screen.kind === 'intro') {
      const view = this.ctx.status.open ? introView(this.ctx, this.draft, (c) => this.start(c)) : closedView(this.ctx);
      mount(this.main, view);
    } else if (screen.kind === 'ended') {
      mount(this.main, endedView(this.ctx, screen.info, { feedback: (r, c) => this.feedback(screen.info, r, c), newChat: () => this.newChat(screen.info) }));
    } else {
      this.renderConversation();
    }
    if (moveFocus) focusQuietly(this.main.querySelector('h1'));
  }

  private renderConversation(): void {
    const channel = this.channel;
    if (!channel) return;
    const draft = this.conversation?.draft ?? '';
    this.conversation = new ConversationScreen(
      this.ctx,
      { phase: this.phase, ...this.queue, listenerName: this.listenerName, soundOn: this.soundOn },
      channel,
      {
        send: (text) => void channel.send(text),
        retry: (id) => channel.retry(id),
        typing: (on) => this.connection.typing(on),
        end: () => void this.end(),
        setSound: (on) => (this.soundOn = on),
      },
    );
    this.conversation.draft = draft;
    mount(this.main, this.conversation.el);
  }
}
