/**
 * A whole conversation in each language, in two browser contexts: the visitor starts, the listener
 * gets it, both write, the visitor reloads and sees the history once, the listener ends with a
 * wrap-up, the visitor leaves feedback. Every state is checked with axe-core, and no page reaches
 * another origin or breaks the CSP.
 */
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { type Staff, createStaff } from '../support/app';
import { type NeutralSite, type PageWatch, axeViolations, expectClean, newContext, screenshots, signIn, watchPage, closeE2e, openE2e } from './support-e2e';
import { LOCALES, type Lang, STAFF, VISITOR, fill } from './texts';

jest.setTimeout(120_000);

let browser: Browser;
let site: NeutralSite;
let app: TestApp;

beforeAll(async () => {
  ({ browser, site, app } = await openE2e());
});

afterAll(async () => {
  await closeE2e({ browser, site, app });
});

async function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allTextContents();
}

/** One language's full conversation; returns what axe found, by state. */
async function conversationIn(lang: Lang, staff: Staff): Promise<{ axe: Record<string, string[]>; watches: PageWatch[] }> {
  const V = VISITOR[lang];
  const S = STAFF[lang];
  const displayName = staff.user.displayName;
  const axe: Record<string, string[]> = {};
  const allowed = [app.url];

  const listenerContext = await newContext(browser, LOCALES[lang]);
  const lp = await listenerContext.newPage();
  const lWatch = watchPage(lp, allowed);
  await lp.goto(`${app.url}/listener`);
  await lp.locator('form.login').waitFor();
  axe.login = await axeViolations(lp);
  await signIn(lp, `${app.url}/listener`, staff.username, staff.password);
  await lp.locator('.queue-bar').waitFor();
  await lp.getByText(S.noConversations).waitFor();
  axe.consoleEmpty = await axeViolations(lp);

  const visitorContext = await newContext(browser, LOCALES[lang]);
  const vp = await visitorContext.newPage();
  const vWatch = watchPage(vp, allowed);
  await vp.goto(`${app.url}/`);
  await vp.getByRole('heading', { level: 1, name: V.introHeading }).waitFor();
  expect(await vp.title()).toBe(V.tabTitle);
  expect(await vp.evaluate(() => document.documentElement.lang)).toBe(lang);
  axe.intro = await axeViolations(vp);
  if (lang !== 'en') await screenshots(vp, `visitor-intro-${lang}`);

  await vp.getByLabel(V.formTopic).selectOption('feelings');
  await vp.getByLabel(V.formFirst).fill(`first words ${lang}`);
  await vp.getByRole('button', { name: V.start }).click();
  await vp.getByRole('heading', { level: 1, name: fill(V.chatWith, { name: displayName }) }).waitFor();

  const panel = lp.locator('.conv-panel:not([hidden])');
  await lp.getByRole('tab').first().waitFor();
  await panel.locator('.msg-text', { hasText: `first words ${lang}` }).waitFor();
  await panel.getByLabel(S.replyLabel).fill(`hello from the listener ${lang}`);
  await panel.getByLabel(S.replyLabel).press('Enter');
  await vp.locator('.msg-theirs .msg-text', { hasText: `hello from the listener ${lang}` }).waitFor();

  await vp.getByLabel(V.messageLabel).fill(`second visitor message ${lang}`);
  await vp.getByLabel(V.messageLabel).press('Enter');
  await vp.locator('.msg-mine', { hasText: `second visitor message ${lang}` }).locator('.msg-state', { hasText: V.sent }).waitFor();
  await panel.locator('.msg-text', { hasText: `second visitor message ${lang}` }).waitFor();
  axe.chat = await axeViolations(vp);
  axe.consoleChat = await axeViolations(lp);
  if (lang !== 'en') {
    await screenshots(vp, `visitor-chat-${lang}`);
    await screenshots(lp, `listener-console-${lang}`);
  }

  const before = await texts(vp, '.log .msg');
  await vp.reload();
  await vp.locator('.msg-theirs .msg-text', { hasText: `hello from the listener ${lang}` }).waitFor();
  await vp.locator('.msg-mine .msg-text', { hasText: `second visitor message ${lang}` }).waitFor();
  await vp.waitForTimeout(300);
  const after = await texts(vp, '.log .msg');
  expect(after).toEqual(before);
  for (const text of [`first words ${lang}`, `hello from the listener ${lang}`, `second visitor message ${lang}`]) {
    expect(await vp.locator('.msg-text', { hasText: text }).count()).toBe(1);
  }

  await panel.getByRole('button', { name: S.end, exact: true }).click();
  const wrap = panel.locator('form.wrap-up');
  await wrap.getByLabel(VISITOR[lang]['topic.feelings']).check();
  await wrap.getByLabel(S.risk_low).check();
  await wrap.getByLabel(S.wrapNote).fill('calm by the end');
  axe.wrapUp = await axeViolations(lp);
  await wrap.getByRole('button', { name: S.wrapSave }).click();
  await lp.getByText(S.noConversations).waitFor();

  await vp.getByRole('heading', { level: 1, name: V.endedHeading }).waitFor();
  await vp.getByText(V.endedByListener).waitFor();
  axe.ended = await axeViolations(vp);
  if (lang !== 'en') await screenshots(vp, `visitor-ended-${lang}`);
  await vp.locator('.rating label', { hasText: '4' }).click();
  await vp.getByLabel(V.feedbackComment).fill('it helped');
  await vp.getByRole('button', { name: V.feedbackSend }).click();
  await vp.getByText(V.feedbackThanks).waitFor();
  axe.feedback = await axeViolations(vp);

  // Nothing but the token in sessionStorage, nothing at all in localStorage or cookies.
  const storage = await vp.evaluate(() => ({ local: localStorage.length, session: Object.keys(sessionStorage), cookie: document.cookie }));
  expect(storage.local).toBe(0);
  expect(storage.cookie).toBe('');
  expect(storage.session.filter((k) => k !== 't' && k !== 'l')).toEqual([]);
  expect(await visitorContext.cookies()).toEqual([]);

  await Promise.all([listenerContext.close(), visitorContext.close()]);
  return { axe, watches: [lWatch, vWatch] };
}

test('a conversation in French, Dutch and English runs from start to feedback, with the history once after a reload', async () => {
  const langs = ['fr', 'nl', 'en'] as const;
  // One at a time: the first call also sets the server up.
  const staff: Staff[] = [];
  for (const lang of langs) staff.push(await createStaff(app.url, { role: 'listener', languages: [lang], maxConcurrent: 2, displayName: `Sam-${lang}` }));
  const results = await Promise.allSettled(langs.map((lang, i) => conversationIn(lang, staff[i]).then((r) => ({ lang, ...r }))));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${['fr', 'nl', 'en'][i]}: ${r.reason instanceof Error ? r.reason.stack : String(r.reason)}`] : []));
  expect(failures).toEqual([]);
  for (const r of results) {
    if (r.status !== 'fulfilled') continue;
    for (const [state, violations] of Object.entries(r.value.axe)) expect({ lang: r.value.lang, state, violations }).toEqual({ lang: r.value.lang, state, violations: [] });
    for (const watch of r.value.watches) expectClean(watch);
  }
  const conversations = await app.store.flaggedConversations();
  expect(conversations).toEqual([]);
});
