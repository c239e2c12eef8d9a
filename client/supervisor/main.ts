/** The supervisor dashboard: sign in (supervisors only), then the live dashboard. */
import '../ui/base.css';
import '../ui/forms.css';
import '../ui/staff.css';
import './supervisor.css';
import type { ServiceStatus, User } from '../../shared/protocol';
import { h, mount } from '../ui/dom';
import { api } from '../ui/http';
import { currentUser, loginView } from '../ui/login-view';
import { errorText, staffTranslator } from '../ui/staff-i18n';
import { staffShell } from '../ui/staff-shell';
import { unlockAudio } from '../ui/tone';
import { DashboardApp } from './dashboard-app';

const i18n = staffTranslator();
let app: DashboardApp | undefined;
let view: 'login' | 'forbidden' | 'dashboard' = 'login';
let notice: string | undefined;
const shell = staffShell(i18n, 'dashboardTitle', () => showLogin(i18n.t('signedOut')));

function showLogin(message?: string): void {
  app?.close();
  app = undefined;
  view = 'login';
  notice = message;
  shell.setUser(undefined);
  mount(shell.main, loginView(i18n, (user) => void start(user), message));
}

function showForbidden(): void {
  view = 'forbidden';
  mount(shell.main, h('div', { class: 'card' }, h('h1', null, i18n.t('dashboardTitle')), h('p', { class: 'notice warn' }, i18n.t('supervisorsOnly')), h('p', null, h('a', { href: '/listener' }, i18n.t('toConsole')))));
}

async function start(user: User): Promise<void> {
  shell.setUser(user);
  if (user.role !== 'supervisor') return showForbidden();
  view = 'dashboard';
  const status = await api<ServiceStatus>('GET', '/api/status');
  const languages = status.ok ? status.data.languages : ['fr', 'nl', 'en'];
  app = new DashboardApp(i18n, shell.main, languages, (code) => showLogin(errorText(i18n, code)));
}

i18n.onChange(() => {
  if (view === 'login') showLogin(notice);
  if (view === 'forbidden') showForbidden();
});
document.addEventListener('pointerdown', unlockAudio, { once: true });
document.addEventListener('keydown', unlockAudio, { once: true });

void currentUser().then((user) => (user ? start(user) : showLogin()));
