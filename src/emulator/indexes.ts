// Derived, non-persisted structures over EmulatorState that keep list calls O(page): a sorted
// array of keys per large collection, maintained by the operations that insert and delete.
// Invariant: `things.keys` holds exactly the keys of state.things, ascending by code unit.
import type { EmulatorState } from './state.js';
import type { Query } from './query/index.js';

export class SortedKeys {
  private readonly keys: string[];

  constructor(keys: Iterable<string>) {
    this.keys = [...keys].sort(compare);
  }

  get size(): number {
    return this.keys.length;
  }

  insert(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  remove(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Index of the first key strictly greater than `key` (or 0 when `key` is undefined). */
  startAfter(key: string | undefined): number {
    if (key === undefined) return 0;
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  at(i: number): string | undefined {
    return this.keys[i];
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface EmulatorIndexes {
  readonly things: SortedKeys;
  /** Bumped on every membership change; cached member lists of an older version are stale. */
  membershipVersion: number;
  /** Sorted member lists of thing groups (key: name, or name + "\0r" for recursive), with the version they were built at. */
  readonly groupMembers: Map<string, { readonly version: number; readonly keys: readonly string[] }>;
  /** Parsed queries of dynamic groups by group name, re-parsed when the query text changes. */
  readonly queries: Map<string, Query>;
}

export function buildIndexes(state: EmulatorState): EmulatorIndexes {
  return { things: new SortedKeys(state.things.keys()), membershipVersion: 0, groupMembers: new Map(), queries: new Map() };
}
