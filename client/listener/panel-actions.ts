/**
 * The actions on one conversation: transfer (queue or colleague), flag, block, end. One toolbar of
 * disclosure buttons; the chosen action's form opens below it, so nothing happens by one stray click.
 */
import type { FlagLevel, PresenceStatus } from '../../shared/protocol';
import { h, uid } from '../ui/dom';
import { api } from '../ui/http';
import { errorText, type StaffI18n } from '../ui/staff-i18n';

export interface Colleague {
  id: string;
  displayName: string;
  status: PresenceStatus;
  languages: string[];
  activeConversations?: number;
  maxConcurrent?: number;
}

/** Available, speaks the conversation's language, and has room (when the server says). */
function canTake(c: Colleague, language: string): boolean {
  const full = c.activeConversations !== undefined && c.maxConcurrent !== undefined && c.activeConversations >= c.maxConcurrent;
  return c.status === 'available' && c.languages.includes(language) && !full;
}

/** Colleagues who could take a conversation, or undefined when the server has no such route. */
export async function loadColleagues(): Promise<Colleague[] | undefined> {
  const reply = await api<{ colleagues: Colleague[] }>('GET', '/api/colleagues');
  if (!reply.ok) return reply.status === 404 ? undefined : [];
  return reply.data.colleagues;
}

export interface ActionHandlers {
  language: string;
  transfer(to: 'queue' | { listenerId: string }): Promise<string | undefined>;
  flag(level: FlagLevel): Promise<string | undefined>;
  block(reason: string): Promise<string | undefined>;
  /** Opens the wrap-up form in the given area. */
  end(area: HTMLElement): void;
}

type ActionKey = 'transfer' | 'flag' | 'block' | 'end';

function resultLine(): HTMLElement {
  return h('p', { class: 'error', role: 'alert' });
}

async function run(i18n: StaffI18n, out: HTMLElement, button: HTMLButtonElement, action: () => Promise<string | undefined>): Promise<boolean> {
  button.disabled = true;
  const code = await action();
  button.disabled = false;
  out.className = code ? 'error' : 'notice success';
  out.textContent = code ? errorText(i18n, code) : i18n.t('done');
  return !code;
}

async function transferForm(i18n: StaffI18n, handlers: ActionHandlers): Promise<HTMLElement> {
  const out = resultLine();
  const queue = h('button', { type: 'button', class: 'button secondary' }, i18n.t('transferQueue'));
  queue.addEventListener('click', () => void run(i18n, out, queue, () => handlers.transfer('queue')));
  const colleagues = await loadColleagues();
  const eligible = (colleagues ?? []).filter((c) => canTake(c, handlers.language));
  const list =
    colleagues === undefined
      ? null
      : h(
          'div',
          { class: 'colleagues' },
          h('h4', null, i18n.t('transferColleague')),
          eligible.length === 0
            ? h('p', { class: 'hint' }, i18n.t('noColleague'))
            : h(
                'ul',
                { class: 'plain-list' },
                ...eligible.map((c) => {
                  const b = h('button', { type: 'button', class: 'button secondary small' }, i18n.t('transferTo', { name: c.displayName }));
                  b.addEventListener('click', () => void run(i18n, out, b, () => handlers.transfer({ listenerId: c.id })));
                  return h('li', null, b);
                }),
              ),
        );
  return h('div', { class: 'action-form' }, h('div', { class: 'actions' }, queue), list, out);
}

function flagForm(i18n: StaffI18n, handlers: ActionHandlers): HTMLElement {
  const out = resultLine();
  const buttons = (['support', 'urgent'] as const).map((level) => {
    const b = h('button', { type: 'button', class: level === 'urgent' ? 'button danger' : 'button secondary' }, i18n.t(level === 'urgent' ? 'flagUrgent' : 'flagSupport'));
    b.addEventListener('click', () => {
      void run(i18n, out, b, () => handlers.flag(level)).then((ok) => {
        if (ok) out.textContent = i18n.t('flagDone');
      });
    });
    return b;
  });
  return h('div', { class: 'action-form' }, h('div', { class: 'actions' }, ...buttons), out);
}

function blockForm(i18n: StaffI18n, handlers: ActionHandlers): HTMLElement {
  const out = resultLine();
  const id = uid('block');
  const reason = h('textarea', { id, rows: 2, maxlength: 500, required: true });
  const button = h('button', { type: 'submit', class: 'button danger' }, i18n.t('blockDo'));
  const form = h('form', { class: 'action-form' }, h('div', { class: 'field' }, h('label', { for: id }, i18n.t('blockReason')), reason), button, out);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (reason.value.trim()) void run(i18n, out, button, () => handlers.block(reason.value.trim()));
  });
  return form;
}

export function actionsBar(i18n: StaffI18n, handlers: ActionHandlers): HTMLElement {
  const area = h('div', { class: 'action-area', id: uid('actions') });
  const keys: ActionKey[] = ['transfer', 'flag', 'block', 'end'];
  let open: ActionKey | undefined;
  const buttons = keys.map((key) => {
    const b = h('button', { type: 'button', class: 'button secondary small', 'aria-expanded': 'false', 'aria-controls': area.id }, i18n.t(key));
    b.addEventListener('click', () => void toggle(key, b));
    return b;
  });
  async function toggle(key: ActionKey, button: HTMLButtonElement): Promise<void> {
    for (const b of buttons) b.setAttribute('aria-expanded', 'false');
    if (open === key) {
      open = undefined;
      area.replaceChildren();
      return;
    }
    open = key;
    button.setAttribute('aria-expanded', 'true');
    if (key === 'end') return handlers.end(area);
    const form = key === 'transfer' ? await transferForm(i18n, handlers) : key === 'flag' ? flagForm(i18n, handlers) : blockForm(i18n, handlers);
    if (open === key) area.replaceChildren(form);
  }
  return h('div', { class: 'panel-actions' }, h('div', { class: 'actions', role: 'group', 'aria-label': i18n.t('actionsLabel') }, ...buttons), area);
}
