// Dependencies from a kind's declared references (Kind.references): the same declaration orders
// creates (over the desired spec), deletes (over the live state) and whole kinds (the kind graph).
import type { KindName } from '../../model/resource.js';
import type { Reference } from '../types.js';

function namesAt(value: unknown, path: readonly string[]): string[] {
  let v: unknown = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
    v = (v as Record<string, unknown>)[key];
  }
  if (typeof v === 'string') return v === '' ? [] : [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

/** `Kind/name` keys that `state` (a spec, or a live state with the spec's field names) refers to. */
export function referencedKeys(kind: { readonly references: readonly Reference[]; readonly fixedDependencies?: readonly string[] }, state: unknown): string[] {
  const keys = new Set<string>(kind.fixedDependencies ?? []);
  for (const ref of kind.references) for (const name of namesAt(state, ref.path)) for (const to of ref.to) keys.add(`${to}/${name}`);
  return [...keys];
}

/** The kinds a kind may depend on: its references' targets and its fixed dependencies' kinds. */
export function referencedKinds(kind: { readonly references: readonly Reference[]; readonly fixedDependencies?: readonly string[] }): KindName[] {
  const kinds = new Set<KindName>(kind.references.flatMap((r) => r.to));
  for (const key of kind.fixedDependencies ?? []) kinds.add(key.slice(0, key.indexOf('/')) as KindName);
  return [...kinds];
}
