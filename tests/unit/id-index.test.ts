import { IdIndex, MAX_KEY } from '../../server/store/memory/id-index';

describe('IdIndex (the transcript de-duplication table)', () => {
  it('answers like a Map through many growths, for keys that share their low bits', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const index = new IdIndex();
    const map = new Map<number, number>();
    for (let i = 1; i <= 5_000; i += 1) {
      // Half the keys differ only above bit 12, so they probe the same slots of a small table.
      const key = i % 2 === 0 ? Math.floor(random() * (MAX_KEY + 1)) : (Math.floor(random() * 2 ** 17) << 13) | 7;
      const added = index.add(key, i);
      expect(added).toBe(!map.has(key));
      if (added) map.set(key, i);
    }
    expect(index.size).toBe(map.size);
    for (const [key, value] of map) expect(index.get(key)).toBe(value);
    for (let i = 0; i < 2_000; i += 1) {
      const key = Math.floor(random() * (MAX_KEY + 1));
      expect(index.get(key)).toBe(map.get(key));
    }
  });

  it('keeps the first value of a key: a second add is refused', () => {
    const index = new IdIndex();
    expect(index.add(0, 1)).toBe(true);
    expect(index.add(MAX_KEY, 2)).toBe(true);
    expect(index.add(0, 3)).toBe(false);
    expect(index.get(0)).toBe(1);
    expect(index.get(MAX_KEY)).toBe(2);
    expect(index.get(5)).toBeUndefined();
    expect(index.size).toBe(2);
  });

  it('refuses keys and values it cannot store, and changes nothing', () => {
    const index = new IdIndex();
    for (const key of [-1, MAX_KEY + 1, 1.5, Number.NaN]) expect(() => index.add(key, 1)).toThrow(RangeError);
    expect(() => index.add(1, 2 ** 31)).toThrow(RangeError);
    expect(index.size).toBe(0);
    expect(index.get(1)).toBeUndefined();
  });

  it('forgets everything on clear and takes keys again', () => {
    const index = new IdIndex();
    for (let key = 0; key < 100; key += 1) index.add(key, key + 1);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.get(50)).toBeUndefined();
    expect(index.add(50, 7)).toBe(true);
    expect(index.get(50)).toBe(7);
  });
});
