/**
 * A tiny round of the benchmark harness (a few conversations, a few seconds) against the baseline
 * relay and our server with the in-process store, so the harness cannot rot. No timing
 * assertions: only that every figure is produced and every message delivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildAll, type Built } from '../../scripts/bench/build';
import { writeFlameGraph } from '../../scripts/bench/flame';
import { summarizeHeapFile } from '../../scripts/bench/heap-top';
import { summarizeFile } from '../../scripts/bench/profile-top';
import { rttAt, runArm, type ArmResult } from '../../scripts/bench/run-arm';
import type { Sizes } from '../../scripts/bench/scenarios';
import { Session } from '../../scripts/bench/session';
import { launchBrowser } from '../e2e/support-e2e';

const TINY: Sizes = {
  generators: 1,
  listenersPerGen: 2,
  memorySteps: [0, 20],
  pairRates: [20],
  pairSeconds: 1,
  trafficConversations: 10,
  search: { start: 200, factor: 2, windowMs: 1000, maxSteps: 2, refineSteps: 0 },
  rttFractions: [0.5],
  rttWindowMs: 1000,
  drainMs: 5000,
  quietWaitMs: 0,
  quietSampleMs: 100,
};

let built: Built;

beforeAll(async () => {
  built = await buildAll('tsx');
}, 60_000);

async function tinyRun(kind: 'baseline' | 'memory'): Promise<ArmResult> {
  return runArm({
    kind,
    label: `smoke-${kind}`,
    built,
    sizes: TINY,
    referenceRate: 200,
    logDir: join(tmpdir(), 'ps-bench-smoke'),
    log: () => undefined,
  });
}

function expectFigures(result: ArmResult): void {
  expect(result.failures).toEqual([]);
  expect(result.memory?.points).toHaveLength(2);
  expect(result.pairing).toHaveLength(1);
  expect(result.pairing[0].latency.n).toBe(20);
  expect(result.search?.steps.length).toBeGreaterThan(0);
  expect(result.rtt).toHaveLength(1);
  const rtt = result.rtt[0];
  // The report and the targets find a window by its fraction of the reference rate.
  expect(rttAt(result, 0.5)).toBe(rtt);
  expect(rttAt(result, 0.25)).toBeUndefined();
  expect(rtt.sent).toBeGreaterThan(0);
  expect(rtt.delivered).toBe(rtt.sent);
  expect(rtt.acked).toBe(rtt.sent);
  expect(rtt.latency.n).toBe(rtt.sent);
  // The server and the generator each recorded their event loop over the window.
  expect(rtt.serverStalls?.windowMs).toBeGreaterThan(0);
  expect(rtt.genStalls).toHaveLength(1);
  expect(rtt.genStalls?.[0].windowMs).toBeGreaterThan(0);
}

/** The profile's flame graph opens offline in Chromium and draws frames, our server's among them. */
async function expectFlameGraph(page: string): Promise<void> {
  const browser = await launchBrowser();
  try {
    const tab = await browser.newPage();
    const requests: string[] = [];
    tab.on('request', (r) => requests.push(r.url()));
    await tab.goto(`file://${page}`);
    await tab.waitForSelector('svg.d3-flame-graph g.frame');
    const names = await tab.$$eval('svg.d3-flame-graph g.frame', (frames) => frames.map((f) => f.querySelector('title')?.textContent ?? ''));
    expect(names.length).toBeGreaterThan(3);
    expect(names.some((n) => / server\//.test(n))).toBe(true);
    expect(requests).toEqual([`file://${page}`]);
  } finally {
    await browser.close();
  }
}

describe('benchmark harness smoke run', () => {
  it('produces every figure against the baseline relay, with every message delivered', async () => {
    expectFigures(await tinyRun('baseline'));
  }, 120_000);

  it('produces every figure against our server with the in-process store, with every message delivered', async () => {
    expectFigures(await tinyRun('memory'));
  }, 120_000);

  it('takes a sampling heap profile and a CPU profile of a window of traffic in our server (profile.ts --heap-sample, --cpu-prof=window)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-bench-heap-'));
    const s = await Session.open({ kind: 'memory', label: 'smoke-heap', built, generators: 1, listenersPerGen: 2, logDir: dir, quietWaitMs: 0 });
    try {
      await s.connectListeners();
      await s.addConversations(10, 100);
      await s.arm.startHeapSampling('all');
      await s.arm.startCpuWindow();
      const before = await s.arm.procCounters();
      const t = await s.traffic(200, 1000, 5000);
      const after = await s.arm.procCounters();
      const cpuFile = join(dir, 'window.cpuprofile');
      await s.arm.stopCpuWindow(cpuFile);
      const file = join(dir, 'window.heapprofile');
      await s.arm.stopHeapSampling(file);
      expect(t.delivered).toBe(t.sent);
      // Each message is written to its peer and acknowledged to its sender: two write calls, fewer
      // where frames for one socket meet in one turn of the loop (coalesceFrames). On a busy
      // machine 397 writes carried 200 messages; half of them merged would take a long stall.
      const writes = before && after ? after.writeCalls - before.writeCalls : undefined;
      expect(writes).toBeGreaterThan(t.sent);
      const cpu = summarizeFile(cpuFile, 10, t.sent);
      expect(cpu).toMatch(new RegExp(`busy [\\d.]+ µs a message over ${t.sent} messages`));
      expect(cpu).toMatch(/inclusive time of server\/ functions:\n\s+[\d.]+%\s+[\d.]+ µs\s+\S+ server\//);
      await expectFlameGraph(writeFlameGraph(cpuFile));
      const summary = summarizeHeapFile(file, t.sent, 'all');
      expect(summary).toMatch(new RegExp(`MiB allocated, \\d+ bytes a message over ${t.sent} messages`));
      // Our own message handlers allocate in the window, so they are in the profile.
      expect(summary).toMatch(/inclusive, functions of server\/ and shared\/:\n\s+[\d.]+%\s+\S+ server\//);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
