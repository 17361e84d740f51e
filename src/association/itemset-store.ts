/**
 * Itemsets of integer items in flat typed arrays, with an open-addressing hash index (internal).
 * Holding itemsets this way keeps memory at a few bytes per item instead of one array object
 * per itemset, and lookups allocate nothing.
 */
export class ItemsetStore {
  items = new Int32Array(1024);
  itemLength = 0;
  offsets = new Int32Array(257);
  counts = new Int32Array(256);
  size = 0;
  private slots = new Int32Array(0);
  private mask = 0;

  add(source: ArrayLike<number>, length: number, count: number): void {
    if (this.size + 1 >= this.counts.length) {
      const counts = new Int32Array(this.counts.length * 2);
      counts.set(this.counts);
      this.counts = counts;
      const offsets = new Int32Array(counts.length + 1);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    while (this.itemLength + length > this.items.length) {
      const items = new Int32Array(this.items.length * 2);
      items.set(this.items);
      this.items = items;
    }
    for (let k = 0; k < length; k++) this.items[this.itemLength + k] = source[k]!;
    this.itemLength += length;
    this.counts[this.size] = count;
    this.size++;
    this.offsets[this.size] = this.itemLength;
  }

  lengthOf(index: number): number {
    return this.offsets[index + 1]! - this.offsets[index]!;
  }

  /** Sorts each itemset's items ascending, so equal sets have equal sequences. */
  sortEach(): void {
    for (let index = 0; index < this.size; index++) {
      const from = this.offsets[index]!;
      const to = this.offsets[index + 1]!;
      for (let i = from + 1; i < to; i++) {
        const value = this.items[i]!;
        let j = i - 1;
        while (j >= from && this.items[j]! > value) {
          this.items[j + 1] = this.items[j]!;
          j--;
        }
        this.items[j + 1] = value;
      }
    }
  }

  private static hash(source: ArrayLike<number>, from: number, length: number): number {
    let hash = 0x811c9dc5 ^ length;
    for (let k = 0; k < length; k++) {
      hash = Math.imul(hash ^ source[from + k]!, 0x01000193);
      hash ^= hash >>> 15;
    }
    return hash >>> 0;
  }

  /** Builds the hash index over every stored itemset (items must be sorted, see {@link sortEach}). */
  buildIndex(): void {
    let capacity = 16;
    while (capacity < this.size * 2) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    for (let index = 0; index < this.size; index++) {
      const from = this.offsets[index]!;
      let slot = ItemsetStore.hash(this.items, from, this.lengthOf(index)) & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = index;
    }
  }

  /** Index of the itemset equal to `source[from..from+length)` (sorted ascending), or -1. */
  find(source: ArrayLike<number>, from: number, length: number): number {
    let slot = ItemsetStore.hash(source, from, length) & this.mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === -1) return -1;
      if (this.lengthOf(index) === length) {
        const offset = this.offsets[index]!;
        let equal = true;
        for (let k = 0; k < length; k++) {
          if (this.items[offset + k] !== source[from + k]) {
            equal = false;
            break;
          }
        }
        if (equal) return index;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}
