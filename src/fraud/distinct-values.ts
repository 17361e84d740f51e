/**
 * The distinct strings (called numbers, cells) of one window pane. A pane usually holds a handful,
 * so they live in a short list scanned in place, which clears without allocating; a Set takes over
 * only once the list is full (a SIM-box calls dozens of new numbers a day). Internal.
 */
export interface DistinctValues {
  readonly items: string[];
  /** Entries of `items` in use while `overflow` is null. */
  length: number;
  overflow: Set<string> | null;
}

const listLimit = 16;

export function createDistinctValues(): DistinctValues {
  return { items: [], length: 0, overflow: null };
}

export function addDistinct(values: DistinctValues, value: string): void {
  if (values.overflow !== null) {
    values.overflow.add(value);
    return;
  }
  const items = values.items;
  const length = values.length;
  for (let i = 0; i < length; i++) if (items[i] === value) return;
  if (length < listLimit) {
    items[length] = value;
    values.length = length + 1;
    return;
  }
  values.overflow = new Set(items);
  values.overflow.add(value);
}

export function distinctCount(values: DistinctValues): number {
  return values.overflow === null ? values.length : values.overflow.size;
}

export function clearDistinct(values: DistinctValues): void {
  values.length = 0;
  values.overflow = null;
}

/** Adds every value of `values` to `union`. */
export function addDistinctTo(union: Set<string>, values: DistinctValues): void {
  if (values.overflow !== null) {
    for (const value of values.overflow) union.add(value);
    return;
  }
  for (let i = 0; i < values.length; i++) union.add(values.items[i]!);
}
