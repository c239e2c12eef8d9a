import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startFlags } from '../../scripts/bench/build';

describe('how the server is started', () => {
  it('runs with the same node flags from npm start, the container image and the benchmark', () => {
    const flags = startFlags();
    expect(flags).toContain('--max-semi-space-size=32');
    expect(flags).toContain('--heap-growing-percent=200');
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(cmd).not.toBeNull();
    expect(JSON.parse(cmd![1])).toEqual(['node', ...flags, 'dist/server/main.js']);
  });
});
