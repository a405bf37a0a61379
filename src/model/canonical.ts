// Canonical JSON (object keys sorted, undefined dropped) and its sha256: the live-state digest
// `apply --plan` compares, the value equality the generic diff uses, and the kinds' key-order-
// insensitive comparison of documents and action payloads.
import { createHash } from 'node:crypto';

/**
 * How a Set or Map is written. `contents`: as its elements / entries (iotops' own state may hold
 * them). `as-sent`: like any other object, i.e. its own enumerable keys (`{}` in practice), which
 * is what JSON.stringify makes of it and so what AWS receives: kinds comparing a manifest value
 * (a YAML `!!set` yields a Set) with what AWS holds need this form.
 */
export type CollectionStyle = 'contents' | 'as-sent';

export function canonicalJson(value: unknown, collections: CollectionStyle = 'contents'): string {
  return JSON.stringify(sortKeys(value, collections === 'contents'));
}

function sortKeys(value: unknown, expand: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v, expand)));
  if (value === null || typeof value !== 'object') return value;
  if (expand && value instanceof Set) return [...value].map((v) => sortKeys(v, expand));
  if (expand && value instanceof Map) return sortKeys(Object.fromEntries(value), expand);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v, expand);
  }
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
