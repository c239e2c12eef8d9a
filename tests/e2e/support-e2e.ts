/**
 * Browser helpers for the end-to-end tests: Debian's Chromium through playwright-core, a tiny
 * "neutral site" for quick exit (the one other origin a page may reach), a watch on every page for
 * cross-origin requests and CSP errors, axe-core checks, screenshots and staff sign-in.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS_DIR = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface NeutralSite {
  origin: string;
  /** Where quick exit sends visitors. */
  exitUrl: string;
  close(): Promise<void>;
}

/** A local stand-in for the neutral site (there is no outside network in tests). */
export async function startNeutralSite(): Promise<NeutralSite> {
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><head><title>Weather</title></head><body><h1>Weather</h1><p>${req.url === '/exit' ? 'Sunny.' : 'Start.'}</p></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    exitUrl: `${origin}/exit`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The real server on a private Redis, quick exit pointed at the neutral site, rate limits relaxed. */
export function startE2eApp(site: NeutralSite, env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({ redis: true, env: { LOG_LEVEL: 'warn', QUICK_EXIT_URL: site.exitUrl, RATE_LIMIT_MULTIPLIER: '0', ...env } });
}

/** What a page did that it must not: reach another origin, or break the CSP. */
export interface E2eWorld {
  browser: Browser;
  site: NeutralSite;
  app: TestApp;
}

/** What most browser test files start with: Chromium, the neutral site, and the app on Redis. */
export async function openE2e(env: Record<string, string> = {}): Promise<E2eWorld> {
  const [browser, site] = await Promise.all([launchBrowser(), startNeutralSite()]);
  return { browser, site, app: await startE2eApp(site, env) };
}

/** Closes what openE2e started, whatever part of it did start. */
export async function closeE2e(world: Partial<E2eWorld>): Promise<void> {
  await world.browser?.close();
  await world.app?.stop();
  await world.site?.close();
}

export interface PageWatch {
  foreignRequests: string[];
  cspErrors: string[];
  pageErrors: string[];
}

/** Records requests (HTTP and WebSocket) outside `allowed` origins, CSP reports and uncaught errors. */
export function watchPage(page: Page, allowed: string[]): PageWatch {
  const watch: PageWatch = { foreignRequests: [], cspErrors: [], pageErrors: [] };
  const ok = (url: string) => {
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
    const origin = new URL(url).origin.replace(/^ws/, 'http');
    return allowed.includes(origin);
  };
  page.on('request', (req) => {
    if (!ok(req.url())) watch.foreignRequests.push(req.url());
  });
  page.on('websocket', (ws) => {
    if (!ok(ws.url())) watch.foreignRequests.push(ws.url());
  });
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) watch.cspErrors.push(text);
  });
  page.on('pageerror', (err) => watch.pageErrors.push(err.message));
  return watch;
}

export function expectClean(watch: PageWatch): void {
  expect(watch.foreignRequests).toEqual([]);
  expect(watch.cspErrors).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
}

interface AxeResult {
  violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown }> }>;
}

/**
 * Runs axe-core (WCAG 2.x A/AA rules) and returns the serious and critical violations, readably.
 * axe goes in through the DevTools protocol: page.addScriptTag would be an inline script, which
 * the page's CSP rightly refuses (and we do not want to turn the CSP off to test it).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<unknown> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
  });
  return (result as AxeResult).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
}

/** Saves the page at desktop and phone sizes, then puts the viewport back. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(60);
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${label}.png`), fullPage: label === 'phone' });
  }
  await page.setViewportSize(before);
}

/** A context that behaves like a browser set to `locale` (navigator.languages follows it). */
export function newContext(browser: Browser, locale: string, size = DESKTOP): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport: size, serviceWorkers: 'block' });
}

/** Signs in through the staff login form. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form.login button[type="submit"]').click();
}
