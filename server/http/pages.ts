/**
 * The built client pages and their hashed assets, from dist/public. Until the client is built,
 * each page is a plain fallback (no script, no style), so the server works on its own.
 */
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import express, { Router, type Response } from 'express';
import type { Accounts } from '../domain/accounts';

interface Page {
  path: string;
  file: string;
  title: string;
}

// Neutral titles, as in the client build: a glance at a visitor's tab must not reveal the service.
const PAGES: Page[] = [
  { path: '/', file: 'visitor.html', title: 'Notes' },
  { path: '/listener', file: 'listener.html', title: 'Console' },
  { path: '/supervisor', file: 'supervisor.html', title: 'Dashboard' },
];
const SETUP_PAGE: Page = { path: '/setup', file: 'setup.html', title: 'Setup' };

/** dist/public, whether this file runs from the sources (server/http) or the build (dist/server/http). */
export function defaultPublicDir(): string {
  const root = resolve(__dirname, '..', '..');
  return basename(root) === 'dist' ? join(root, 'public') : join(root, 'dist', 'public');
}

/** A page without script or style, so it passes the CSP and works before the client build. */
export function fallbackPage(title: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title></head>`,
    '<body><main>',
    `<h1>${title}</h1>`,
    '<p>This page is not available right now. Please try again later.</p>',
    '<p>If you or someone else is in danger, call 112.</p>',
    '</main></body>',
    '</html>',
  ].join('\n');
}

async function sendPage(res: Response, dir: string, page: Page): Promise<void> {
  let html: string;
  try {
    html = await readFile(join(dir, page.file), 'utf8');
  } catch {
    html = fallbackPage(page.title);
  }
  res.type('html').send(html);
}

export function pagesRouter(deps: { accounts: Accounts; publicDir: string }): Router {
  const router = Router();
  for (const page of PAGES) {
    router.get(page.path, async (_req, res) => sendPage(res, deps.publicDir, page));
  }
  router.get(SETUP_PAGE.path, async (_req, res) => {
    if (await deps.accounts.needsSetup()) await sendPage(res, deps.publicDir, SETUP_PAGE);
    else res.redirect(303, '/supervisor');
  });
  // File names carry a content hash, so they never change and may be cached for a year.
  router.use(
    '/assets',
    express.static(join(deps.publicDir, 'assets'), { immutable: true, maxAge: '365d', index: false, redirect: false }),
  );
  return router;
}
