/**
 * A second app node as a child process, for fault tests that kill a node without warning.
 * It runs under tsx, which starts node as a child of its own: the whole process group is
 * signalled, so SIGKILL reaches the app itself and nothing outlives the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './redis-server';

const READY_TIMEOUT_MS = 30_000;
const ROOT = path.resolve(__dirname, '../..');

export interface ChildNode {
  url: string;
  port: number;
  /** What the node wrote to stderr (its logs), for a failing test's message. */
  readonly stderr: string;
  /** SIGKILL to the node's process group: no shutdown, no cleanup. Resolves once it is gone. */
  kill(): Promise<void>;
}

/** Starts the app in a child process on a free port; resolves once it serves. */
export async function startChildNode(env: Record<string, string>): Promise<ChildNode> {
  const port = await freePort();
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'tests/support/node-process.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), PUBLIC_ORIGIN: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so one signal reaches tsx and the node it started.
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const node: ChildNode = {
    url: `http://127.0.0.1:${port}`,
    port,
    get stderr() {
      return stderr;
    },
    kill: () => killGroup(child),
  };
  try {
    await ready(child, () => stderr);
  } catch (err) {
    await node.kill();
    throw err;
  }
  return node;
}

/** Waits for the `LISTENING` line, bounded; rejects if the child exits first. */
function ready(child: ChildProcess, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child node not ready in ${READY_TIMEOUT_MS} ms:\n${stderr()}`)), READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!/^LISTENING \d+$/m.test(out)) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child node exited (${code}) before it was ready:\n${stderr()}`));
    });
  });
}

function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already gone.
    return Promise.resolve();
  }
  return exited;
}
