/**
 * The supervisor dashboard against live traffic: it shows the waiting visitor and the listener at
 * capacity, raises an alert (with the flag listed) when the listener flags, draws the charts (seeded
 * from the recorded history), and creates an account from the form. Checked with axe in French and
 * Dutch.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { type Staff, createStaff } from '../support/app';
import { type NeutralSite, type PageWatch, SHOTS_DIR, axeViolations, expectClean, newContext, screenshots, signIn, watchPage, closeE2e, openE2e } from './support-e2e';
import { STAFF, VISITOR, fill } from './texts';

jest.setTimeout(90_000);

let browser: Browser;
let site: NeutralSite;
let app: TestApp;
let supervisor: Staff;
let listenerStaff: Staff;
const contexts: BrowserContext[] = [];
const watches: PageWatch[] = [];

beforeAll(async () => {
  ({ browser, site, app } = await openE2e());
  supervisor = await createStaff(app.url, { role: 'supervisor', languages: ['fr', 'nl', 'en'], displayName: 'Alex' });
  listenerStaff = await createStaff(app.url, { role: 'listener', languages: ['fr'], maxConcurrent: 1, displayName: 'Jo' });
});

afterAll(async () => {
  await closeE2e({ browser, site, app });
});

async function page(locale: string): Promise<Page> {
  const context = await newContext(browser, locale);
  contexts.push(context);
  const p = await context.newPage();
  watches.push(watchPage(p, [app.url]));
  return p;
}

async function visitorStarts(locale: string, lang: 'fr' | 'nl', text: string): Promise<Page> {
  const V = VISITOR[lang];
  const p = await page(locale);
  await p.goto(`${app.url}/`);
  await p.getByLabel(V.formFirst).fill(text);
  await p.getByRole('button', { name: V.start }).click();
  await p.locator('.conversation').waitFor();
  return p;
}

test('the dashboard shows the waiting visitor and the busy listener, and alerts when the listener flags', async () => {
  const S = STAFF.fr;
  const listener = await page('fr-BE');
  await signIn(listener, `${app.url}/listener`, listenerStaff.username, listenerStaff.password);
  await listener.locator('.queue-bar').waitFor();

  const chatting = await visitorStarts('fr-BE', 'fr', 'bonjour');
  await chatting.getByRole('heading', { level: 1, name: fill(VISITOR.fr.chatWith, { name: 'Jo' }) }).waitFor();
  const waiting = await visitorStarts('nl-BE', 'nl', 'hallo');
  await waiting.locator('.queue-line').waitFor();
  expect(await waiting.locator('.queue-line').textContent()).toContain(VISITOR.nl.queueNext);
  expect(await axeViolations(waiting)).toEqual([]);
  await screenshots(waiting, 'visitor-waiting-nl');

  const dash = await page('fr-BE');
  // The charts start from the server's recorded history, then follow the stream.
  const historyReply = dash.waitForResponse((res) => res.url().includes('/api/stats/history'));
  await signIn(dash, `${app.url}/supervisor`, supervisor.username, supervisor.password);
  expect((await historyReply).status()).toBe(200);
  const waitingTile = dash.locator('.tile', { hasText: S.statWaiting }).first();
  await dash.locator('.tile', { hasText: S.statWaiting }).locator('dd', { hasText: '1' }).first().waitFor();
  expect(await waitingTile.locator('dd').textContent()).toBe('1');
  const listenersSection = dash.locator('section', { has: dash.getByRole('heading', { name: S.listenersSection }) });
  const joRow = listenersSection.locator('tr', { hasText: 'Jo' });
  await joRow.waitFor();
  expect(await joRow.textContent()).toContain('1 / 1');
  expect(await joRow.textContent()).toContain(S.statAtCapacity);
  expect(await dash.locator('.tile', { hasText: S.statAtCapacity }).locator('dd').textContent()).toBe('1');
  expect(await dash.locator('.chart-line').count()).toBe(3);
  expect(await axeViolations(dash)).toEqual([]);

  const panel = listener.locator('.conv-panel:not([hidden])');
  await panel.getByRole('button', { name: S.flag, exact: true }).click();
  await panel.getByRole('button', { name: S.flagUrgent }).click();
  await panel.getByText(S.flagDone).waitFor();

  const alertText = fill(S.alertFlag, { level: S.flagLevel_urgent });
  await dash.locator('.alert-item', { hasText: alertText }).waitFor();
  expect(await dash.locator('[role="alert"]').first().textContent()).toBe(alertText);
  expect(await dash.title()).toBe(`(1) ${S.dashboardTitle}`);
  await dash.locator('.tile', { hasText: S.statFlagged }).locator('dd', { hasText: '1' }).waitFor();
  expect(await axeViolations(dash)).toEqual([]);
  expect(await axeViolations(listener)).toEqual([]);
  await screenshots(dash, 'supervisor-dashboard-fr');
  await dash.locator('.charts').screenshot({ path: join(SHOTS_DIR, 'supervisor-charts-fr.png') });
  await dash.getByRole('button', { name: 'Nederlands' }).click();
  await dash.getByRole('heading', { name: STAFF.nl.alertsSection }).waitFor();
  expect(await axeViolations(dash)).toEqual([]);
  await screenshots(dash, 'supervisor-dashboard-nl');

  await dash.getByRole('button', { name: STAFF.nl.alertDismiss }).click();
  expect(await dash.locator('.alert-item').count()).toBe(0);
  expect(await dash.title()).toBe(STAFF.nl.dashboardTitle);
  for (const watch of watches) expectClean(watch);
});

test('a supervisor creates a listener account and edits the quick replies from the dashboard', async () => {
  const N = STAFF.nl;
  const dash = await page('nl-BE');
  await signIn(dash, `${app.url}/supervisor`, supervisor.username, supervisor.password);
  await dash.getByText(N.createUser).click();
  const form = dash.locator('details.create-user form');
  await form.getByLabel(N.username).fill('kim-e2e');
  await form.getByLabel(N.displayName).fill('Kim');
  await form.getByLabel(N.password).fill('a long enough password');
  await form.getByLabel(N.maxConcurrent).fill('2');
  expect(await axeViolations(dash)).toEqual([]);
  await form.getByRole('button', { name: N.create }).click();
  await dash.getByText(fill(N.created, { name: 'Kim' })).waitFor();
  await dash.locator('table.data tr', { hasText: 'kim-e2e' }).waitFor();

  const res = await fetch(`${app.url}/api/users`, { headers: { cookie: supervisor.cookie } });
  const { users } = (await res.json()) as { users: Array<{ username: string; languages: string[]; maxConcurrent: number; role: string }> };
  expect(users.find((u) => u.username === 'kim-e2e')).toMatchObject({ role: 'listener', maxConcurrent: 2, languages: ['fr', 'nl', 'en'] });

  // Quick replies: add one to the Dutch list and save it.
  const editor = dash.locator('section.canned-editor');
  await editor.getByLabel(N.metaLanguage).selectOption('nl');
  await editor.getByRole('button', { name: N.cannedAdd }).click();
  await editor.locator('.canned-row').last().getByLabel(N.cannedTitle).fill('Pauze');
  await editor.locator('.canned-row').last().getByLabel(N.cannedText).fill('Neem gerust even pauze, ik wacht op je.');
  await editor.getByRole('button', { name: fill(N.cannedSave, { lang: N['lang.nl'] }) }).click();
  await editor.getByText(N.saved).waitFor();
  const canned = await fetch(`${app.url}/api/canned`, { headers: { cookie: supervisor.cookie } });
  const { responses } = (await canned.json()) as { responses: Record<string, Array<{ id: string; title: string }>> };
  expect(responses.nl.map((r) => r.title)).toContain('Pauze');
  expect(responses.nl.find((r) => r.title === 'Pauze')?.id).toBe('pauze');
  expect(await axeViolations(dash)).toEqual([]);

  for (const watch of watches) expectClean(watch);
  await Promise.all(contexts.map((c) => c.close()));
});
