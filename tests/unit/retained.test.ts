import { getHeapStatistics } from 'node:v8';
import { IdIndex } from '../../server/store/memory/id-index';
import { retainedBuffer, retainedInt32Array } from '../../server/store/memory/retained';
import { Transcript } from '../../server/store/memory/transcript';
import { fullGc } from '../support/full-gc';

/** V8's count of external memory: what, growing since the last full collection, starts the next. */
const external = (): number => getHeapStatistics().external_memory;
const MB = 1 << 20;

/**
 * How much V8's external memory grew while `grow` ran; what it returns is kept alive until then.
 * The count is net of what collections free meanwhile, so the garbage of earlier tests goes first.
 */
function externalGrowth(grow: () => unknown): number {
  fullGc();
  fullGc();
  const before = external();
  const kept = grow();
  const after = external();
  expect(kept).toBeDefined();
  return after - before;
}

describe('memory a conversation keeps, outside V8\'s external-memory accounting (retained.ts)', () => {
  it('the measure sees ordinary buffers: 32 MB of them count', () => {
    const growth = externalGrowth(() => Array.from({ length: 32 }, () => Buffer.allocUnsafe(MB)));
    // Not all 32: what the collections before freed may still be subtracted while these are made.
    expect(growth).toBeGreaterThanOrEqual(24 * MB);
  });

  it('retained buffers and tables of 32 MB count as nothing, and are zero-filled and writable', () => {
    const growth = externalGrowth(() => [
      ...Array.from({ length: 16 }, () => retainedBuffer(MB)),
      ...Array.from({ length: 16 }, () => retainedInt32Array(MB / 4)),
    ]);
    expect(growth).toBeLessThan(MB);
    const b = retainedBuffer(8);
    const t = retainedInt32Array(2);
    expect([...b]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...t]).toEqual([0, 0]);
    b.write('abc', 2, 'utf8');
    t[1] = -7;
    expect(b.toString('utf8', 2, 5)).toBe('abc');
    expect(t[1]).toBe(-7);
  });

  it('a transcript and its de-duplication tables growing by 16 MB add under 1 MB of it', () => {
    const text = 'x'.repeat(1000);
    const at = '2026-12-01T16:00:00.000Z';
    const growth = externalGrowth(() => {
      const transcripts = Array.from({ length: 16 }, (_, i) => new Transcript(`c${i}`));
      for (let n = 0; n < 1000; n++) {
        for (const t of transcripts) t.push({ from: n % 2 === 0 ? 'visitor' : 'listener', text, at, clientMsgId: `m${n}` });
      }
      const index = new IdIndex();
      for (let k = 0; k < 100_000; k++) index.add(k, k);
      expect(transcripts[15].get(1000)?.clientMsgId).toBe('m999');
      expect(index.get(99_999)).toBe(99_999);
      return [transcripts, index];
    });
    expect(growth).toBeLessThan(MB);
  });
});
