/**
 * Summarises V8 .cpuprofile files (from `node --cpu-prof`): the functions with the most self time,
 * self time per package or project folder, and inclusive time of our own server functions.
 * Also a command: `tsx scripts/bench/profile-top.ts <file-or-folder> [top]`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** `node_modules/<pkg>`, or the project folder (server/store/redis, ...), or a node internal. */
export function moduleOf(url: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const own = /\/(server|shared|dist\/server|dist\/shared)\/(.*)\/[^/]+$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  const file = /\/(server|shared)\/[^/]+$/.exec(url);
  if (file) return file[1];
  return url.startsWith('node:') ? 'node internals' : url === '' ? '(native/gc/idle)' : url;
}

export function label(f: CallFrame): string {
  const file = f.url.replace(/^.*\/(node_modules\/|server\/|shared\/)/, '$1');
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
}

export function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

export function top(map: Map<string, number>, total: number, n: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

/** How `inclusiveOf` reads a profile's tree. */
export interface TreeReader<N> {
  frame(node: N): CallFrame;
  self(node: N): number;
  children(node: N): N[];
}

/** Inclusive totals of the functions whose url `own` matches, counted once per stack even when recursive. */
export function inclusiveOf<N>(root: N, tree: TreeReader<N>, own: RegExp): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (node: N, onStack: Set<string>): number => {
    let total = tree.self(node);
    const frame = tree.frame(node);
    const key = label(frame);
    const counted = own.test(frame.url) && !onStack.has(key);
    if (counted) onStack.add(key);
    for (const child of tree.children(node)) total += walk(child, onStack);
    if (counted) {
      onStack.delete(key);
      add(out, key, total);
    }
    return total;
  };
  walk(root, new Set());
  return out;
}

/** Inclusive samples of functions under server/. */
function inclusiveOwn(profile: CpuProfile, byId: Map<number, ProfileNode>): Map<string, number> {
  const children = (node: ProfileNode) => (node.children ?? []).flatMap((id) => byId.get(id) ?? []);
  return inclusiveOf(profile.nodes[0], { frame: (n) => n.callFrame, self: (n) => n.hitCount ?? 0, children }, /\/server\//);
}

export function summarizeFile(path: string, n = 25): string {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    if (node.callFrame.functionName === '(idle)') continue;
    add(self, label(node.callFrame), hits);
    add(modules, moduleOf(node.callFrame.url), hits);
  }
  const idle = profile.nodes.filter((x) => x.callFrame.functionName === '(idle)').reduce((a, x) => a + (x.hitCount ?? 0), 0);
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  // Shares are of busy samples: a benchmark server idles between windows.
  const busy = Math.max(1, total - idle);
  return [
    `${path}: ${seconds.toFixed(1)} s, ${total} samples, idle ${((100 * idle) / Math.max(1, total)).toFixed(1)}%; shares below are of busy time`,
    'self time by function:',
    ...top(self, busy, n),
    'self time by package or folder:',
    ...top(modules, busy, 15),
    'inclusive time of server/ functions:',
    ...top(inclusiveOwn(profile, byId), busy, 25),
  ].join('\n');
}

/** Summaries of every .cpuprofile in a folder (or of one file). */
export function summarizeProfile(pathOrDir: string, n = 25): string {
  const st = statSync(pathOrDir, { throwIfNoEntry: false });
  if (!st) return `no profile at ${pathOrDir}`;
  if (st.isFile()) return summarizeFile(pathOrDir, n);
  const files = readdirSync(pathOrDir).filter((f) => f.endsWith('.cpuprofile'));
  return files.map((f) => summarizeFile(join(pathOrDir, f), n)).join('\n\n');
}

if (require.main === module) {
  const [target, count] = process.argv.slice(2);
  if (!target) {
    console.error('usage: profile-top <file.cpuprofile | folder> [top]');
    process.exit(2);
  }
  console.log(summarizeProfile(target, Number(count ?? 25)));
}
