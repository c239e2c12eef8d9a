/**
 * The top of the console: available/away, the live queue summary (announced politely), "take the
 * next one", and, when the server lists them, the waiting conversations to take by hand.
 */
import type { ListenerStatus, QueueSummary } from '../../shared/protocol';
import { h, mount, uid } from '../ui/dom';
import { formatDuration } from '../ui/format';
import { errorText, type StaffI18n } from '../ui/staff-i18n';

/** Optional extension of QueueSummary: the waiting conversations this listener may take. */
export interface WaitingItem {
  conversationId: string;
  language: string;
  urgent: boolean;
  waitedSeconds: number;
  topic?: string;
}
type SummaryWithList = QueueSummary & { list?: WaitingItem[] };

export interface QueueHandlers {
  setStatus(status: ListenerStatus): Promise<string | undefined>;
  take(conversationId?: string): Promise<string | undefined>;
}

export class QueueBar {
  readonly el = h('section', { class: 'queue-bar card', 'aria-labelledby': 'queue-heading' });
  /** Unknown until the server's first state: the choices wait for it, so no click is lost to it. */
  private status: ListenerStatus | null = null;
  private summary: SummaryWithList = { waiting: 0, urgent: 0, byLanguage: {}, oldestWaitSeconds: 0 };
  private readonly summaryLine = h('p', { class: 'queue-summary', 'aria-live': 'polite', 'aria-atomic': 'true' });
  private readonly waitingList = h('div', { class: 'waiting-list' });
  private readonly out = h('p', { class: 'error', role: 'alert' });
  private readonly radioName = uid('status');
  private languages: readonly string[] = [];

  constructor(
    private readonly i18n: StaffI18n,
    private readonly handlers: QueueHandlers,
  ) {
    this.render();
  }

  setStatus(status: ListenerStatus): void {
    this.status = status;
    for (const radio of this.el.querySelectorAll<HTMLInputElement>(`input[name="${this.radioName}"]`)) {
      radio.checked = radio.value === status;
      radio.disabled = false;
    }
  }

  /** The listener's languages: only those waiting conversations can be taken by hand. */
  setLanguages(languages: readonly string[]): void {
    this.languages = languages;
    this.renderWaitingList();
  }

  setQueue(summary: QueueSummary): void {
    this.summary = summary;
    this.renderSummary();
  }

  render(): void {
    const t = this.i18n.t.bind(this.i18n);
    const radios = (['available', 'away'] as const).map((value) => {
      const id = `${this.radioName}-${value}`;
      const input = h('input', { type: 'radio', name: this.radioName, id, value, checked: this.status === value, disabled: this.status === null });
      input.addEventListener('change', () => void this.changeStatus(value));
      return h('span', { class: `segment segment-${value}` }, input, h('label', { for: id }, t(value)));
    });
    const take = h('button', { type: 'button', class: 'button primary' }, t('takeNext'));
    take.addEventListener('click', () => void this.take(take));
    mount(
      this.el,
      h('h2', { id: 'queue-heading', class: 'sr-only' }, t('queueHeading')),
      h('fieldset', { class: 'segmented' }, h('legend', null, t('yourStatus')), ...radios),
      h('div', { class: 'queue-info' }, this.summaryLine, take),
      this.waitingList,
      this.out,
    );
    this.renderSummary();
  }

  private renderSummary(): void {
    const t = this.i18n.t.bind(this.i18n);
    const s = this.summary;
    if (s.waiting === 0) {
      this.summaryLine.textContent = t('nobodyWaiting');
    } else {
      const langs = Object.entries(s.byLanguage)
        .filter(([, n]) => n > 0)
        .map(([lang, n]) => `${lang.toUpperCase()} ${n}`)
        .join(', ');
      const parts = [t('waitingCount', { n: s.waiting }), langs ? `(${langs})` : '', s.urgent > 0 ? t('urgentCount', { n: s.urgent }) : '', t('oldestWait', { time: formatDuration(s.oldestWaitSeconds, this.i18n.lang) })];
      this.summaryLine.textContent = parts.filter(Boolean).join(' · ');
    }
    this.summaryLine.classList.toggle('has-urgent', s.urgent > 0);
    this.renderWaitingList();
  }

  private renderWaitingList(): void {
    const list = this.summary.list?.filter((item) => this.languages.includes(item.language));
    if (!list || list.length === 0) return mount(this.waitingList);
    const t = this.i18n.t.bind(this.i18n);
    mount(
      this.waitingList,
      h('h3', null, t('waitingList')),
      h(
        'ul',
        { class: 'plain-list' },
        ...list.map((item) => {
          const take = h('button', { type: 'button', class: 'button secondary small' }, t('take'));
          take.addEventListener('click', () => void this.take(take, item.conversationId));
          const topic = item.topic ? (this.i18n.maybe(`topic.${item.topic}`) ?? item.topic) : t('notGiven');
          return h('li', null, `${item.language.toUpperCase()} · ${topic} · ${formatDuration(item.waitedSeconds, this.i18n.lang)} `, item.urgent ? h('span', { class: 'badge danger' }, t('urgent')) : null, ' ', take);
        }),
      ),
    );
  }

  private async changeStatus(status: ListenerStatus): Promise<void> {
    const previous = this.status;
    this.status = status;
    const code = await this.handlers.setStatus(status);
    this.out.textContent = code ? errorText(this.i18n, code) : '';
    if (code && previous) this.setStatus(previous);
  }

  private async take(button: HTMLButtonElement, conversationId?: string): Promise<void> {
    button.disabled = true;
    const code = await this.handlers.take(conversationId);
    button.disabled = false;
    this.out.textContent = code ? errorText(this.i18n, code) : '';
  }
}
