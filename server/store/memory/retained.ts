/**
 * Memory for what a node keeps as long as a conversation lasts: the transcript's bytes and its
 * de-duplication tables. It is taken from SharedArrayBuffers, which V8 does not count as external
 * memory, where an ArrayBuffer's bytes count.
 *
 * V8 starts a full collection (mark-compact) when the old generation, plus the external memory
 * allocated since the last full collection, comes near its limit. No collection can give a live
 * transcript's bytes back, yet counted, their growth alone started one about every 15 s under the
 * benchmark's load (17,086 messages a second, about 3 MB/s of transcript), each a stall of the event
 * loop. Uncounted, full collections came every 30 s or more (docs/benchmarks.md, eighteenth session).
 *
 * V8 leaves shared backing stores out of its per-isolate accounting (`PerIsolateAccountingLength`
 * is 0 for them); `tests/unit/retained.test.ts` fails if a later V8 counts them. If one does, the
 * store works as before, with more full collections. Nothing here is ever shared with another thread.
 *
 * When a conversation is purged its bytes are zeroed at once (`Transcript.wipe`); the memory itself
 * goes back at the next full collection, as the heap objects holding it do, and the purge no longer
 * brings that collection forward. The heap's own growth brought one every 30 s or more under the
 * benchmark's load; a quieter node has them less often, and V8 also runs one when it goes idle.
 */

/** A zero-filled Buffer of `size` bytes outside V8's external-memory accounting. */
export function retainedBuffer(size: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(size));
}

/** A zero-filled Int32Array of `length` elements outside V8's external-memory accounting. */
export function retainedInt32Array(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}
