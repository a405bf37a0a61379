// Dependencies from a kind's declared references (Kind.references): the same declaration orders
// creates (over the desired spec), deletes (over the live state) and whole kinds (the kind graph).
import type { KindName } from '../../model/resource.js';
import type { Reference } from '../types.js';

/**
 * The names a reference field holds in `state` (a spec, a live state, or a manifest's raw spec),
 * each with where it sits: the reference's path, plus the index inside a list.
 */
export function referencedNames(state: unknown, ref: Reference): { readonly name: string; readonly at: readonly (string | number)[] }[] {
  let v: unknown = state;
  for (const key of ref.path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
    v = (v as Record<string, unknown>)[key];
  }
  if (typeof v === 'string') return v === '' ? [] : [{ name: v, at: ref.path }];
  if (!Array.isArray(v)) return [];
  return v.flatMap((x, i) => (typeof x === 'string' && x !== '' ? [{ name: x, at: [...ref.path, i] }] : []));
}

/** `Kind/name` keys that `state` (a spec, or a live state with the spec's field names) refers to. */
export function referencedKeys(kind: { readonly references: readonly Reference[]; readonly fixedDependencies?: readonly string[] }, state: unknown): string[] {
  const keys = new Set<string>(kind.fixedDependencies ?? []);
  for (const ref of kind.references) for (const { name } of referencedNames(state, ref)) for (const to of ref.to) keys.add(`${to}/${name}`);
  return [...keys];
}

/** The kinds a kind may depend on: its references' targets and its fixed dependencies' kinds. */
export function referencedKinds(kind: { readonly references: readonly Reference[]; readonly fixedDependencies?: readonly string[] }): KindName[] {
  const kinds = new Set<KindName>(kind.references.flatMap((r) => r.to));
  for (const key of kind.fixedDependencies ?? []) kinds.add(key.slice(0, key.indexOf('/')) as KindName);
  return [...kinds];
}
