/**
 * Summarises a V8 sampling heap profile (.heapprofile, from the `heap-sampling` server hook): the
 * bytes allocated per function, per package or project folder, and inclusive per function of
 * ours. Also a command: `tsx scripts/bench/heap-top.ts <file.heapprofile> promoted|all [top]`.
 *
 * With `promoted` the hook samples only objects that outlive a scavenge: the bytes that reach the
 * old generation, what a major GC has to mark or sweep. With `all`, every allocation.
 */
import { readFileSync } from 'node:fs';
import { add, label, moduleOf, top, type CallFrame } from './profile-top';
import type { HeapSampled } from './types';

interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

interface HeapProfile {
  head: HeapNode;
}

/** Bytes allocated under each function of server/ or shared/, counted once per stack. */
function inclusiveOwn(head: HeapNode): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (node: HeapNode, onStack: Set<string>): number => {
    let total = node.selfSize;
    const key = label(node.callFrame);
    const own = /\/(server|shared)\//.test(node.callFrame.url) && !onStack.has(key);
    if (own) onStack.add(key);
    for (const child of node.children) total += walk(child, onStack);
    if (own) {
      onStack.delete(key);
      add(out, key, total);
    }
    return total;
  };
  walk(head, new Set());
  return out;
}

export function summarizeHeapFile(path: string, seconds: number, sampled: HeapSampled, n = 25): string {
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
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  const rate = seconds > 0 ? `, ${mb(total / seconds)}/s` : '';
  return [
    `${path}: ${mb(total)} ${sampled === 'all' ? 'allocated' : 'outlived a scavenge'}${rate} (sampled); shares of that:`,
    'by allocating function:',
    ...top(self, total, n),
    'by package or folder:',
    ...top(modules, total, 12),
    'inclusive, functions of server/ and shared/:',
    ...top(inclusiveOwn(profile.head), total, 15),
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
