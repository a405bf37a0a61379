// Pagination shared by the list operations: AWS page sizes and opaque tokens. A token names the
// last key returned, so a page resumes after that key even when items were inserted or deleted
// in between (no item is skipped, none repeated).
import { errors } from './types.js';
import type { SortedKeys } from '../indexes.js';

/** RegistryMaxResults (ListThings, ListThingGroups, ...): 1–250; AWS returns full pages by default. */
export const REGISTRY_MAX = 250;

export function pageSize(value: unknown, max: number, fallback = max): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw errors.invalidRequest(`maxResults must be between 1 and ${max}`);
  }
  return value;
}

export function encodeToken(kind: string, lastKey: string): string {
  return Buffer.from(JSON.stringify([kind, lastKey])).toString('base64url');
}

/** The key to resume after, or undefined for the first page. Tokens of another list are rejected. */
export function decodeToken(kind: string, token: unknown): string | undefined {
  if (token === undefined || token === null || token === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed[0] === kind && typeof parsed[1] === 'string') return parsed[1];
  } catch {
    // fall through
  }
  throw errors.invalidRequest('The pagination token is invalid');
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/**
 * Walks `keys` (ascending) after the token, keeping up to `size` items for which `pick` returns
 * a value. Cost is proportional to the keys visited, never to the whole collection.
 */
export function pageFromSorted<T>(
  kind: string,
  keys: SortedKeys | readonly string[],
  input: { nextToken?: unknown; size: number },
  pick: (key: string) => T | undefined,
): Page<T> {
  const after = decodeToken(kind, input.nextToken);
  const sorted = Array.isArray(keys) ? undefined : (keys as SortedKeys);
  const arr = Array.isArray(keys) ? (keys as readonly string[]) : undefined;
  const length = sorted ? sorted.size : (arr as readonly string[]).length;
  const at = (i: number) => (sorted ? (sorted.at(i) as string) : (arr as readonly string[])[i]);
  let i = sorted ? sorted.startAfter(after) : upperBound(arr as readonly string[], after);
  const items: T[] = [];
  let lastKey: string | undefined;
  for (; i < length && items.length < input.size; i++) {
    const key = at(i);
    const item = pick(key);
    if (item === undefined) continue;
    items.push(item);
    lastKey = key;
  }
  // Skip non-matching keys to learn whether another page exists, so the last page has no token.
  let more = false;
  for (; i < length; i++) {
    if (pick(at(i)) !== undefined) {
      more = true;
      break;
    }
  }
  return more && lastKey !== undefined ? { items, nextToken: encodeToken(kind, lastKey) } : { items };
}

function upperBound(keys: readonly string[], after: string | undefined): number {
  if (after === undefined) return 0;
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
