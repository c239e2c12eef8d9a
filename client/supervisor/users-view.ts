/** Account management for supervisors: list, create, edit (languages, cap, role, password), deactivate. */
import type { User } from '../../shared/protocol';
import { dataTable } from '../ui/data-table';
import { h, mount } from '../ui/dom';
import { api } from '../ui/http';
import { errorText, type StaffI18n } from '../ui/staff-i18n';
import { type UserValues, userForm } from './user-form';

export class UsersView {
  readonly el = h('section', { class: 'card dash-section users', 'aria-labelledby': 'users-heading' });
  private users: User[] = [];
  private editing: string | undefined;
  private readonly out = h('p', { class: 'notice success', role: 'status' });

  constructor(
    private readonly i18n: StaffI18n,
    private readonly languages: readonly string[],
  ) {}

  async load(): Promise<void> {
    const reply = await api<{ users: User[] }>('GET', '/api/users');
    if (reply.ok) this.users = reply.data.users;
    this.render();
  }

  render(): void {
    const t = this.i18n.t.bind(this.i18n);
    const create = userForm(this.i18n, this.languages, undefined, (v) => this.create(v));
    mount(
      this.el,
      h('h2', { id: 'users-heading' }, t('usersSection')),
      h('p', { class: 'hint' }, t('usersIntro')),
      this.out,
      this.table(),
      h('details', { class: 'create-user' }, h('summary', null, t('createUser')), create),
    );
  }

  private table(): HTMLElement {
    const t = this.i18n.t.bind(this.i18n);
    const rows = this.users.flatMap((user) => {
      const edit = h('button', { type: 'button', class: 'button secondary small', 'aria-expanded': String(this.editing === user.id) }, t('edit'));
      edit.addEventListener('click', () => {
        this.editing = this.editing === user.id ? undefined : user.id;
        this.render();
      });
      const toggle = h('button', { type: 'button', class: user.active ? 'button danger small' : 'button secondary small' }, user.active ? t('deactivate') : t('reactivate'));
      toggle.addEventListener('click', () => void this.patch(user, { active: !user.active }));
      const row = h(
        'tr',
        { class: user.active ? undefined : 'inactive' },
        h('td', null, user.displayName, h('br'), h('span', { class: 'hint' }, user.username)),
        h('td', null, t(`role_${user.role}`)),
        h('td', null, user.languages.map((l) => l.toUpperCase()).join(', ')),
        h('td', null, String(user.maxConcurrent)),
        h('td', null, user.active ? t('active') : t('inactive')),
        h('td', null, h('div', { class: 'actions' }, edit, toggle)),
      );
      if (this.editing !== user.id) return [row];
      const form = userForm(this.i18n, this.languages, user, (v) => this.patch(user, this.changes(v)));
      return [row, h('tr', { class: 'edit-row' }, h('td', { colspan: 6 }, form))];
    });
    return dataTable(t('usersSection'), [t('colName'), t('role'), t('colLanguages'), t('maxConcurrent'), t('colStatus'), t('edit')], rows);
  }

  /** Everything the form edits except the username, which cannot change. */
  private changes(values: UserValues): Partial<User> & { password?: string } {
    const { displayName, role, languages, maxConcurrent, password } = values;
    return password ? { displayName, role, languages, maxConcurrent, password } : { displayName, role, languages, maxConcurrent };
  }

  private async create(values: UserValues): Promise<string | undefined> {
    const reply = await api<{ user: User }>('POST', '/api/users', values);
    if (!reply.ok) return reply.code;
    this.users = [...this.users, reply.data.user];
    this.render();
    this.out.textContent = this.i18n.t('created', { name: reply.data.user.displayName });
    return undefined;
  }

  private async patch(user: User, changes: Partial<User> & { password?: string }): Promise<string | undefined> {
    const reply = await api<{ user: User }>('PATCH', `/api/users/${encodeURIComponent(user.id)}`, changes);
    if (!reply.ok) {
      this.out.textContent = '';
      this.out.className = 'error';
      this.out.textContent = errorText(this.i18n, reply.code);
      return reply.code;
    }
    this.users = this.users.map((u) => (u.id === user.id ? reply.data.user : u));
    this.editing = undefined;
    this.render();
    this.out.className = 'notice success';
    this.out.textContent = this.i18n.t('saved');
    return undefined;
  }
}
