/**
 * The listener console's tools with real visitors: typing indicators both ways, quick replies by
 * "/name" + Tab and by click, a network cut on the visitor's side (nothing lost, nothing twice), a
 * second conversation arriving as an unread tab with a title count, transfer to a named colleague
 * and to the queue, and blocking a visitor.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { type Staff, createStaff } from '../support/app';
import { type NeutralSite, type PageWatch, axeViolations, expectClean, newContext, signIn, watchPage, closeE2e, openE2e } from './support-e2e';
import { until } from '../support/integration-helpers';
import { STAFF, VISITOR, fill } from './texts';

jest.setTimeout(90_000);

const S = STAFF.fr;
const VF = VISITOR.fr;
let browser: Browser;
let site: NeutralSite;
let app: TestApp;
let ana: Staff;
let ben: Staff;
const watches: PageWatch[] = [];

beforeAll(async () => {
  ({ browser, site, app } = await openE2e());
  ana = await createStaff(app.url, { role: 'listener', languages: ['fr', 'nl'], maxConcurrent: 3, displayName: 'Ana' });
  ben = await createStaff(app.url, { role: 'listener', languages: ['fr'], maxConcurrent: 3, displayName: 'Ben' });
});

afterAll(async () => {
  await closeE2e({ browser, site, app });
});

async function open(locale: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, locale);
  const page = await context.newPage();
  watches.push(watchPage(page, [app.url]));
  return { context, page };
}

async function console(staff: Staff): Promise<Page> {
  const { page } = await open('fr-BE');
  await signIn(page, `${app.url}/listener`, staff.username, staff.password);
  await page.locator('.queue-bar').waitFor();
  return page;
}

async function visitor(locale: string, lang: 'fr' | 'nl', first: string): Promise<{ context: BrowserContext; page: Page }> {
  const v = await open(locale);
  await v.page.goto(`${app.url}/`);
  await v.page.getByLabel(VISITOR[lang].formFirst).fill(first);
  await v.page.getByRole('button', { name: VISITOR[lang].start }).click();
  await v.page.locator('.conversation').waitFor();
  return v;
}

test('typing, quick replies, a network cut, a second conversation, transfers and a block', async () => {
  const benPage = await console(ben);
  await benPage.getByLabel(S.away).check();
  const anaPage = await console(ana);

  // A French visitor reaches Ana (Ben is away).
  const v1 = await visitor('fr-BE', 'fr', 'premier message');
  await v1.page.getByRole('heading', { level: 1, name: fill(VF.chatWith, { name: 'Ana' }) }).waitFor();
  const panel = anaPage.locator('.conv-panel:not([hidden])');
  await panel.locator('.msg-text', { hasText: 'premier message' }).waitFor();

  // Typing, both ways.
  await panel.getByLabel(S.replyLabel).pressSequentially('Je');
  await v1.page.getByText(fill(VF.typing, { name: 'Ana' })).waitFor();
  await v1.page.getByLabel(VF.messageLabel).pressSequentially('Ok');
  await panel.getByText(S.visitorTyping).waitFor();
  await v1.page.getByLabel(VF.messageLabel).fill('');

  // Quick replies: "/sec" + Tab, then a click in the list.
  const reply = panel.getByLabel(S.replyLabel);
  await reply.fill('/sec');
  await reply.press('Tab');
  expect(await reply.inputValue()).toContain('112');
  await reply.press('Enter');
  await v1.page.locator('.msg-theirs .msg-text', { hasText: 'en sécurité en ce moment' }).waitFor();
  await panel.getByText(S.cannedHeading).click();
  await panel.getByRole('button', { name: fill(S.cannedInsert, { title: 'Accueil' }) }).click();
  expect(await reply.inputValue()).toContain('merci de nous écrire');
  await reply.fill('');

  // The visitor's network drops: Ana writes twice, the visitor writes once; all arrive once.
  await v1.context.setOffline(true);
  await v1.page.getByText(VF.reconnecting).waitFor();
  await reply.fill('pendant la coupure 1');
  await reply.press('Enter');
  await reply.fill('pendant la coupure 2');
  await reply.press('Enter');
  await v1.page.getByLabel(VF.messageLabel).fill('écrit hors ligne');
  await v1.page.getByLabel(VF.messageLabel).press('Enter');
  await v1.page.locator('.msg-mine', { hasText: 'écrit hors ligne' }).locator('.msg-state', { hasText: VF.sending }).waitFor();
  await v1.context.setOffline(false);
  await v1.page.locator('.msg-mine', { hasText: 'écrit hors ligne' }).locator('.msg-state', { hasText: VF.sent }).waitFor({ timeout: 15_000 });
  await v1.page.locator('.msg-text', { hasText: 'pendant la coupure 2' }).waitFor();
  await panel.locator('.msg-text', { hasText: 'écrit hors ligne' }).waitFor();
  for (const text of ['pendant la coupure 1', 'pendant la coupure 2', 'écrit hors ligne']) {
    expect(await v1.page.locator('.msg-text', { hasText: text }).count()).toBe(1);
    expect(await panel.locator('.msg-text', { hasText: text }).count()).toBe(1);
  }

  // A Dutch visitor arrives while Ana reads the first conversation: an unread tab and a title count.
  const v2 = await visitor('nl-BE', 'nl', 'hallo daar');
  await anaPage.getByRole('tab', { name: /NL/ }).locator('.badge.unread').waitFor();
  expect(await anaPage.title()).toMatch(/^\(\d\) Console$/);
  expect(await anaPage.getByRole('tab', { selected: true }).textContent()).toContain('FR');
  expect(await axeViolations(anaPage)).toEqual([]);

  // Ana hands the French conversation to Ben by name; Ben gets the whole history.
  await benPage.getByLabel(S.available).check();
  await panel.getByRole('button', { name: S.transfer, exact: true }).click();
  await panel.getByRole('button', { name: fill(S.transferTo, { name: 'Ben' }) }).click();
  await anaPage.getByText(S.removedTransferred).waitFor();
  const benPanel = benPage.locator('.conv-panel:not([hidden])');
  await benPanel.locator('.msg-text', { hasText: 'premier message' }).waitFor();
  await benPanel.locator('.msg-text', { hasText: 'écrit hors ligne' }).waitFor();
  await v1.page.getByRole('heading', { level: 1, name: fill(VF.chatWith, { name: 'Ben' }) }).waitFor();
  await v1.page.getByText(VF['sys.transferred']).waitFor();

  // Ben puts it back in the queue; it leaves his console.
  await benPanel.getByRole('button', { name: S.transfer, exact: true }).click();
  await benPanel.getByRole('button', { name: S.transferQueue }).click();
  await benPage.getByText(S.removedRequeued).waitFor();

  // Ana blocks the Dutch visitor, who cannot start again.
  await anaPage.getByRole('tab', { name: /NL/ }).click();
  const nlPanel = anaPage.locator('.conv-panel:not([hidden])');
  await nlPanel.locator('.msg-text', { hasText: 'hallo daar' }).waitFor();
  expect(await anaPage.title()).not.toMatch(/^\(/);
  await nlPanel.getByRole('button', { name: S.block, exact: true }).click();
  await nlPanel.getByLabel(S.blockReason).fill('insults');
  await nlPanel.getByRole('button', { name: S.blockDo }).click();
  await nlPanel.getByText(S.endedBlocked).waitFor();
  await v2.page.getByRole('heading', { level: 1, name: VISITOR.nl.endedHeading }).waitFor();
  await v2.page.getByRole('button', { name: VISITOR.nl.newChat }).click();
  await v2.page.getByRole('button', { name: VISITOR.nl.start }).click();
  await v2.page.getByText(VISITOR.nl['err.blocked']).waitFor();
  expect(await axeViolations(v2.page)).toEqual([]);

  for (const watch of watches) expectClean(watch);
});

test('the status choices wait for the server: "away" chosen as the console opens is what the server keeps', async () => {
  const cleo = await createStaff(app.url, { role: 'listener', languages: ['fr'], maxConcurrent: 3, displayName: 'Cleo' });
  const { page } = await open('fr-BE');
  // Hold the console's connection (long-polling first, then the websocket upgrade) until we let it
  // through: meanwhile the page has no state from the server.
  let letThrough: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (letThrough = resolve));
  await page.route(/\/socket\.io\//, async (route) => {
    await held;
    await route.continue();
  });
  await page.routeWebSocket(/\/socket\.io\//, async (ws) => {
    await held;
    ws.connectToServer();
  });
  await signIn(page, `${app.url}/listener`, cleo.username, cleo.password);
  await page.locator('.queue-bar').waitFor();
  const away = page.getByLabel(S.away);
  const available = page.getByLabel(S.available);
  // Nothing is shown as chosen, and nothing can be chosen, before the server says what the status is.
  for (const choice of [away, available]) {
    expect(await choice.isDisabled()).toBe(true);
    expect(await choice.isChecked()).toBe(false);
  }
  letThrough();
  await away.check(); // waits until the choice is enabled, i.e. the server's state has arrived
  await until('Cleo away on the server', async () => (await app.store.getPresence(cleo.user.id))?.status === 'away', 10_000);
  expect(await away.isChecked()).toBe(true);
  await page.context().close();
});
