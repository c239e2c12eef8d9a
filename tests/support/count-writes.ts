import type { Socket } from 'node:net';

/** A stream's single writes and the chunk count of each of its batched writes (`writev`). */
export interface WriteCounts {
  single: number;
  batches: number[];
}

/** Counts, from now on, the system-call-level writes a stream makes. */
export function countWrites(stream: Socket): WriteCounts {
  const counts: WriteCounts = { single: 0, batches: [] };
  const s = stream as unknown as { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void };
  const write = s._write.bind(stream);
  const writev = s._writev.bind(stream);
  s._write = (...a) => {
    counts.single += 1;
    write(...a);
  };
  s._writev = (chunks, cb) => {
    counts.batches.push(chunks.length);
    writev(chunks, cb);
  };
  return counts;
}
