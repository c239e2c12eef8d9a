/** First run: create the first supervisor with the setup token from the server log. */
import '../ui/base.css';
import '../ui/forms.css';
import '../ui/staff.css';
import { h, mount, uid } from '../ui/dom';
import { api } from '../ui/http';
import { errorText, staffTranslator, type StaffI18n } from '../ui/staff-i18n';
import { staffShell } from '../ui/staff-shell';

const i18n = staffTranslator();
const shell = staffShell(i18n, 'setupTitle', () => undefined);
let done = false;

function input(type: 'text' | 'password', autocomplete: string, extra: Record<string, string | number | boolean> = {}): HTMLInputElement {
  return h('input', { type, id: uid('s'), autocomplete, required: true, ...extra });
}

function field(label: string, control: HTMLInputElement, hint?: string): HTMLElement {
  if (hint) control.setAttribute('aria-describedby', `${control.id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), hint ? h('p', { id: `${control.id}-hint`, class: 'hint' }, hint) : null, control);
}

function finished(t: StaffI18n['t'], key: 'setupDone' | 'setupAlready'): HTMLElement {
  return h('div', { class: 'card stack' }, h('h1', null, t('setupHeading')), h('p', { class: key === 'setupDone' ? 'notice success' : 'notice' }, t(key)), h('p', null, h('a', { class: 'button primary', href: '/supervisor' }, t('goDashboard'))));
}

function render(): void {
  const t = i18n.t.bind(i18n);
  if (done) return mount(shell.main, finished(t, 'setupDone'));
  const token = input('password', 'off');
  const username = input('text', 'username', { minlength: 3, maxlength: 64, pattern: '[A-Za-z0-9._\\-]+' });
  const displayName = input('text', 'nickname', { maxlength: 60 });
  const password = input('password', 'new-password', { minlength: 10 });
  const repeat = input('password', 'new-password', { minlength: 10 });
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'button primary' }, t('setupCreate'));
  const form = h(
    'form',
    { class: 'card setup' },
    h('h1', null, t('setupHeading')),
    h('p', null, t('setupIntro')),
    field(t('setupToken'), token),
    field(t('username'), username),
    field(t('displayName'), displayName),
    field(t('password'), password, t('passwordHint')),
    field(t('passwordRepeat'), repeat),
    button,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (password.value !== repeat.value) {
      error.textContent = t('passwordMismatch');
      return repeat.focus();
    }
    button.disabled = true;
    const body = { setupToken: token.value.trim(), username: username.value.trim(), password: password.value, displayName: displayName.value.trim() };
    void api('POST', '/api/setup', body).then((reply) => {
      button.disabled = false;
      if (reply.ok) {
        done = true;
        return render();
      }
      if (reply.code === 'already_set_up') return mount(shell.main, finished(t, 'setupAlready'));
      error.textContent = errorText(i18n, reply.code);
    });
  });
  mount(shell.main, form);
}

i18n.onChange(render);
render();
