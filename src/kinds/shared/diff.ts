// Pure, normalizing comparisons used by every kind's `compare`. Normalization exists so that a
// resource that is in sync never shows drift: attribute values compare as strings (YAML `80` and
// AWS "80" are equal), maps ignore key order, sets ignore order and duplicates, and an empty
// optional string equals an absent one (AWS returns neither consistently).
import type { FieldChange } from '../../model/plan.js';

/** `undefined`, `null` and `''` all mean "not set"; anything else compares as its string form. */
export function normString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value);
  return s === '' ? undefined : s;
}

/** A string map with sorted keys and string values; null/undefined values are dropped. */
export function normMap(map: Readonly<Record<string, unknown>> | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!map) return out;
  for (const key of Object.keys(map).sort(byString)) {
    const value = map[key];
    if (value === undefined || value === null) continue;
    out[key] = String(value);
  }
  return out;
}

/** A set as a sorted array without duplicates. */
export function normSet(values: readonly unknown[] | undefined | null): string[] {
  return [...new Set((values ?? []).map(String))].sort(byString);
}

/** Whether two lists hold the same elements, ignoring order and duplicates. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return sameSorted(normSet(a), normSet(b));
}

function sameSorted(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** One change per differing key, path `<prefix>.<key>`, keys in sorted order. */
export function mapFields(
  prefix: string,
  desired: Readonly<Record<string, unknown>> | undefined,
  live: Readonly<Record<string, unknown>> | undefined,
): FieldChange[] {
  const d = normMap(desired);
  const l = normMap(live);
  const keys = normSet([...Object.keys(d), ...Object.keys(l)]);
  const out: FieldChange[] = [];
  for (const key of keys) {
    if (d[key] === l[key]) continue;
    out.push(field(`${prefix}.${key}`, l[key], d[key]));
  }
  return out;
}

/** A change of a set-valued field (both sides shown as sorted arrays), or nothing when equal. */
export function setField(path: string, desired: readonly unknown[] | undefined, live: readonly unknown[] | undefined): FieldChange[] {
  const d = normSet(desired);
  const l = normSet(live);
  if (sameSorted(d, l)) return [];
  return [{ path, before: l, after: d }];
}

/** A change of an optional string field, or nothing when equal after normalization. */
export function stringField(path: string, desired: unknown, live: unknown): FieldChange[] {
  const d = normString(desired);
  const l = normString(live);
  return d === l ? [] : [field(path, l, d)];
}

/** A change of a scalar (boolean, enum) field compared with `===`. */
export function scalarField<T>(path: string, desired: T, live: T): FieldChange[] {
  return desired === live ? [] : [{ path, before: live, after: desired }];
}

/** Elements of `after` missing from `before`, and of `before` missing from `after`. */
export function setDelta(before: readonly string[], after: readonly string[]): { readonly add: string[]; readonly remove: string[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { add: normSet(after.filter((x) => !b.has(x))), remove: normSet(before.filter((x) => !a.has(x))) };
}

/** `{ [key]: value }` when value is defined, `{}` otherwise (keeps absent optionals absent in JSON). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function field(path: string, before: string | undefined, after: string | undefined): FieldChange {
  if (before === undefined) return { path, after };
  if (after === undefined) return { path, before };
  return { path, before, after };
}
