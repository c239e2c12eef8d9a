/** Staff sign-in: username and password, errors by code, then the page goes on with the user. */
import type { User } from '../../shared/protocol';
import { h, uid } from './dom';
import { api } from './http';
import { errorText, type StaffI18n } from './staff-i18n';

export function loginView(i18n: StaffI18n, onSignedIn: (user: User) => void, notice?: string): HTMLElement {
  const t = i18n.t.bind(i18n);
  const userId = uid('user');
  const passId = uid('pass');
  const username = h('input', { type: 'text', id: userId, name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', id: passId, name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'button primary' }, t('signIn'));
  const form = h(
    'form',
    { class: 'card login', 'aria-labelledby': 'login-heading' },
    h('h1', { id: 'login-heading' }, t('signInHeading')),
    notice ? h('p', { class: 'notice' }, notice) : null,
    h('div', { class: 'field' }, h('label', { for: userId }, t('username')), username),
    h('div', { class: 'field' }, h('label', { for: passId }, t('password')), password),
    button,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    error.textContent = '';
    void api<{ user: User }>('POST', '/api/auth/login', { username: username.value.trim(), password: password.value }).then((reply) => {
      button.disabled = false;
      if (reply.ok) return onSignedIn(reply.data.user);
      password.value = '';
      error.textContent = errorText(i18n, reply.code);
      password.focus();
    });
  });
  return form;
}

/** The signed-in user, or undefined (401). */
export async function currentUser(): Promise<User | undefined> {
  const reply = await api<{ user: User }>('GET', '/api/auth/me');
  return reply.ok ? reply.data.user : undefined;
}
