/** Language buttons, each labelled in its own language; the current one is marked for screen readers. */
import { h } from './dom';
import { ENDONYMS, type Lang, type Translator } from './i18n/index';

export function langSwitch<K extends string>(i18n: Translator<K>, label: K, langs: readonly Lang[]): HTMLElement {
  const nav = h('nav', { class: 'lang-switch', 'aria-label': i18n.t(label) });
  const render = () => {
    nav.setAttribute('aria-label', i18n.t(label));
    nav.replaceChildren(
      ...langs.map((lang) =>
        h(
          'button',
          {
            type: 'button',
            lang,
            class: 'lang-button',
            'aria-pressed': String(lang === i18n.lang),
            onclick: () => i18n.set(lang),
          },
          ENDONYMS[lang],
        ),
      ),
    );
  };
  render();
  i18n.onChange(render);
  return nav;
}
