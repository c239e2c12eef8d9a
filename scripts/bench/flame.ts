/**
 * Flame graphs of V8 CPU profiles (`node --cpu-prof`, `profile.ts --cpu-prof=window`): one
 * self-contained HTML page beside each `.cpuprofile`, drawn by d3-flame-graph's own page template
 * (the one `perf script report flamegraph` fills), so it opens offline in any browser: click to
 * zoom, search by name. A frame's width is CPU time, idle excluded. Green frames are our code
 * (server/, shared/), orange ones Node.js and V8 (internals, the collector, natives), the warm ones
 * the libraries.
 * Also a command: `tsx scripts/bench/flame.ts <file.cpuprofile | folder>`.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { label, moduleOf, readProfile, selfTimes, type CpuProfile, type ProfileNode } from './profile-top';

/** A frame as d3-flame-graph reads it, with `selfValue(true)`: `value` is the frame's own time. */
export interface FlameNode {
  name: string;
  /** Microseconds of CPU with this frame on top of the stack. */
  value: number;
  /** Colours the frame: 'jit' (green) for our code, 'kernel' (orange) for Node.js and V8. */
  libtype?: 'jit' | 'kernel';
  children: FlameNode[];
}

const TEMPLATE = join(__dirname, '..', '..', 'node_modules', 'd3-flame-graph', 'dist', 'templates', 'd3-flamegraph-base.html');

function libtypeOf(url: string): FlameNode['libtype'] {
  const module = moduleOf(url);
  if (/^(dist\/)?(server|shared)(\/|$)/.test(module)) return 'jit';
  return url === '' || url.startsWith('node:') ? 'kernel' : undefined;
}

/**
 * The profile's call tree, with each sample weighed by the time until the next one (as the
 * summary does) and idle left out. Calls of the same function from the same caller are merged, and
 * branches where no time was spent are dropped.
 */
export function flameTree(profile: CpuProfile, title: string): FlameNode {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = selfTimes(profile);
  const root: FlameNode = { name: title, value: 0, children: [] };
  const insert = (parent: FlameNode, node: ProfileNode): void => {
    const { callFrame } = node;
    if (callFrame.functionName === '(idle)') return;
    const name = label(callFrame);
    let frame = parent.children.find((child) => child.name === name);
    if (!frame) {
      frame = { name, value: 0, libtype: libtypeOf(callFrame.url), children: [] };
      parent.children.push(frame);
    }
    frame.value += Math.round(selfUs.get(node.id) ?? 0);
    for (const id of node.children ?? []) {
      const child = byId.get(id);
      if (child) insert(frame, child);
    }
  };
  // The profile's own root, "(root)", becomes the graph's root under the title.
  for (const id of profile.nodes[0]?.children ?? []) {
    const child = byId.get(id);
    if (child) insert(root, child);
  }
  prune(root);
  return root;
}

/** Drops the branches with no time in them, leaves first. */
function prune(node: FlameNode): void {
  for (const child of node.children) prune(child);
  node.children = node.children.filter((child) => child.value > 0 || child.children.length > 0);
}

/** Microseconds in a frame and everything it called. */
export const totalUs = (node: FlameNode): number => node.children.reduce((sum, child) => sum + totalUs(child), node.value);

/** d3-flame-graph's page with the tree and a context text (shown by its Context button) filled in. */
export function flameHtml(tree: FlameNode, context: string): string {
  const template = readFileSync(TEMPLATE, 'utf8');
  // JSON inside a <script>: "<" escaped so that no string in it can close the element.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  const fill = (placeholder: string, value: unknown) => {
    if (!template.includes(placeholder)) throw new Error(`d3-flame-graph's template has no ${placeholder}`);
    return (html: string) => html.replace(placeholder, () => json(value));
  };
  const title = tree.name.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return [fill('/** @flamegraph_json **/', tree), fill('/** @options_json **/', { context })].reduce(
    (html, apply) => apply(html),
    template.replace('<title>Flame Graph</title>', `<title>${title}</title>`),
  );
}

/** Writes `<name>.html` beside a `.cpuprofile` and returns its path. */
export function writeFlameGraph(profilePath: string): string {
  const profile = readProfile(profilePath);
  const tree = flameTree(profile, basename(profilePath));
  const busyMs = totalUs(tree) / 1000;
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const context = [
    `${profilePath}: ${seconds.toFixed(1)} s profiled, ${busyMs.toFixed(1)} ms of it busy (idle is left out).`,
    'A frame is a function, its width the CPU time it was on the stack; "samples" in the labels are microseconds,',
    'each sample weighed by the time until the next one. Green: our code (server/, shared/); orange: Node.js and V8',
    '(internals, the collector, natives); warm colours: the libraries.',
  ].join('\n');
  const out = profilePath.replace(/\.cpuprofile$/, '') + '.html';
  writeFileSync(out, flameHtml(tree, context));
  return out;
}

/** Flame graphs of every .cpuprofile in a folder (or of one file): one line per page written. */
export function flameGraphs(pathOrDir: string): string {
  const st = statSync(pathOrDir, { throwIfNoEntry: false });
  if (!st) return `no profile at ${pathOrDir}`;
  const files = st.isFile() ? [pathOrDir] : readdirSync(pathOrDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(pathOrDir, f));
  return files.map((f) => `flame graph: ${writeFlameGraph(f)}`).join('\n');
}

if (require.main === module) {
  const [target] = process.argv.slice(2);
  if (!target) {
    console.error('usage: flame <file.cpuprofile | folder>');
    process.exit(2);
  }
  console.log(flameGraphs(target));
}
