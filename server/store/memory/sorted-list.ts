/** Plain code-unit order, as Redis sorts members of equal score. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An array kept sorted by a total order, with binary-search insertion, removal and rank. */
export class SortedList<T> {
  private readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get length(): number {
    return this.items.length;
  }

  /** The item at a 0-based index, or undefined past the end. */
  at(index: number): T | undefined {
    return this.items[index];
  }

  /** Inserts after any equal items. */
  insert(item: T): void {
    this.items.splice(this.upperBound(item), 0, item);
  }

  /** Removes the item that compares equal to `item`; returns whether one was there. */
  remove(item: T): boolean {
    const index = this.indexOf(item);
    if (index < 0) return false;
    this.items.splice(index, 1);
    return true;
  }

  /** The 0-based index of an item comparing equal to `item`, or -1. */
  indexOf(item: T): number {
    const index = this.lowerBound(item);
    const found = this.items[index];
    return found !== undefined && this.compare(found, item) === 0 ? index : -1;
  }

  /** Index of the first item not less than `probe`. */
  lowerBound(probe: T): number {
    return this.search((item) => this.compare(item, probe) < 0);
  }

  /** Removes and returns the first `count` items. */
  shift(count: number): T[] {
    return this.items.splice(0, count);
  }

  /** Items from `start` on (a copy of the slice). */
  slice(start: number, end?: number): T[] {
    return this.items.slice(start, end);
  }

  private upperBound(probe: T): number {
    return this.search((item) => this.compare(item, probe) <= 0);
  }

  /** First index where `before` turns false; `before` must be true then false along the array. */
  private search(before: (item: T) => boolean): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.items[mid])) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
