/**
 * Small-integer keys, each with a small-integer value, in one Int32Array: an open-addressing hash
 * table (linear probing, at most half full) whose slots live off the JavaScript heap.
 *
 * The transcript's de-duplication maps (a hash of each clientMsgId to its seq) live here. As Maps,
 * each conversation's table was a heap object reallocated as it grew; under load every table
 * outlived scavenges and was promoted, about a fifth of what the in-process server sent to the old
 * generation a message (docs/benchmarks.md, ninth session). A typed array's contents are nothing
 * for the collector to trace or copy, and it is left out of V8's external-memory accounting
 * (retained.ts).
 */
import { retainedInt32Array } from './retained';

/** Keys are what hashId gives: 30-bit non-negative integers. A slot stores key + 1, so 0 is empty. */
export const MAX_KEY = 0x3fffffff;
/** Slots of a new table: 16 pairs, 128 bytes. */
const FIRST_CAPACITY = 16;

export class IdIndex {
  /** Pairs [key + 1, value]; a pair's index is its slot. */
  private slots = retainedInt32Array(2 * FIRST_CAPACITY);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: number): number | undefined {
    const slot = this.find(this.slots, key);
    return this.slots[2 * slot] === 0 ? undefined : this.slots[2 * slot + 1];
  }

  /** Adds key → value unless the key is there already; returns whether it added. */
  add(key: number, value: number): boolean {
    if (!Number.isInteger(key) || key < 0 || key > MAX_KEY) throw new RangeError('key out of range');
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError('value out of range');
    let slot = this.find(this.slots, key);
    if (this.slots[2 * slot] !== 0) return false;
    if (2 * (this.count + 1) > this.slots.length / 2) {
      this.grow();
      slot = this.find(this.slots, key);
    }
    this.slots[2 * slot] = key + 1;
    this.slots[2 * slot + 1] = value;
    this.count += 1;
    return true;
  }

  clear(): void {
    this.slots = retainedInt32Array(2 * FIRST_CAPACITY);
    this.count = 0;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private find(slots: Int32Array, key: number): number {
    const mask = slots.length / 2 - 1;
    let slot = key & mask;
    while (slots[2 * slot] !== 0 && slots[2 * slot] !== key + 1) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const old = this.slots;
    const slots = retainedInt32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === 0) continue;
      const slot = this.find(slots, old[i] - 1);
      slots[2 * slot] = old[i];
      slots[2 * slot + 1] = old[i + 1];
    }
    this.slots = slots;
  }
}
