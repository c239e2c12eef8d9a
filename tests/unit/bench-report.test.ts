import { driftNote, figuresTable, healthNotes, type Round } from '../../scripts/bench/report';
import type { ArmResult } from '../../scripts/bench/run-arm';
import { trafficWindow as window } from '../support/bench-windows';

/** An arm whose middle round-trip window (50%) cost `usPerMessage` µs of server CPU a message. */
function arm(label: string, usPerMessage: number): ArmResult {
  const rate = 10_000;
  const cpuPct = (usPerMessage * rate) / 1e4;
  return { label, kind: label.startsWith('baseline') ? 'baseline' : 'memory', pairing: [], rttFractions: [0.25, 0.5], rttRates: [5_000, rate], rtt: [window(5_000, 10), window(rate, cpuPct)], failures: [] };
}

function round(arms: ArmResult[]): Round {
  return { order: arms.map((a) => a.label), arms: Object.fromEntries(arms.map((a) => [a.label, a])) };
}

describe('machine drift in the run health', () => {
  it('says nothing while the relay costs the same in every run', () => {
    const rounds = [round([arm('baseline', 50), arm('ours-memory', 90), arm('baseline-2', 55)]), round([arm('baseline', 52), arm('ours-memory', 120)])];
    expect(driftNote(rounds)).toBeNull();
    expect(healthNotes(rounds)).toEqual([]);
  });

  it("names the relay's lowest and highest CPU per message, and every run's, when they differ by a quarter or more", () => {
    const rounds = [round([arm('baseline', 48.9), arm('ours-memory', 70), arm('baseline-2', 74.3)]), round([arm('ours-redis', 80), arm('baseline', 63.2)])];
    const note = driftNote(rounds);
    expect(note).toContain('ranged 48.9–74.3 µs');
    expect(note).toContain('48.9 (round 1 baseline), 74.3 (round 1 baseline-2), 63.2 (round 2 baseline)');
    expect(healthNotes(rounds)[0]).toBe(note);
  });

  it('needs two runs of the relay to judge', () => {
    expect(driftNote([round([arm('baseline', 40), arm('ours-memory', 200)])])).toBeNull();
  });
});

describe('stall floors in the figures table', () => {
  const row = (table: string, name: string) => table.split('\n').find((l) => l.startsWith(`| ${name} |`));

  it("gives each arm's server and generator floors at 50%, and a dash for results recorded without them", () => {
    const base = arm('baseline', 50);
    const ours = arm('ours-memory', 90);
    base.rtt[1].serverStalls = { windowMs: 1_000, gapsMs: [12], gc: {} };
    base.rtt[1].genStalls = [{ windowMs: 1_000, gapsMs: [30], gc: {} }];
    ours.rtt[1].serverStalls = { windowMs: 1_000, gapsMs: [30], gc: {} };
    const table = figuresTable([round([base, ours])]);
    // 12 ms in a second: 1% waits over 2 ms; 30 ms: over 20 ms.
    expect(row(table, 'server stall floor of p99 @50% (ms)')).toBe('| server stall floor of p99 @50% (ms) | 2.00 | 20.00 | +18.00 |  |');
    expect(row(table, 'generator stall floor of p99 @50% (ms)')).toBe('| generator stall floor of p99 @50% (ms) | 20.00 | – | – |  |');
  });
});

describe('ratios in the figures table', () => {
  it('never shows a maximum-rate ratio rounded onto the other side of its target', () => {
    const withMax = (a: ArmResult, max: number): ArmResult => ({ ...a, search: { max, genBound: false, steps: [] } });
    const table = figuresTable([round([withMax(arm('baseline', 50), 4_883), withMax(arm('ours-memory', 60), 4_150), withMax(arm('ours-redis', 70), 3_418)])]);
    const row = table.split('\n').find((l) => l.startsWith('| max sustained'));
    // 4,150 / 4,883 = 0.8499 (under 0.85); 3,418 / 4,883 = 0.69998 (under 0.7).
    expect(row).toBe('| max sustained (msgs/s) | 4883 | 4150 | 0.8499x | 3418 | 0.69998x | in-process ≥ 0.85x; Redis ≥ 0.7x |');
  });
});
