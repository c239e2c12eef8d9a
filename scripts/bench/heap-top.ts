/**
 * Summarises a V8 sampling heap profile (.heapprofile, from the `heap-sampling` server hook): the
 * bytes allocated per function, per package or project folder, and inclusive per function of
 * ours. Also a command: `tsx scripts/bench/heap-top.ts <file.heapprofile> promoted|all [top]`.
 *
 * With `promoted` the hook samples the objects that are promoted to the old generation (what a
 * major GC has to mark or sweep) or still alive when it stops; objects that die in a scavenge are
 * left out. With `all`, every allocation.
 */
import { readFileSync } from 'node:fs';
import { add, inclusiveOf, label, moduleOf, top, type CallFrame } from './profile-top';
import type { HeapSampled } from './types';

interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

interface HeapProfile {
  head: HeapNode;
}

/** `messages`: how many were sent while it sampled (0: unknown), for the bytes a message. */
export function summarizeHeapFile(path: string, messages: number, sampled: HeapSampled, n = 25, unit = 'message'): string {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as HeapProfile;
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode) => {
    if (node.selfSize > 0) {
      total += node.selfSize;
      add(self, label(node.callFrame), node.selfSize);
      add(modules, moduleOf(node.callFrame.url), node.selfSize);
    }
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const perMessage = messages > 0 ? `, ${Math.round(total / messages)} bytes a ${unit} over ${messages} ${unit}s` : '';
  const what = sampled === 'all' ? 'allocated' : 'promoted (or still alive at the end)';
  return [
    `${path}: ${(total / 2 ** 20).toFixed(1)} MiB ${what}${perMessage} (sampled); shares of that:`,
    'by allocating function:',
    ...top(self, total, n),
    'by package or folder:',
    ...top(modules, total, 12),
    'inclusive, functions of server/ and shared/:',
    ...top(inclusiveOf(profile.head, { frame: (n) => n.callFrame, self: (n) => n.selfSize, children: (n) => n.children }, /\/(server|shared)\//), total, 15),
  ].join('\n');
}

if (require.main === module) {
  const [target, sampled, count] = process.argv.slice(2);
  if (!target || (sampled !== 'promoted' && sampled !== 'all')) {
    console.error('usage: heap-top <file.heapprofile> promoted|all [top]');
    process.exit(2);
  }
  console.log(summarizeHeapFile(target, 0, sampled, Number(count ?? 25)));
}
