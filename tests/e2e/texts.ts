/** The pages' own dictionaries, so tests find elements by the words people see in each language. */
import * as en from '../../client/ui/i18n/en';
import * as fr from '../../client/ui/i18n/fr';
import * as nl from '../../client/ui/i18n/nl';

export type Lang = 'fr' | 'nl' | 'en';
export const LOCALES: Record<Lang, string> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB' };

export const VISITOR = {
  fr: { ...fr.common, ...fr.visitor },
  nl: { ...nl.common, ...nl.visitor },
  en: { ...en.common, ...en.visitor },
};

export const STAFF = {
  fr: { ...fr.common, ...fr.staff },
  nl: { ...nl.common, ...nl.staff },
  en: { ...en.common, ...en.staff },
};

/** Fills `{name}` placeholders like the pages do. */
export function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole: string, key: string) => (key in params ? String(params[key]) : whole));
}
