/**
 * The CPU profile summary of the benchmark (`profile.ts --cpu-prof`): a sample counts for the time
 * until the next one, so unevenly spaced samples are weighed by time, not by count.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeFile } from '../../scripts/bench/profile-top';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

/** A profile of a root with an idle node, a server function and a library function under it. */
function profile(samples: number[], timeDeltas?: number[]) {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 3] },
      { id: 2, callFrame: frame('(idle)', ''), hitCount: samples.filter((s) => s === 2).length },
      { id: 3, callFrame: frame('send', '/app/dist/server/domain/visitors.js'), hitCount: samples.filter((s) => s === 3).length, children: [4] },
      { id: 4, callFrame: frame('emit', '/app/node_modules/socket.io/dist/socket.js'), hitCount: samples.filter((s) => s === 4).length },
    ],
    startTime: 0,
    endTime: 4_000,
    samples,
    ...(timeDeltas ? { timeDeltas } : {}),
  };
}

describe('benchmark CPU profile summary', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ps-profile-top-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const summary = (p: object, messages?: number) => {
    const file = join(dir, 'p.cpuprofile');
    writeFileSync(file, JSON.stringify(p));
    return summarizeFile(file, 10, messages);
  };

  it('weighs each sample by the time until the next one', () => {
    // One idle sample that lasts 3,000 µs, then three busy ones of 250 µs each (the last lasts 0).
    const text = summary(profile([2, 3, 4, 4], [0, 3_000, 250, 250]), 10);
    // Busy: send 250 µs, emit 250 µs (the last sample has no successor): 500 µs over 10 messages.
    expect(text).toContain('idle 85.7%, busy 50.0 µs a message over 10 messages');
    expect(text).toMatch(/50\.0%\s+25\.00 µs\s+send server\/domain\/visitors\.js:1/);
    expect(text).toMatch(/inclusive time of server\/ functions:\n\s+100\.0%\s+50\.00 µs\s+send server\/domain\/visitors\.js:1/);
  });

  it('spreads the profile evenly over the samples when it has no time deltas', () => {
    const text = summary(profile([2, 3, 4, 4]));
    expect(text).toContain('idle 25.0%; shares below are of busy time');
    expect(text).toMatch(/66\.7%\s+emit node_modules\/socket\.io\/dist\/socket\.js:1/);
  });

  it('names the longest stretch without an idle sample, what ran in it and what was on the stack', () => {
    // Busy 500 µs (send, emit), idle, then busy 1,000 µs (emit, emit, send, emit), idle.
    const samples = [3, 4, 2, 4, 4, 3, 4, 2];
    const text = summary(profile(samples, [0, 250, 250, 2_500, 250, 250, 250, 250]));
    // The second stretch starts at its first sample, 3,000 µs in, and its samples last 250 µs each.
    expect(text).toContain('longest busy stretch (no idle sample): 1.0 ms, 0.003 s into the profile; self time:');
    expect(text).toMatch(/busy stretch[^\n]*\n\s+75\.0%\s+emit node_modules\/socket\.io\/dist\/socket\.js:1\n\s+25\.0%\s+send /);
    // send is on the stack for its own sample and for the emits under it: all of the stretch.
    expect(text).toMatch(/on the stack during it:\n\s+100\.0%\s+send server\/domain\/visitors\.js:1\n\s+75\.0%\s+emit /);
  });
});
