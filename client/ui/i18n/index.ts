/**
 * Translation: one dictionary per language (fr.ts, nl.ts, en.ts), each split into the parts a page
 * needs (common, visitor, staff) so the visitor page does not download the staff strings.
 */
export const LANGS = ['fr', 'nl', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Params = Record<string, string | number>;

/** Language names in their own language, for the switcher. */
export const ENDONYMS: Record<Lang, string> = { fr: 'Français', nl: 'Nederlands', en: 'English' };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** The first of the browser's languages that the page speaks (and the service offers), else English. */
export function pickLang(preferred: readonly string[], offered: readonly string[] = LANGS): Lang {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base) && offered.includes(base)) return base;
  }
  const first = offered.find(isLang);
  return first ?? 'en';
}

function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole: string, name: string) => (name in params ? String(params[name]) : whole));
}

export class Translator<K extends string> {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly dicts: Record<Lang, Record<K, string>>,
    private current: Lang,
  ) {
    document.documentElement.lang = current;
  }

  get lang(): Lang {
    return this.current;
  }

  t(key: K, params?: Params): string {
    return fill(this.dicts[this.current][key] ?? this.dicts.en[key] ?? key, params);
  }

  /** For keys built at run time (error codes, topics): undefined when the dictionary has none. */
  maybe(key: string, params?: Params): string | undefined {
    const dict: Record<string, string> = this.dicts[this.current];
    return Object.prototype.hasOwnProperty.call(dict, key) ? fill(dict[key], params) : undefined;
  }

  set(lang: Lang): void {
    if (lang === this.current) return;
    this.current = lang;
    document.documentElement.lang = lang;
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }
}
