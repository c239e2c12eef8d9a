// Bundles the four pages (visitor, listener, supervisor, setup) into dist/public with content-hashed
// assets and no inline script or style, prints their sizes, and fails when the visitor page's first
// load (HTML + CSS + JS, gzipped) is over budget: it must load fast on a cheap phone.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'public');
const assetsDir = join(outDir, 'assets');
const VISITOR_BUDGET_BYTES = 60 * 1024;

/** Each page: its entry, its HTML title (neutral for the visitor), and whether robots may index it. */
const pages = [
  { name: 'visitor', title: 'Notes', index: true },
  { name: 'listener', title: 'Console', index: false },
  { name: 'supervisor', title: 'Dashboard', index: false },
  { name: 'setup', title: 'Setup', index: false },
];

// A plain neutral icon, so browsers do not ask for /favicon.ico (a 404 in the console).
const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2b5a83"/><path d="M4 5h8M4 8h8M4 11h5" stroke="#fff" stroke-width="1.5"/></svg>';

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

function html({ title, index, css, js, icon }) {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    index ? '' : '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(title)}</title>`,
    `<link rel="icon" href="/assets/${icon}" type="image/svg+xml">`,
    `<link rel="stylesheet" href="/assets/${css}">`,
    `<script type="module" src="/assets/${js}"></script>`,
    '</head>',
    '<body>',
    '<div id="app"><p class="boot">…</p></div>',
    '<noscript><p class="boot">JavaScript is needed for this page. / JavaScript est nécessaire. / JavaScript is nodig.</p></noscript>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function gz(buf) {
  return gzipSync(buf, { level: 9 }).length;
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(assetsDir, { recursive: true });

  const entryPoints = Object.fromEntries(pages.map((p) => [p.name, join(root, 'client', p.name, 'main.ts')]));
  const result = await build({
    entryPoints,
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: false,
    target: 'es2020',
    platform: 'browser',
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });

  const iconName = `icon-${createHash('sha256').update(ICON_SVG).digest('hex').slice(0, 8).toUpperCase()}.svg`;
  writeFileSync(join(assetsDir, iconName), ICON_SVG);

  const rows = [];
  let visitorTotal = 0;
  for (const page of pages) {
    const entry = relative(root, entryPoints[page.name]);
    const [jsPath, meta] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === entry) ?? [];
    if (!jsPath || !meta?.cssBundle) throw new Error(`no JS or CSS output for ${entry}`);
    const js = basename(jsPath);
    const css = basename(meta.cssBundle);
    const page_html = html({ ...page, css, js, icon: iconName });
    writeFileSync(join(outDir, `${page.name}.html`), page_html);

    const jsBuf = readFileSync(join(assetsDir, js));
    const cssBuf = readFileSync(join(assetsDir, css));
    const htmlBuf = Buffer.from(page_html);
    const total = gz(htmlBuf) + gz(cssBuf) + gz(jsBuf);
    if (page.name === 'visitor') visitorTotal = total;
    rows.push({
      page: page.name,
      'html gz': kb(gz(htmlBuf)),
      'css raw': kb(cssBuf.length),
      'css gz': kb(gz(cssBuf)),
      'js raw': kb(jsBuf.length),
      'js gz': kb(gz(jsBuf)),
      'first load gz': kb(total),
    });
  }

  console.table(rows);
  const verdict = visitorTotal <= VISITOR_BUDGET_BYTES ? 'within' : 'OVER';
  console.log(`visitor first load: ${kb(visitorTotal)} gzipped (HTML + CSS + JS), ${verdict} the ${kb(VISITOR_BUDGET_BYTES)} budget`);
  if (visitorTotal > VISITOR_BUDGET_BYTES) process.exit(1);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
