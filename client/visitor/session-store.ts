/**
 * What the visitor page keeps on the device: the session token and the chosen language, in
 * sessionStorage only, so closing the tab forgets them. Never localStorage, never a cookie.
 */
const TOKEN_KEY = 't';
const LANG_KEY = 'l';

function read(key: string): string | undefined {
  try {
    return sessionStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Set by quick exit: late events (the server's answer to chat:end) must not store anything again. */
let sealed = false;

function write(key: string, value: string): void {
  if (sealed) return;
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // Storage can be disabled (private modes): the chat still works until the tab reloads.
  }
}

export const sessionStore = {
  token: (): string | undefined => read(TOKEN_KEY),
  setToken: (token: string): void => write(TOKEN_KEY, token),
  lang: (): string | undefined => read(LANG_KEY),
  setLang: (lang: string): void => write(LANG_KEY, lang),
  /** Empties the storage and refuses any later write (quick exit). */
  clear(): void {
    sealed = true;
    try {
      sessionStorage.clear();
    } catch {
      // Nothing stored, nothing to clear.
    }
  },
};
