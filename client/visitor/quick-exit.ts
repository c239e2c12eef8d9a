/**
 * Quick exit, after GOV.UK's "Exit this page": a link that is always visible and first in the tab
 * order, and Shift pressed three times within five seconds. The page is blanked at once, storage
 * emptied, the chat ended on the server (fire and forget, capped), and the location replaced so
 * Back does not come back here.
 */
import { h } from '../ui/dom';
import { sessionStore } from './session-store';

const PRESSES = 3;
const WINDOW_MS = 5000;
/** How long we wait for the server to hear about the exit before leaving anyway. */
const NOTIFY_CAP_MS = 400;

export interface QuickExitOptions {
  url(): string;
  label(): string;
  /** Tells the server, when a chat runs; resolves when it answered (or never). */
  notify(): Promise<void>;
}

let leaving = false;

async function leave(options: QuickExitOptions): Promise<void> {
  if (leaving) return;
  leaving = true;
  const url = options.url();
  document.title = '';
  document.body.replaceChildren();
  document.body.className = 'blank';
  sessionStore.clear();
  try {
    history.replaceState(null, '', location.pathname);
  } catch {
    // Some embedded browsers refuse; location.replace below still drops this entry.
  }
  await Promise.race([options.notify().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, NOTIFY_CAP_MS))]);
  location.replace(url);
}

/** Counts Shift presses (not key repeats) and leaves on the third within the window. */
function listenForShift(options: QuickExitOptions): void {
  let presses: number[] = [];
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Shift' || event.repeat) return;
      const now = Date.now();
      presses = [...presses.filter((t) => now - t < WINDOW_MS), now];
      if (presses.length >= PRESSES) void leave(options);
    },
    true,
  );
}

/** The exit link (an ordinary link, so it still works if a script fails). */
export function quickExitLink(options: QuickExitOptions): HTMLAnchorElement {
  const link = h('a', { class: 'quick-exit', href: options.url(), rel: 'noreferrer' }, options.label());
  link.addEventListener('click', (event) => {
    event.preventDefault();
    void leave(options);
  });
  return link;
}

export function refreshQuickExit(link: HTMLAnchorElement, options: QuickExitOptions): void {
  link.href = options.url();
  link.textContent = options.label();
}

export function installQuickExit(options: QuickExitOptions): void {
  listenForShift(options);
}
