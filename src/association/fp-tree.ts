/**
 * An FP-tree held in typed arrays (internal). Node 0 is the root. Items are frequency ranks
 * (0 = most frequent), inserted along each path in ascending rank, so shared prefixes share nodes.
 * Children are a singly linked sibling list; nodes of one item are chained through `nextSame`
 * from `head[item]` (the "node-link" of Han et al.).
 */
export class FpTree {
  size = 1;
  /** True once some node has two or more children: a tree that never branched is a single path. */
  branching = false;
  item: Int32Array;
  count: Int32Array;
  parent: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  nextSame: Int32Array;
  /** Per item rank: first node of the item, or -1. Sized to the global item count, reset per use. */
  readonly head: Int32Array;
  /** Per item rank: total count of the item's nodes. */
  readonly support: Int32Array;
  /** Per item rank: the root's child holding the item, or -1 (the root is visited by every path). */
  readonly rootChild: Int32Array;
  /** Ranks present in the tree, in first-inserted order. */
  readonly present: Int32Array;
  presentCount = 0;

  constructor(itemCount: number, capacity: number) {
    const size = Math.max(16, capacity);
    this.item = new Int32Array(size);
    this.count = new Int32Array(size);
    this.parent = new Int32Array(size);
    this.firstChild = new Int32Array(size);
    this.nextSibling = new Int32Array(size);
    this.nextSame = new Int32Array(size);
    this.head = new Int32Array(itemCount).fill(-1);
    this.support = new Int32Array(itemCount);
    this.present = new Int32Array(itemCount);
    this.rootChild = new Int32Array(itemCount).fill(-1);
    this.clear();
  }

  /** Empties the tree, touching only the items it held. */
  clear(): void {
    for (let i = 0; i < this.presentCount; i++) {
      const rank = this.present[i]!;
      this.head[rank] = -1;
      this.rootChild[rank] = -1;
      this.support[rank] = 0;
    }
    this.presentCount = 0;
    this.size = 1;
    this.branching = false;
    this.item[0] = -1;
    this.count[0] = 0;
    this.parent[0] = -1;
    this.firstChild[0] = -1;
    this.nextSibling[0] = -1;
    this.nextSame[0] = -1;
  }

  private grow(): void {
    const capacity = this.item.length * 2;
    const grown = (old: Int32Array): Int32Array => {
      const fresh = new Int32Array(capacity);
      fresh.set(old);
      return fresh;
    };
    this.item = grown(this.item);
    this.count = grown(this.count);
    this.parent = grown(this.parent);
    this.firstChild = grown(this.firstChild);
    this.nextSibling = grown(this.nextSibling);
    this.nextSame = grown(this.nextSame);
  }

  /**
   * Adds `path[0..length)` (ascending ranks) with weight `weight`. Returns the number of nodes
   * created, so callers can enforce a node budget.
   */
  insert(path: Int32Array, length: number, weight: number): number {
    const { item } = this;
    let node = 0;
    let created = 0;
    for (let k = 0; k < length; k++) {
      const rank = path[k]!;
      let child: number;
      if (node === 0) child = this.rootChild[rank]!;
      else {
        child = this.firstChild[node]!;
        let previous = -1;
        while (child !== -1 && item[child] !== rank) {
          previous = child;
          child = this.nextSibling[child]!;
        }
        // Move to front: the children most paths take are found first next time.
        if (previous !== -1 && child !== -1) {
          this.nextSibling[previous] = this.nextSibling[child]!;
          this.nextSibling[child] = this.firstChild[node]!;
          this.firstChild[node] = child;
        }
      }
      if (child === -1) {
        if (this.size === this.item.length) this.grow();
        child = this.size++;
        created++;
        this.item[child] = rank;
        this.count[child] = 0;
        this.parent[child] = node;
        this.firstChild[child] = -1;
        const sibling = this.firstChild[node]!;
        if (sibling !== -1) this.branching = true;
        this.nextSibling[child] = sibling;
        this.firstChild[node] = child;
        if (node === 0) this.rootChild[rank] = child;
        const head = this.head[rank]!;
        if (head === -1) this.present[this.presentCount++] = rank;
        this.nextSame[child] = head;
        this.head[rank] = child;
      }
      this.count[child]! += weight;
      this.support[rank]! += weight;
      node = child;
    }
    return created;
  }
}
