/**
 * Compiles what the harness forks, so every arm runs as plain JavaScript on plain node: the
 * bench's own child entries with esbuild, and our server once with tsc (or tsx when asked).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

export const ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'ps-bench');

export interface Built {
  baseline: string;
  loadClient: string;
  serverWrapper: string;
  /** Node flags of `npm start`, given to every arm (the baseline too: the same runtime for all). */
  nodeFlags: string[];
  /** How to run our server: node arguments before the entry, and the entry. */
  server: { execArgv: string[]; entry: string; mode: 'dist' | 'tsx' };
}

async function buildEntries(): Promise<void> {
  await build({
    entryPoints: ['baseline-server', 'load-client', 'server-wrapper'].map((n) => join(__dirname, `${n}.ts`)),
    outdir: OUT_DIR,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
}

async function buildServer(): Promise<boolean> {
  // From scratch: a file removed from server/ (a Lua script, a module) must not linger in dist/.
  rmSync(join(ROOT, 'dist', 'server'), { recursive: true, force: true });
  try {
    await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT });
  } catch {
    // tsc still emits on type errors; the entry's existence decides below.
  }
  // Non-TypeScript assets the server loads at run time (Lua scripts) go beside the emitted code.
  cpSync(join(ROOT, 'server'), join(ROOT, 'dist', 'server'), { recursive: true, filter: (src) => !/\.tsx?$/.test(src) });
  return existsSync(join(ROOT, 'dist', 'server', 'main.js'));
}

/** The node flags `npm start` runs our server with (package.json), so every arm runs it that way. */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const command = /\bnode((?: --[^\s]+)*) dist\/server\/main\.js\b/.exec(pkg.scripts.start ?? '');
  if (!command) throw new Error('package.json: the start script does not run `node [flags] dist/server/main.js`');
  return command[1].split(' ').filter(Boolean);
}

/** Builds everything; `serverMode: 'tsx'` skips the tsc build (quicker, for smoke runs). */
export async function buildAll(serverMode: 'dist' | 'tsx' = 'dist', needServer = true): Promise<Built> {
  await buildEntries();
  const flags = startFlags();
  const tsx = { execArgv: [...flags, '--import', 'tsx'], entry: join(ROOT, 'server', 'main.ts'), mode: 'tsx' as const };
  const dist = { execArgv: flags, entry: join(ROOT, 'dist', 'server', 'main.js'), mode: 'dist' as const };
  const useDist = serverMode === 'dist' && needServer && (await buildServer());
  return {
    baseline: join(OUT_DIR, 'baseline-server.js'),
    loadClient: join(OUT_DIR, 'load-client.js'),
    serverWrapper: join(OUT_DIR, 'server-wrapper.js'),
    nodeFlags: flags,
    server: useDist ? dist : tsx,
  };
}

/** Whether our server's entry exists yet (it is being written in parallel). */
export function serverExists(): boolean {
  return existsSync(join(ROOT, 'server', 'main.ts'));
}
