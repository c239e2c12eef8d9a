/** Supervisors edit the quick replies of each language (GET /api/canned, PUT /api/canned/:language). */
import type { CannedResponse } from '../../shared/protocol';
import { h, mount, uid } from '../ui/dom';
import { api } from '../ui/http';
import { errorText, type StaffI18n } from '../ui/staff-i18n';

interface Row {
  id: string;
  title: string;
  text: string;
}

/** A stable id from a title: letters, digits and dashes, unique within the list. */
export function idFor(title: string, taken: Set<string>): string {
  const base =
    title
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'reply';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

export class CannedEditor {
  readonly el = h('section', { class: 'card dash-section canned-editor', 'aria-labelledby': 'canned-heading' });
  private byLanguage: Record<string, Row[]> = {};
  private language: string;
  private readonly out = h('p', { role: 'status' });

  constructor(
    private readonly i18n: StaffI18n,
    private readonly languages: readonly string[],
  ) {
    this.language = languages[0] ?? 'fr';
  }

  async load(): Promise<void> {
    const reply = await api<{ responses: Record<string, CannedResponse[]> }>('GET', '/api/canned');
    if (reply.ok) for (const [lang, list] of Object.entries(reply.data.responses)) this.byLanguage[lang] = list.map((r) => ({ ...r }));
    this.render();
  }

  render(): void {
    const t = this.i18n.t.bind(this.i18n);
    const selectId = uid('canned-lang');
    const select = h('select', { id: selectId }, ...this.languages.map((l) => h('option', { value: l, selected: l === this.language }, this.i18n.maybe(`lang.${l}`) ?? l)));
    select.addEventListener('change', () => {
      this.language = select.value;
      this.out.textContent = '';
      this.render();
      this.el.querySelector<HTMLSelectElement>('select')?.focus();
    });
    const rows = this.rows();
    const add = h('button', { type: 'button', class: 'button secondary small' }, t('cannedAdd'));
    add.addEventListener('click', () => {
      rows.push({ id: '', title: '', text: '' });
      this.render();
      const inputs = this.el.querySelectorAll<HTMLInputElement>('.canned-row input');
      inputs[inputs.length - 1]?.focus();
    });
    const save = h('button', { type: 'submit', class: 'button primary' }, t('cannedSave', { lang: this.i18n.maybe(`lang.${this.language}`) ?? this.language }));
    const form = h('form', { class: 'canned-form' }, h('ol', { class: 'canned-rows' }, ...rows.map((row, i) => this.row(row, i))), h('div', { class: 'actions' }, add, save));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save(save);
    });
    mount(
      this.el,
      h('h2', { id: 'canned-heading' }, t('cannedSection')),
      h('p', { class: 'hint' }, t('cannedIntro')),
      h('div', { class: 'field' }, h('label', { for: selectId }, t('metaLanguage')), select),
      form,
      this.out,
    );
  }

  private rows(): Row[] {
    this.byLanguage[this.language] ??= [];
    return this.byLanguage[this.language];
  }

  private row(row: Row, index: number): HTMLElement {
    const t = this.i18n.t.bind(this.i18n);
    const titleId = uid('ct');
    const textId = uid('cx');
    const title = h('input', { type: 'text', id: titleId, required: true, maxlength: 80, value: row.title });
    title.addEventListener('input', () => (row.title = title.value));
    const text = h('textarea', { id: textId, rows: 2, required: true });
    text.value = row.text;
    text.addEventListener('input', () => (row.text = text.value));
    const remove = h('button', { type: 'button', class: 'link-button' }, t('cannedRemove'));
    remove.addEventListener('click', () => {
      this.rows().splice(index, 1);
      this.render();
    });
    return h(
      'li',
      { class: 'canned-row' },
      h('div', { class: 'field' }, h('label', { for: titleId }, t('cannedTitle')), title),
      h('div', { class: 'field' }, h('label', { for: textId }, t('cannedText')), text),
      remove,
    );
  }

  private async save(button: HTMLButtonElement): Promise<void> {
    const taken = new Set(this.rows().map((r) => r.id).filter(Boolean));
    const responses = this.rows()
      .filter((r) => r.title.trim() && r.text.trim())
      .map((r) => ({ id: r.id || idFor(r.title, taken), title: r.title.trim(), text: r.text.trim() }));
    button.disabled = true;
    const reply = await api<unknown>('PUT', `/api/canned/${encodeURIComponent(this.language)}`, { responses });
    button.disabled = false;
    if (reply.ok) this.byLanguage[this.language] = responses;
    this.out.className = reply.ok ? 'notice success' : 'error';
    this.out.textContent = reply.ok ? this.i18n.t('saved') : errorText(this.i18n, reply.code);
  }
}
