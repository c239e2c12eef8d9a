/**
 * Alerts (flag, long wait, nobody available): the newest is announced at once (role="alert") with
 * a tone; all stay listed until dismissed, and the tab title counts them.
 */
import type { Alert } from '../../shared/protocol';
import { h, mount } from '../ui/dom';
import { formatTime } from '../ui/format';
import type { StaffI18n } from '../ui/staff-i18n';
import { TitleBadge } from '../ui/title-badge';
import { playTone } from '../ui/tone';

interface Entry {
  id: number;
  alert: Alert;
}

export class AlertsView {
  readonly el = h('section', { class: 'alerts card', 'aria-labelledby': 'alerts-heading' });
  private readonly announcer = h('div', { class: 'sr-only', role: 'alert' });
  private readonly list = h('ul', { class: 'alert-list' });
  private entries: Entry[] = [];
  private next = 1;

  constructor(
    private readonly i18n: StaffI18n,
    private readonly title: TitleBadge,
  ) {
    this.render();
  }

  add(alert: Alert): void {
    this.entries = [{ id: this.next++, alert }, ...this.entries].slice(0, 50);
    playTone('alert');
    this.announcer.textContent = this.text(alert);
    this.renderList();
  }

  render(): void {
    mount(this.el, h('h2', { id: 'alerts-heading' }, this.i18n.t('alertsSection')), this.announcer, this.list);
    this.renderList();
  }

  private text(alert: Alert): string {
    const t = this.i18n.t.bind(this.i18n);
    if (alert.kind === 'flag') return t('alertFlag', { level: t(alert.level === 'urgent' ? 'flagLevel_urgent' : 'flagLevel_support') });
    return alert.kind === 'long_wait' ? t('alertLongWait') : t('alertNoListeners');
  }

  private renderList(): void {
    this.title.set(this.entries.length);
    this.el.classList.toggle('has-alerts', this.entries.length > 0);
    if (this.entries.length === 0) return mount(this.list, h('li', { class: 'hint' }, this.i18n.t('noAlerts')));
    mount(
      this.list,
      ...this.entries.map((entry) => {
        const dismiss = h('button', { type: 'button', class: 'button secondary small' }, this.i18n.t('alertDismiss'));
        dismiss.addEventListener('click', () => {
          this.entries = this.entries.filter((e) => e !== entry);
          this.renderList();
          this.el.querySelector<HTMLButtonElement>('.alert-item button')?.focus();
        });
        const urgent = entry.alert.kind !== 'flag' || entry.alert.level === 'urgent';
        return h(
          'li',
          { class: urgent ? 'alert-item alert-urgent' : 'alert-item' },
          h('span', { class: 'alert-text' }, h('time', { datetime: entry.alert.at }, formatTime(entry.alert.at, this.i18n.lang)), ' ', this.text(entry.alert)),
          dismiss,
        );
      }),
    );
  }
}
