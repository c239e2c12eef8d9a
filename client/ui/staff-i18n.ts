/** The staff pages' translator: common + staff strings, the language kept for this tab only. */
import * as en from './i18n/en';
import * as fr from './i18n/fr';
import { Translator, isLang, pickLang } from './i18n/index';
import type { StaffKey } from './i18n/keys';
import * as nl from './i18n/nl';

const dictionaries = {
  fr: { ...fr.common, ...fr.staff },
  nl: { ...nl.common, ...nl.staff },
  en: { ...en.common, ...en.staff },
};

const LANG_KEY = 'staff-lang';

export type StaffI18n = Translator<StaffKey>;

export function staffTranslator(): StaffI18n {
  let saved: string | null = null;
  try {
    saved = sessionStorage.getItem(LANG_KEY);
  } catch {
    saved = null;
  }
  const i18n = new Translator<StaffKey>(dictionaries, isLang(saved) ? saved : pickLang(navigator.languages ?? [navigator.language]));
  i18n.onChange(() => {
    try {
      sessionStorage.setItem(LANG_KEY, i18n.lang);
    } catch {
      // Not remembered across reloads; nothing else breaks.
    }
  });
  return i18n;
}

export function errorText(i18n: StaffI18n, code: string): string {
  return i18n.maybe(`err.${code}`) ?? i18n.t('err.internal');
}
