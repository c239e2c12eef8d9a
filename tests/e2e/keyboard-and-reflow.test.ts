/**
 * Without a mouse: a visitor starts a chat, writes, ends it with the confirmation and rates it using
 * the keyboard alone, with a visible focus ring all along; and at 320 CSS pixels wide (WCAG reflow,
 * the same as 400 % zoom) nothing scrolls sideways, with text enlarged 200 %.
 */
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { createStaff } from '../support/app';
import { type NeutralSite, axeViolations, expectClean, newContext, signIn, watchPage, closeE2e, openE2e } from './support-e2e';
import { STAFF, VISITOR, fill } from './texts';

jest.setTimeout(60_000);

const V = VISITOR.en;
let browser: Browser;
let site: NeutralSite;
let app: TestApp;

beforeAll(async () => {
  ({ browser, site, app } = await openE2e());
});

afterAll(async () => {
  await closeE2e({ browser, site, app });
});

/** Presses Tab until the focused element has this accessible text; checks each stop shows a focus ring. */
async function tabTo(page: Page, text: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { text: '', ring: true };
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      const style = getComputedStyle(el);
      return { text: (label ?? el.textContent ?? '').trim(), ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    expect(focused).toEqual({ text: focused.text, ring: true });
    if (focused.text === text) return;
  }
  throw new Error(`could not tab to "${text}"`);
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const tooWide = (el: Element) => el.getBoundingClientRect().right > width + 1;
    // Only the innermost culprits: a child that overflows makes its parents overflow too.
    const wide = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => tooWide(el) && ![...el.children].some(tooWide));
    return wide.slice(0, 5).map((el) => `${el.tagName}.${el.className}: ${Math.round(el.getBoundingClientRect().right)}`);
  });
  expect(overflow).toEqual([]);
}

test('a visitor can do everything with the keyboard, and the page reflows at 320 px with 200 % text', async () => {
  const staff = await createStaff(app.url, { role: 'listener', languages: ['en'], displayName: 'Kai' });
  const listenerContext = await newContext(browser, 'en-GB');
  const listener = await listenerContext.newPage();
  await signIn(listener, `${app.url}/listener`, staff.username, staff.password);
  await listener.locator('.queue-bar').waitFor();

  const context = await newContext(browser, 'en-GB', { width: 320, height: 640 });
  const page = await context.newPage();
  const watch = watchPage(page, [app.url]);
  await page.goto(`${app.url}/`);
  await page.getByRole('heading', { level: 1, name: V.introHeading }).waitFor();
  await noSidewaysScroll(page);
  // Text zoom: the page is sized in rem, so a larger root font must not break the layout.
  await page.evaluate(() => {
    document.documentElement.style.fontSize = '200%';
  });
  await noSidewaysScroll(page);
  expect(await axeViolations(page)).toEqual([]);

  await tabTo(page, V.formFirst);
  await page.keyboard.type('typed with keys only');
  await tabTo(page, V.start);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: fill(V.chatWith, { name: 'Kai' }) }).waitFor();
  await noSidewaysScroll(page);

  await tabTo(page, V.messageLabel);
  await page.keyboard.type('and a second one');
  await page.keyboard.press('Enter');
  await page.locator('.msg-mine', { hasText: 'and a second one' }).locator('.msg-state', { hasText: V.sent }).waitFor();
  await listener.locator('.msg-text', { hasText: 'and a second one' }).waitFor();

  await page.keyboard.press('Shift+Tab');
  await tabTo(page, V.endChat);
  await page.keyboard.press('Enter');
  // Focus goes to the safe answer first.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(V.keepTalking);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: V.endedHeading }).waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(V.endedHeading);
  await noSidewaysScroll(page);

  await tabTo(page, '1');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  expect(await page.locator('.rating input:checked').getAttribute('value')).toBe('3');
  await tabTo(page, V.feedbackSend);
  await page.keyboard.press('Enter');
  await page.getByText(V.feedbackThanks).waitFor();
  await listener.getByText(STAFF.en.endedVisitor).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  expectClean(watch);
  await Promise.all([context.close(), listenerContext.close()]);
});
