/**
 * Conversations as tabs (WAI-ARIA tabs pattern, automatic activation): arrow keys, Home and End move
 * between them; each tab shows its unread count and whether it is urgent or finished.
 */
import { h, mount } from '../ui/dom';
import type { StaffI18n } from '../ui/staff-i18n';
import type { ConversationPanel } from './conversation-panel';

export class ConversationTabs {
  readonly el: HTMLElement;
  selected: ConversationPanel | undefined;
  private readonly list: HTMLElement;
  private readonly panelsBox = h('div', { class: 'panels' });
  private readonly empty = h('p', { class: 'empty hint' });
  private panels: ConversationPanel[] = [];

  constructor(
    private readonly i18n: StaffI18n,
    private readonly onSelect: (panel: ConversationPanel) => void,
  ) {
    this.list = h('div', { class: 'tablist', role: 'tablist', 'aria-label': i18n.t('conversationsLabel') });
    this.el = h('section', { class: 'conversations' }, this.list, this.empty, this.panelsBox);
  }

  render(panels: ConversationPanel[]): void {
    this.panels = panels;
    const hadFocus = this.list.contains(document.activeElement) ? document.activeElement?.id : undefined;
    this.list.setAttribute('aria-label', this.i18n.t('conversationsLabel'));
    mount(this.list, ...panels.map((p) => this.tab(p)));
    this.empty.textContent = panels.length === 0 ? this.i18n.t('noConversations') : '';
    for (const panel of panels) {
      if (panel.el.parentElement !== this.panelsBox) this.panelsBox.append(panel.el);
      panel.el.hidden = panel !== this.selected;
    }
    if (hadFocus) document.getElementById(hadFocus)?.focus();
  }

  select(panel: ConversationPanel, focusTab = true): void {
    this.selected = panel;
    this.onSelect(panel);
    if (focusTab) document.getElementById(`tab-${panel.id}`)?.focus();
  }

  remove(panel: ConversationPanel, remaining: ConversationPanel[]): void {
    const index = this.panels.indexOf(panel);
    panel.el.remove();
    if (this.selected === panel) this.selected = remaining[Math.min(index, remaining.length - 1)];
    this.render(remaining);
    if (this.selected) this.select(this.selected, true);
  }

  private tab(panel: ConversationPanel): HTMLElement {
    const t = this.i18n.t.bind(this.i18n);
    const selected = panel === this.selected;
    const button = h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${panel.id}`,
        class: panel.finished ? 'tab tab-finished' : 'tab',
        'aria-selected': String(selected),
        'aria-controls': `panel-${panel.id}`,
        tabindex: selected ? '0' : '-1',
      },
      h('span', { class: 'tab-label' }, panel.label()),
      panel.view.urgent ? h('span', { class: 'badge danger' }, t('urgent')) : null,
      panel.unread > 0 ? h('span', { class: 'badge unread' }, t('unread', { n: panel.unread })) : null,
    );
    button.addEventListener('click', () => this.select(panel, false));
    button.addEventListener('keydown', (event) => this.onKey(event, panel));
    return button;
  }

  private onKey(event: KeyboardEvent, panel: ConversationPanel): void {
    const i = this.panels.indexOf(panel);
    const n = this.panels.length;
    const target =
      event.key === 'ArrowRight' ? this.panels[(i + 1) % n] : event.key === 'ArrowLeft' ? this.panels[(i - 1 + n) % n] : event.key === 'Home' ? this.panels[0] : event.key === 'End' ? this.panels[n - 1] : undefined;
    if (!target) return;
    event.preventDefault();
    this.select(target, true);
  }
}
