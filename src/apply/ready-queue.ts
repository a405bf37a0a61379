// The executor's queue of ready steps, in list-scheduling order: the longest chain of work still
// hanging below a step first (`height`: a thing a certificate waits for before one nothing waits
// for), then the deepest (`depth`: a certificate whose thing just finished before the thousands
// of things queued since the start), then first come, first served. So the slow-rate APIs of
// dependent steps (certificates, 10–15 TPS) run alongside the bulk of the fast ones (things,
// 100 TPS) instead of after them, and an apply lasts about as long as its busiest API needs.
// One heap per group (the step's kind), so the executor can cap the slots each kind holds.

export interface Schedulable {
  /** Longest chain of must-succeed dependents below the step. */
  readonly height: number;
  /** Longest chain of dependencies above it (known once it is ready). */
  readonly depth: number;
}

export interface ReadyQueue<T extends Schedulable> {
  push(item: T): void;
  size(): number;
  /** Groups with at least one ready item. */
  kinds(): number;
  /** The best item among the groups `eligible` accepts, or undefined. */
  pop(eligible: (group: string) => boolean): T | undefined;
}

interface Entry<T> {
  readonly item: T;
  readonly seq: number;
}

const before = <T extends Schedulable>(a: Entry<T>, b: Entry<T>): boolean =>
  a.item.height !== b.item.height ? a.item.height > b.item.height : a.item.depth !== b.item.depth ? a.item.depth > b.item.depth : a.seq < b.seq;

export function createReadyQueue<T extends Schedulable>(groupOf: (item: T) => string): ReadyQueue<T> {
  const heaps = new Map<string, Entry<T>[]>();
  let size = 0;
  let seq = 0;
  return {
    push(item) {
      const group = groupOf(item);
      let heap = heaps.get(group);
      if (!heap) heaps.set(group, (heap = []));
      heapPush(heap, { item, seq: seq++ });
      size++;
    },
    size: () => size,
    kinds: () => {
      let n = 0;
      for (const heap of heaps.values()) if (heap.length > 0) n++;
      return n;
    },
    pop(eligible) {
      let best: Entry<T>[] | undefined;
      for (const [group, heap] of heaps) {
        if (heap.length === 0 || !eligible(group)) continue;
        if (!best || before(heap[0]!, best[0]!)) best = heap;
      }
      if (!best) return undefined;
      size--;
      return heapPop(best);
    },
  };
}

function heapPush<T extends Schedulable>(heap: Entry<T>[], entry: Entry<T>): void {
  heap.push(entry);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function heapPop<T extends Schedulable>(heap: Entry<T>[]): T {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
  return top.item;
}
