/** The staff pages' frame: skip link, name of the page, links, language, who is signed in, sign out. */
import type { User } from '../../shared/protocol';
import { h, mount, appRoot } from './dom';
import { api } from './http';
import { LANGS } from './i18n/index';
import { langSwitch } from './lang-switch';
import type { StaffI18n } from './staff-i18n';

type PageKey = 'consoleTitle' | 'dashboardTitle' | 'setupTitle';

export interface StaffShell {
  main: HTMLElement;
  setUser(user: User | undefined): void;
}

export function staffShell(i18n: StaffI18n, page: PageKey, onSignedOut: () => void): StaffShell {
  const brand = h('p', { class: 'brand' });
  const userBox = h('div', { class: 'user-box' });
  const nav = h('nav', { class: 'page-links' });
  const main = h('main', { id: 'main', class: 'staff-main', tabindex: '-1' });
  const skip = h('a', { class: 'skip-link', href: '#main' });
  let user: User | undefined;

  const render = () => {
    document.title = i18n.t(page);
    skip.textContent = i18n.t('skipToMain');
    brand.textContent = `${i18n.t('productName')} · ${i18n.t(page)}`;
    const links: Array<[string, string]> = [];
    if (user && page !== 'consoleTitle') links.push(['/listener', i18n.t('toConsole')]);
    if (user?.role === 'supervisor' && page !== 'dashboardTitle') links.push(['/supervisor', i18n.t('toDashboard')]);
    nav.setAttribute('aria-label', i18n.t(page));
    mount(nav, ...links.map(([href, label]) => h('a', { href }, label)));
    if (!user) return mount(userBox);
    const signOut = h('button', { type: 'button', class: 'button secondary small' }, i18n.t('signOut'));
    signOut.addEventListener('click', () => {
      void api('POST', '/api/auth/logout').then(() => onSignedOut());
    });
    mount(userBox, h('span', null, i18n.t('signedInAs', { name: user.displayName })), signOut);
  };
  render();
  i18n.onChange(render);
  mount(appRoot(), skip, h('header', { class: 'top staff-top' }, brand, nav, langSwitch(i18n, 'chooseLanguage', LANGS), userBox), main);
  return {
    main,
    setUser(next) {
      user = next;
      render();
    },
  };
}
