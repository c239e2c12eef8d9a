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

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  /** Microseconds from the previous sample (the first: from startTime). */
  timeDeltas?: number[];
}

export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
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

/** The `n` largest entries as shares of `total`; with `perUnit`, also each entry times `perUnit`
 * (a CPU profile's microseconds, per message). */
export function top(map: Map<string, number>, total: number, n: number, perUnit?: number): string[] {
  const unit = (v: number) => (perUnit === undefined ? '' : `${(v * perUnit).toFixed(2).padStart(7)} µs`);
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%${unit(v)}  ${k}`);
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

/** Inclusive time of functions under server/. */
function inclusiveOwn(profile: CpuProfile, byId: Map<number, ProfileNode>, selfUs: Map<number, number>): Map<string, number> {
  const children = (node: ProfileNode) => (node.children ?? []).flatMap((id) => byId.get(id) ?? []);
  return inclusiveOf(profile.nodes[0], { frame: (n) => n.callFrame, self: (n) => selfUs.get(n.id) ?? 0, children }, /\/server\//);
}

/**
 * Microseconds of each node's own time. A sample stands for the time until the next one. Samples
 * are not evenly spaced (a relay at 70% idle, sampled every 250 µs, had one every 533 µs on
 * average), so counting them would misweigh busy and idle stretches. Without time deltas, each
 * sample counts the profile's length over the number of samples.
 */
export function selfTimes(profile: CpuProfile): Map<number, number> {
  const out = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples && timeDeltas && samples.length === timeDeltas.length && samples.length > 1) {
    for (let i = 0; i < samples.length; i++) {
      const next = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
      out.set(samples[i], (out.get(samples[i]) ?? 0) + Math.max(0, next));
    }
    return out;
  }
  const hits = profile.nodes.reduce((a, node) => a + (node.hitCount ?? 0), 0);
  const interval = (profile.endTime - profile.startTime) / Math.max(1, hits);
  for (const node of profile.nodes) if (node.hitCount) out.set(node.id, node.hitCount * interval);
  return out;
}

/** The longest stretch of samples without an idle one: where the event loop stood still longest. */
interface BusyStretch {
  ms: number;
  /** When it began, from the profile's start. */
  atMs: number;
  self: Map<string, number>;
  /** Each function's time on the stack during the stretch (once per sample, however deep). */
  onStack: Map<string, number>;
}

function longestBusy(profile: CpuProfile, byId: Map<number, ProfileNode>): BusyStretch | undefined {
  const { samples, timeDeltas } = profile;
  if (!samples || !timeDeltas || samples.length !== timeDeltas.length) return undefined;
  const isIdle = (id: number) => byId.get(id)?.callFrame.functionName === '(idle)';
  let best = { from: 0, to: 0, us: 0 };
  let from = 0;
  let us = 0;
  for (let i = 0; i < samples.length; i++) {
    if (isIdle(samples[i])) {
      from = i + 1;
      us = 0;
      continue;
    }
    us += Math.max(0, timeDeltas[i + 1] ?? 0);
    if (us > best.us) best = { from, to: i + 1, us };
  }
  if (best.us === 0) return undefined;
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const stretch: BusyStretch = { ms: best.us / 1000, atMs: 0, self: new Map(), onStack: new Map() };
  for (let i = 0; i <= best.from; i++) stretch.atMs += timeDeltas[i] / 1000;
  for (let i = best.from; i < best.to; i++) {
    const us = Math.max(0, timeDeltas[i + 1] ?? 0);
    const leaf = byId.get(samples[i]);
    if (!leaf) continue;
    add(stretch.self, label(leaf.callFrame), us);
    const seen = new Set<string>();
    for (let node: ProfileNode | undefined = leaf; node; node = parent.get(node.id)) {
      const key = label(node.callFrame);
      if (node.callFrame.functionName === '(root)' || seen.has(key)) continue;
      seen.add(key);
      add(stretch.onStack, key, us);
    }
  }
  return stretch;
}

function busyLines(stretch: BusyStretch | undefined): string[] {
  if (!stretch) return [];
  const us = stretch.ms * 1000;
  return [
    `longest busy stretch (no idle sample): ${stretch.ms.toFixed(1)} ms, ${(stretch.atMs / 1000).toFixed(3)} s into the profile; self time:`,
    ...top(stretch.self, us, 8),
    'on the stack during it:',
    ...top(stretch.onStack, us, 12),
  ];
}

/** With `messages` (how many the profile's window relayed, or paired: `unit`), each figure is
 * also given in microseconds of CPU a message (or pairing). */
export function summarizeFile(path: string, n = 25, messages?: number, unit = 'message'): string {
  const profile = readProfile(path);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = selfTimes(profile);
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    total += us;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    add(self, label(node.callFrame), us);
    add(modules, moduleOf(node.callFrame.url), us);
  }
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  // Shares are of busy time: a benchmark server idles between windows.
  const busy = Math.max(1, total - idle);
  const perUnit = messages ? 1 / messages : undefined;
  const perMessage = perUnit === undefined ? '' : `, busy ${(busy * perUnit).toFixed(1)} µs a ${unit} over ${messages} ${unit}s`;
  return [
    `${path}: ${seconds.toFixed(1)} s, ${profile.samples?.length ?? '?'} samples, idle ${((100 * idle) / Math.max(1, total)).toFixed(1)}%${perMessage}; shares below are of busy time`,
    'self time by function:',
    ...top(self, busy, n, perUnit),
    'self time by package or folder:',
    ...top(modules, busy, 15, perUnit),
    'inclusive time of server/ functions:',
    ...top(inclusiveOwn(profile, byId, selfUs), busy, 25, perUnit),
    ...busyLines(longestBusy(profile, byId)),
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
