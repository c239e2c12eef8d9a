/**
 * Canned responses: loaded once per sign-in from GET /api/canned, shown per conversation language
 * as a list of buttons, and reachable from the keyboard with "/name" + Tab in the reply box.
 */
import type { CannedResponse } from '../../shared/protocol';
import { h } from '../ui/dom';
import { api } from '../ui/http';
import type { StaffI18n } from '../ui/staff-i18n';

export type CannedByLanguage = Record<string, CannedResponse[]>;

export async function loadCanned(): Promise<CannedByLanguage> {
  const reply = await api<{ responses: CannedByLanguage }>('GET', '/api/canned');
  return reply.ok ? reply.data.responses : {};
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Responses whose id or title starts with the query (case and accents ignored). */
export function matchCanned(list: CannedResponse[], query: string): CannedResponse[] {
  const q = fold(query.trim());
  if (!q) return list;
  return list.filter((r) => fold(r.id).startsWith(q) || fold(r.title).startsWith(q) || fold(r.title).split(/\s+/).some((w) => w.startsWith(q)));
}

/** The "/name" the reply box holds, if it holds only that. */
export function slashQuery(value: string): string | undefined {
  const match = /^\/([^\s/]*)$/.exec(value);
  return match ? match[1] : undefined;
}

/** Handles Tab on "/name": replaces it by the first match. Returns true when it did. */
export function expandSlash(event: KeyboardEvent, textarea: HTMLTextAreaElement, list: CannedResponse[]): boolean {
  if (event.key !== 'Tab' || event.shiftKey) return false;
  const query = slashQuery(textarea.value);
  if (query === undefined) return false;
  const first = matchCanned(list, query)[0];
  if (!first) return false;
  event.preventDefault();
  textarea.value = first.text;
  textarea.dispatchEvent(new Event('input'));
  return true;
}

/** The list of quick replies of one language, as buttons that insert their text. */
export function cannedPicker(i18n: StaffI18n, list: CannedResponse[], onPick: (r: CannedResponse) => void): HTMLElement {
  const t = i18n.t.bind(i18n);
  return h(
    'details',
    { class: 'canned' },
    h('summary', null, t('cannedHeading')),
    h('p', { class: 'hint' }, t('cannedHint')),
    list.length === 0
      ? h('p', { class: 'hint' }, t('cannedNone'))
      : h(
          'ul',
          { class: 'canned-list' },
          ...list.map((r) =>
            h('li', null, h('button', { type: 'button', class: 'button secondary small', 'aria-label': t('cannedInsert', { title: r.title }), onclick: () => onPick(r) }, r.title)),
          ),
        ),
  );
}
