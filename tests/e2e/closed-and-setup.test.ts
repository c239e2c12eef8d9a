/**
 * A server outside its opening hours, and not set up yet: visitors see when it opens and the
 * contacts to use meanwhile, with no way to start a chat; the first-run page creates the first
 * supervisor, who can then sign in to the dashboard; after that /setup is gone.
 */
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/app';
import { SETUP_TOKEN } from '../support/app';
import { hoursClosedNow } from '../support/integration-helpers';
import { type NeutralSite, axeViolations, closeE2e, expectClean, newContext, openE2e, screenshots, watchPage } from './support-e2e';
import { LOCALES, STAFF, VISITOR } from './texts';

jest.setTimeout(60_000);

let browser: Browser;
let site: NeutralSite;
let app: TestApp;

beforeAll(async () => {
  ({ browser, site, app } = await openE2e({ OPENING_HOURS: hoursClosedNow() }));
});

afterAll(async () => {
  await closeE2e({ browser, site, app });
});

test.each(['fr', 'nl', 'en'] as const)('closed hours in %s: when we open, the contacts, and no start button', async (lang) => {
  const V = VISITOR[lang];
  const context = await newContext(browser, LOCALES[lang]);
  const page = await context.newPage();
  const watch = watchPage(page, [app.url]);
  await page.goto(`${app.url}/`);
  await page.getByRole('heading', { level: 1, name: V.closedHeading }).waitFor();
  const lead = await page.locator('.closed .lead').textContent();
  expect(lead).not.toBe(V.closedLater);
  expect(lead?.startsWith(V.closedNext.split('{day}')[0])).toBe(true);
  expect(await page.locator('.contact').count()).toBeGreaterThan(1);
  expect(await page.locator('a[href="tel:112"]').count()).toBe(1);
  expect(await page.getByRole('button', { name: V.start }).count()).toBe(0);
  expect(await page.locator('form.start-form').count()).toBe(0);
  expect(await page.getByRole('link', { name: V.quickExit }).isVisible()).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  if (lang !== 'en') await screenshots(page, `visitor-closed-${lang}`);
  expectClean(watch);
  await context.close();
});

test('the first-run page creates the first supervisor, who then signs in; /setup is gone afterwards', async () => {
  const S = STAFF.fr;
  const context = await newContext(browser, LOCALES.fr);
  const page = await context.newPage();
  const watch = watchPage(page, [app.url]);
  await page.goto(`${app.url}/setup`);
  await page.getByRole('heading', { level: 1, name: S.setupHeading }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await screenshots(page, 'setup-fr');

  await page.getByLabel(S.setupToken).fill(SETUP_TOKEN);
  await page.getByLabel(S.username).fill('first-boss');
  await page.getByLabel(S.displayName).fill('Camille');
  await page.getByLabel(S.password, { exact: true }).fill('a long enough password');
  await page.getByLabel(S.passwordRepeat).fill('a different password!');
  await page.getByRole('button', { name: S.setupCreate }).click();
  await page.getByText(S.passwordMismatch).waitFor();
  await page.getByLabel(S.passwordRepeat).fill('a long enough password');
  await page.getByRole('button', { name: S.setupCreate }).click();
  await page.getByText(S.setupDone).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  // Setting up signs the new supervisor in.
  await page.getByRole('link', { name: S.goDashboard }).click();
  await page.getByRole('heading', { name: S.alertsSection }).waitFor();
  await page.getByRole('button', { name: S.signOut }).click();
  await page.getByText(S.signedOut).waitFor();

  await page.getByLabel(S.username).fill('first-boss');
  await page.getByLabel(S.password).fill('wrong password here');
  await page.getByRole('button', { name: S.signIn }).click();
  await page.getByText(S['err.bad_credentials']).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByLabel(S.password).fill('a long enough password');
  await page.getByRole('button', { name: S.signIn }).click();
  await page.getByRole('heading', { name: S.alertsSection }).waitFor();
  await page.locator('.dash-section').first().waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await page.goto(`${app.url}/setup`);
  expect(new URL(page.url()).pathname).toBe('/supervisor');
  expectClean(watch);
  await context.close();
});
