import type { TrafficFigures } from '../../scripts/bench/session';

/** A clean traffic window at `rate` msgs/s whose server used `cpuPct` of a core; `over` changes any field. */
export function trafficWindow(rate: number, cpuPct = 40, over: Partial<TrafficFigures> = {}): TrafficFigures {
  return {
    rate, sent: rate, acked: rate, delivered: rate, errors: {}, latency: { n: rate, p50: 1, p99: 5, max: 9 }, growing: false,
    disconnects: 0, unmatched: 0, gen: { cpuPct: 40, eldP99Ms: 1, eldMaxMs: 2, rssMb: 100 }, genBound: false,
    serverCpuPct: cpuPct, redisCpuPct: 0, machineCpuPct: cpuPct, foreignCpuPct: 0, stealCpuPct: 0,
    ...over,
  };
}
