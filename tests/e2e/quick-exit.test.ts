/**
 * Quick exit, by the button and by Shift pressed three times: the tab lands on the neutral site,
 * Back does not bring the conversation back, sessionStorage is empty, the server ended the chat
 * with reason `quick_exit`, and the listener is told. The Shift run also blocks WebSockets, so
 * the visitor page is shown to work over long-polling alone.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { type Staff, createStaff } from '../support/app';
import { type NeutralSite, axeViolations, expectClean, newContext, signIn, watchPage, closeE2e, openE2e } from './support-e2e';
import { STAFF, VISITOR, fill } from './texts';

jest.setTimeout(90_000);

const V = VISITOR.en;
const S = STAFF.en;
let browser: Browser;
let site: NeutralSite;
let app: TestApp;
let staff: Staff;
let listenerContext: BrowserContext;
let listener: Page;

beforeAll(async () => {
  ({ browser, site, app } = await openE2e());
  staff = await createStaff(app.url, { role: 'listener', languages: ['fr', 'nl', 'en'], maxConcurrent: 3, displayName: 'Robin' });
  listenerContext = await newContext(browser, 'en-GB');
  listener = await listenerContext.newPage();
  await signIn(listener, `${app.url}/listener`, staff.username, staff.password);
  await listener.locator('.queue-bar').waitFor();
});

afterAll(async () => {
  await closeE2e({ browser, site, app });
});

/** A visitor tab that came from the neutral site, chatting with the listener; returns the conversation id. */
async function chattingVisitor(context: BrowserContext, text: string): Promise<{ page: Page; conversationId: string }> {
  const page = await context.newPage();
  await page.goto(`${site.origin}/start`);
  await page.goto(`${app.url}/`);
  await page.getByRole('heading', { level: 1, name: V.introHeading }).waitFor();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(V.quickExit);
  await page.getByLabel(V.formFirst).fill(text);
  await page.getByRole('button', { name: V.start }).click();
  await page.getByRole('heading', { level: 1, name: fill(V.chatWith, { name: 'Robin' }) }).waitFor({ timeout: 5000 }).catch(async (e) => {
    await page.screenshot({ path: '/tmp/dbg-visitor.png' });
    await listener.screenshot({ path: '/tmp/dbg-listener.png' });
    throw e;
  });
  const mine = await app.store.listenerConversations(staff.user.id);
  const messages = await Promise.all(mine.map(async (c) => ({ id: c.id, texts: (await app.store.readMessages(c.id, 0)).map((m) => m.text) })));
  const conversationId = messages.find((m) => m.texts.includes(text))?.id;
  if (!conversationId) throw new Error('conversation not found in the store');
  await listener.locator('.msg-text', { hasText: text }).first().waitFor({ state: 'attached' });
  return { page, conversationId };
}

async function endedByQuickExit(conversationId: string): Promise<boolean> {
  for (let i = 0; i < 50; i += 1) {
    const c = await app.store.getConversation(conversationId);
    if (c?.state === 'ended' && c.endedBy === 'visitor' && c.reason === 'quick_exit') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** After leaving: Back goes to the page before ours, and our origin's sessionStorage is empty on return. */
async function expectNothingLeft(context: BrowserContext, page: Page): Promise<void> {
  expect(page.url()).toBe(site.exitUrl);
  expect(await page.title()).toBe('Weather');
  await page.goBack();
  expect(page.url()).toBe(`${site.origin}/start`);
  await context.addInitScript(() => {
    (window as unknown as { storedBeforeScripts: number }).storedBeforeScripts = sessionStorage.length;
  });
  await page.goto(`${app.url}/`);
  expect(await page.evaluate(() => (window as unknown as { storedBeforeScripts: number }).storedBeforeScripts)).toBe(0);
  await page.getByRole('heading', { level: 1, name: V.introHeading }).waitFor();
  expect(await page.locator('.msg').count()).toBe(0);
}

test('the quick exit button is first in tab order, leaves at once, and the server ends the chat', async () => {
  const context = await newContext(browser, 'en-GB');
  const sockets: string[] = [];
  context.on('page', (p) => p.on('websocket', (ws) => sockets.push(ws.url())));
  const { page, conversationId } = await chattingVisitor(context, 'button exit test');
  // Normally the connection is upgraded from long-polling to a WebSocket.
  expect(sockets.some((url) => url.includes('/socket.io/') && url.includes('transport=websocket'))).toBe(true);
  const watch = watchPage(page, [app.url, site.origin]);

  // Still the first thing to tab to once the chat runs, whatever had focus before.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: fill(V.chatWith, { name: 'Robin' }) }).waitFor();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(V.quickExit);
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('link', { name: V.quickExit }).click();
  await page.waitForURL(site.exitUrl);
  expect(await endedByQuickExit(conversationId)).toBe(true);
  await listener.getByText(S.endedQuickExit).first().waitFor();
  expect(await axeViolations(listener)).toEqual([]);
  await expectNothingLeft(context, page);
  expectClean(watch);
  await context.close();
});

test('pressing Shift three times leaves the same way, also when only long-polling works', async () => {
  const context = await newContext(browser, 'en-GB');
  // Refuse every WebSocket: the client must carry on over HTTP long-polling.
  await context.routeWebSocket(/socket\.io/, (ws) => ws.close());
  const { page, conversationId } = await chattingVisitor(context, 'shift exit test');
  const watch = watchPage(page, [app.url, site.origin]);
  expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('transport=polling')))).toBe(true);

  await page.getByLabel(V.messageLabel).click();
  await page.keyboard.press('Shift');
  await page.keyboard.press('Shift');
  expect(page.url()).toBe(`${app.url}/`);
  await page.keyboard.press('Shift');
  await page.waitForURL(site.exitUrl);
  expect(await endedByQuickExit(conversationId)).toBe(true);
  await expectNothingLeft(context, page);
  expectClean(watch);
  await context.close();
});
