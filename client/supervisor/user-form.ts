/** The account form, for creating (with username and password) and editing (password optional). */
import { ROLES, type Role, type User } from '../../shared/protocol';
import { h, uid } from '../ui/dom';
import { errorText, type StaffI18n } from '../ui/staff-i18n';

export interface UserValues {
  username?: string;
  displayName: string;
  password?: string;
  role: Role;
  languages: string[];
  maxConcurrent: number;
}

function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const hintId = `${control.id}-hint`;
  if (hint) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), hint ? h('p', { id: hintId, class: 'hint' }, hint) : null, control);
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function userForm(i18n: StaffI18n, languages: readonly string[], user: User | undefined, submit: (values: UserValues) => Promise<string | undefined>): HTMLFormElement {
  const t = i18n.t.bind(i18n);
  const creating = user === undefined;
  const username = h('input', { type: 'text', id: uid('u'), autocomplete: 'off', required: true, minlength: 3, maxlength: 64, pattern: '[A-Za-z0-9._\\-]+' });
  const displayName = h('input', { type: 'text', id: uid('u'), required: true, maxlength: 60, value: user?.displayName ?? '' });
  const password = h('input', { type: 'password', id: uid('u'), autocomplete: 'new-password', minlength: 10, required: creating });
  const role = h('select', { id: uid('u') }, ...ROLES.map((r) => h('option', { value: r, selected: (user?.role ?? 'listener') === r }, t(`role_${r}`))));
  const max = h('input', { type: 'number', id: uid('u'), min: 1, max: 10, required: true, value: user?.maxConcurrent ?? 2 });
  const langName = uid('langs');
  const langBoxes = languages.map((lang) => {
    const id = `${langName}-${lang}`;
    return h('span', { class: 'field check' }, h('input', { type: 'checkbox', id, name: langName, value: lang, checked: user ? user.languages.includes(lang) : true }), h('label', { for: id }, i18n.maybe(`lang.${lang}`) ?? lang));
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'button primary' }, creating ? t('create') : t('save'));
  const form = h(
    'form',
    { class: 'user-form' },
    creating ? field(t('username'), username) : null,
    field(t('displayName'), displayName),
    field(creating ? t('password') : t('newPassword'), password, t('passwordHint')),
    field(t('role'), role),
    h('fieldset', null, h('legend', null, t('languages')), h('div', { class: 'check-row' }, ...langBoxes)),
    field(t('maxConcurrent'), max),
    button,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll<HTMLInputElement>(`input[name="${langName}"]:checked`)].map((c) => c.value);
    if (chosen.length === 0 || !isRole(role.value)) return;
    const values: UserValues = { displayName: displayName.value.trim(), role: role.value, languages: chosen, maxConcurrent: Number(max.value) };
    if (creating) values.username = username.value.trim();
    if (password.value) values.password = password.value;
    button.disabled = true;
    error.textContent = '';
    void submit(values).then((code) => {
      button.disabled = false;
      if (code) error.textContent = errorText(i18n, code);
      else password.value = '';
    });
  });
  return form;
}
