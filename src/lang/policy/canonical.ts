// canonicalPolicyDocument: one normal form per meaning, so `plan` compares policies by what
// they grant and not by how they are written. Invariants (property-tested): idempotent;
// independent of statement order, key order, duplicate entries and string vs [string].

import { IOT_ACTION_NAMES } from './catalog.js';

const LIST_ELEMENTS = ['Action', 'NotAction', 'Resource', 'NotResource'];
/** IAM's default when Version is omitted. */
const DEFAULT_VERSION = '2008-10-17';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Action names are case-insensitive in IAM: known ones take AWS's spelling, prefixes lower case. */
function canonicalAction(action: string): string {
  const colon = action.indexOf(':');
  if (colon === -1) return action;
  const prefix = action.slice(0, colon).toLowerCase();
  const name = action.slice(colon + 1);
  if (prefix !== 'iot') return `${prefix}:${name}`;
  const known = IOT_ACTION_NAMES.find((k) => k.toLowerCase() === name.toLowerCase());
  return `iot:${known ?? name}`;
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(byCodeUnit);
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function canonicalList(element: string, value: unknown): unknown {
  const items = listOf(value);
  if (!items.every((v): v is string => typeof v === 'string')) return items;
  return sortedUnique(element.endsWith('Action') ? items.map(canonicalAction) : items);
}

/** Condition values compare as strings in IAM ("true" ≡ true, 5 ≡ "5"). */
function canonicalCondition(condition: unknown): unknown {
  if (!isPlainObject(condition)) return condition;
  const out: Record<string, unknown> = {};
  for (const op of Object.keys(condition).sort(byCodeUnit)) {
    const block = condition[op];
    if (!isPlainObject(block)) {
      out[op] = block;
      continue;
    }
    const keys: Record<string, unknown> = {};
    for (const key of Object.keys(block).sort(byCodeUnit)) {
      const values = listOf(block[key]);
      keys[key] = values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))
        ? sortedUnique(values.map(String))
        : values;
    }
    out[op] = keys;
  }
  return out;
}

function canonicalStatement(statement: unknown): unknown {
  if (!isPlainObject(statement)) return statement;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(statement).sort(byCodeUnit)) {
    const value = statement[key];
    if (LIST_ELEMENTS.includes(key)) out[key] = canonicalList(key, value);
    else if (key === 'Condition') out[key] = canonicalCondition(value);
    else out[key] = value;
  }
  return out;
}

/**
 * The normal form of a policy document: Version present, Statement a list sorted by content
 * with exact duplicates removed, keys sorted, list elements as sorted unique arrays.
 * Input that is not an object is returned unchanged (validation reports it).
 */
export function canonicalPolicyDocument(doc: unknown): unknown {
  if (!isPlainObject(doc)) return doc;
  const out: Record<string, unknown> = {};
  const withVersion: Record<string, unknown> = { ...doc, Version: doc.Version ?? DEFAULT_VERSION };
  for (const key of Object.keys(withVersion).sort(byCodeUnit)) {
    const value = withVersion[key];
    if (key !== 'Statement') {
      out[key] = value;
      continue;
    }
    const statements = listOf(value).map(canonicalStatement);
    const unique = new Map<string, unknown>();
    for (const s of statements) unique.set(JSON.stringify(s), s);
    out[key] = [...unique.keys()].sort(byCodeUnit).map((k) => unique.get(k));
  }
  return out;
}
