// Cross-resource checks over the de-duplicated declarations, driven by the kinds: the references
// each kind declares (Kind.references: a name must be declared in the fleet, as one of the kinds
// it may refer to), then each kind's own rules (Kind.manifest.check / checkAll: quotas, hierarchy,
// references with a special meaning). Everything is O(resources): names are looked up in per-kind
// sets, and rules that need the whole fleet compute it once (FleetView.memo).
import type { Emit } from '../../document/context.js';
import { diagAt } from '../../document/context.js';
import type { Declared } from '../../document/normalize.js';
import type { KindName } from '../../model/resource.js';
import { kindNames, type KindRegistry } from '../../kinds/registry.js';
import type { FleetView, Kind } from '../../kinds/types.js';
import { referencedNames } from '../../kinds/shared/references.js';

function fleetView(declared: readonly Declared[], broken: readonly { kind: KindName; name: string }[]): FleetView {
  const names = new Map<KindName, Set<string>>();
  const byKind = new Map<KindName, Declared[]>();
  const brokenKinds = new Set(broken.map((b) => b.kind));
  const add = (kind: KindName, name: string): void => void (names.get(kind) ?? names.set(kind, new Set()).get(kind)!).add(name);
  for (const d of declared) {
    add(d.resource.kind, d.resource.name);
    (byKind.get(d.resource.kind) ?? byKind.set(d.resource.kind, []).get(d.resource.kind)!).push(d);
  }
  for (const b of broken) add(b.kind, b.name);
  const memos = new Map<string, unknown>();
  return {
    has: (kind, name) => names.get(kind)?.has(name) ?? false,
    declared: (kind) => byKind.get(kind) ?? [],
    broken: (kind) => brokenKinds.has(kind),
    memo<T>(key: string, compute: () => T): T {
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
  };
}

function checkReferences(d: Declared, kind: Kind, fleet: FleetView, emit: Emit): void {
  for (const ref of kind.references) {
    if (ref.checkedByKind) continue;
    for (const { name, at } of referencedNames(d.raw, ref)) {
      if (ref.to.some((k) => fleet.has(k, name))) continue;
      emit(diagAt(d.ctx, 'unknown-reference', ['spec', ...at], `${ref.to.join(' or ')} ${name} is not declared in the fleet`));
    }
  }
}

/**
 * `broken` names documents that were declared but failed their own checks: references to them
 * are not reported again, so one mistake yields one diagnostic.
 */
export function checkFleet(declared: readonly Declared[], broken: readonly { kind: KindName; name: string }[], kinds: KindRegistry, emit: Emit): void {
  const fleet = fleetView(declared, broken);
  for (const name of kindNames(kinds)) {
    const manifest = kinds[name]!.manifest;
    manifest.checkAll?.(fleet.declared(name), fleet, emit);
  }
  for (const d of declared) {
    const kind = kinds[d.resource.kind] as Kind | undefined;
    if (!kind) continue;
    checkReferences(d, kind, fleet, emit);
    kind.manifest.check?.(d, fleet, emit);
  }
}
