/**
 * The visitor page. The header (quick exit first) is drawn before anything is fetched, so the way
 * out is there from the first paint; then the status decides between the intro and closed screens.
 */
import '../ui/base.css';
import '../ui/forms.css';
import '../ui/chat.css';
import './visitor.css';
import type { ServiceStatus } from '../../shared/protocol';
import { ConnectionStatus } from '../ui/connection-status';
import { appRoot, h, mount } from '../ui/dom';
import { api } from '../ui/http';
import * as en from '../ui/i18n/en';
import * as fr from '../ui/i18n/fr';
import { LANGS, Translator, isLang, pickLang } from '../ui/i18n/index';
import type { VisitorKey } from '../ui/i18n/keys';
import * as nl from '../ui/i18n/nl';
import { langSwitch } from '../ui/lang-switch';
import { VisitorApp } from './app';
import type { VisitorContext } from './context';
import { installQuickExit, quickExitLink, refreshQuickExit, type QuickExitOptions } from './quick-exit';
import { sessionStore } from './session-store';

/** Used only until /api/status answers with the configured site. */
const FALLBACK_EXIT_URL = 'https://www.meteo.be/';

const dictionaries = {
  fr: { ...fr.common, ...fr.visitor },
  nl: { ...nl.common, ...nl.visitor },
  en: { ...en.common, ...en.visitor },
};

function initialLang(): (typeof LANGS)[number] {
  const saved = sessionStore.lang();
  return isLang(saved) ? saved : pickLang(navigator.languages ?? [navigator.language]);
}

async function loadStatus(): Promise<ServiceStatus | undefined> {
  const reply = await api<ServiceStatus>('GET', '/api/status');
  return reply.ok ? reply.data : undefined;
}

async function boot(): Promise<void> {
  const i18n = new Translator<VisitorKey>(dictionaries, initialLang());
  let status: ServiceStatus | undefined;
  let app: VisitorApp | undefined;

  const exitOptions: QuickExitOptions = {
    url: () => status?.quickExitUrl ?? FALLBACK_EXIT_URL,
    label: () => i18n.t('quickExit'),
    notify: async () => {
      if (app?.chatRunning) await app.connection.end('quick_exit', 400);
    },
  };
  const exit = quickExitLink(exitOptions);
  installQuickExit(exitOptions);
  const brand = h('p', { class: 'brand' }, i18n.t('appName'));
  const conn = new ConnectionStatus({ reconnecting: () => i18n.t('reconnecting'), back: () => i18n.t('reconnected') });
  const main = h('main', { id: 'main', class: 'page' });
  const header = h('header', { class: 'top' }, exit, brand, langSwitch(i18n, 'chooseLanguage', LANGS));
  mount(appRoot(), header, conn.el, main);
  document.title = i18n.t('tabTitle');

  i18n.onChange(() => {
    sessionStore.setLang(i18n.lang);
    refreshQuickExit(exit, exitOptions);
    brand.textContent = i18n.t('appName');
    conn.render();
  });

  status = await loadStatus();
  if (!status) {
    const retry = h('button', { type: 'button', class: 'button primary', onclick: () => location.reload() }, i18n.t('retry'));
    mount(main, h('div', { class: 'stack' }, h('p', { class: 'error', role: 'alert' }, i18n.t('err.network')), retry));
    return;
  }
  refreshQuickExit(exit, exitOptions);
  const ctx: VisitorContext = { i18n, status };
  app = new VisitorApp(ctx, main, (up) => (up ? conn.connected() : conn.lost()));
}

void boot();
