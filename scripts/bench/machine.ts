/** A description of the machine a run happened on, for the results file. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  kernel: string;
  node: string;
  redis: string;
  socketIo: string;
  fdLimit: string;
}

function redisVersion(): string {
  try {
    const out = execFileSync(process.env.REDIS_SERVER_BIN ?? 'redis-server', ['--version'], { encoding: 'utf8' });
    return /v=([\d.]+)/.exec(out)?.[1] ?? out.trim();
  } catch {
    return 'not found';
  }
}

function packageVersion(root: string, name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '?';
  } catch {
    return '?';
  }
}

function fdLimit(): string {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const m = /Max open files\s+(\d+)\s+(\d+)/.exec(limits);
  return m ? `${m[1]} soft / ${m[2]} hard` : 'unknown';
}

export function describeMachine(root: string): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    redis: redisVersion(),
    socketIo: packageVersion(root, 'socket.io'),
    fdLimit: fdLimit(),
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, Linux ${m.kernel}, Node ${m.node}, Redis ${m.redis}, Socket.IO ${m.socketIo}, open files ${m.fdLimit}`;
}
