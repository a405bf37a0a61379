// Cross-resource checks over the de-duplicated declarations: references between kinds,
// per-resource quotas that need context, and fleet-wide rules (fleet indexing for dynamic
// groups). Everything is O(resources): names are looked up in per-kind sets.
import type { Emit } from '../context.js';
import { diagAt } from '../context.js';
import type { Declared, RawSpec } from '../kinds/types.js';
import type { KindName } from '../../model/resource.js';
import { KIND_NAMES } from '../../model/resource.js';
import { checkAttributeValues, checkThingAttributeCount } from './attributes.js';
import { checkGroupHierarchy } from './groups.js';
import { checkDynamicGroupQuery } from './query.js';

export const MAX_SEARCHABLE_ATTRIBUTES = 3;
/** iotops's own thing groups (src/kinds/types.ts, src/kinds/shared/ownership-ledger.ts), for every fleet id. */
const RESERVED_GROUP_PREFIXES = ['iotops-inventory-', 'iotops-ledger-'];

function checkReservedGroupName(d: Declared, emit: Emit): void {
  const prefix = RESERVED_GROUP_PREFIXES.find((p) => d.resource.name.startsWith(p));
  if (!prefix) return;
  emit(diagAt(d.ctx, 'reserved-name', ['metadata', 'name'], `thing group names starting with ${prefix} are iotops's own (a fleet's inventory and ownership ledger); choose another name`));
}
export const MAX_GROUPS_PER_THING = 10;
export const MAX_POLICIES_PER_CERTIFICATE = 10;

type Names = Readonly<Record<KindName, ReadonlySet<string>>>;

function namesByKind(declared: readonly Declared[], broken: readonly { kind: KindName; name: string }[]): Names {
  const out = {} as Record<KindName, Set<string>>;
  for (const k of KIND_NAMES) out[k] = new Set();
  for (const d of declared) out[d.resource.kind].add(d.resource.name);
  for (const b of broken) out[b.kind].add(b.name);
  return out;
}

function list(raw: RawSpec | undefined, key: string): string[] {
  const v = raw?.[key];
  return Array.isArray(v) ? v.map(String) : [];
}

function refs(d: Declared, raw: RawSpec | undefined, field: readonly string[], kind: KindName, names: Names, emit: Emit, alt?: KindName): void {
  list(raw, field[field.length - 1]).forEach((name, i) => {
    if (names[kind].has(name) || (alt && names[alt].has(name))) return;
    const expected = alt ? `${kind} or ${alt}` : kind;
    emit(diagAt(d.ctx, 'unknown-reference', ['spec', ...field, i], `${expected} ${name} is not declared in the fleet`));
  });
}

function checkThing(d: Declared, names: Names, deprecatedTypes: ReadonlySet<string>, rootOf: ReadonlyMap<string, string>, emit: Emit): void {
  if (d.resource.kind !== 'Thing') return;
  const spec = d.resource.spec;
  if (spec.type !== undefined && !names.ThingType.has(spec.type)) {
    emit(diagAt(d.ctx, 'unknown-reference', ['spec', 'type'], `ThingType ${spec.type} is not declared in the fleet`));
  } else if (spec.type !== undefined && deprecatedTypes.has(spec.type)) {
    emit(diagAt(d.ctx, 'deprecated-thing-type', ['spec', 'type'], `ThingType ${spec.type} is deprecated; AWS refuses to associate new things with it`, { severity: 'warning' }));
  }
  checkThingAttributeCount(d.ctx, spec.attributes, spec.type !== undefined, emit);
  checkAttributeValues(d.ctx, spec.attributes, emit);
  const seenRoot = new Map<string, string>();
  list(d.raw, 'groups').forEach((g, i) => {
    const path = ['spec', 'groups', i];
    if (names.DynamicThingGroup.has(g)) {
      emit(diagAt(d.ctx, 'dynamic-group-membership', path, `${g} is a DynamicThingGroup: its members come from its query and cannot be listed`));
    } else if (!names.ThingGroup.has(g)) {
      emit(diagAt(d.ctx, 'unknown-reference', path, `ThingGroup ${g} is not declared in the fleet`));
    } else {
      const root = rootOf.get(g);
      const other = root === undefined ? undefined : seenRoot.get(root);
      if (other !== undefined && other !== g) {
        emit(diagAt(d.ctx, 'group-hierarchy-conflict', path, `groups ${other} and ${g} are in the same hierarchy (root ${root}); AWS allows a thing in only one group per hierarchy`));
      } else if (root !== undefined) seenRoot.set(root, g);
    }
  });
  if (spec.groups.length > MAX_GROUPS_PER_THING) {
    emit(diagAt(d.ctx, 'too-many-groups', ['spec', 'groups'], `${spec.groups.length} groups; AWS allows a thing in at most ${MAX_GROUPS_PER_THING} groups (dynamic memberships count too)`));
  }
}

/**
 * `broken` names documents that were declared but failed their own checks: references to them
 * are not reported again, so one mistake yields one diagnostic.
 */
export function checkFleet(declared: readonly Declared[], broken: readonly { kind: KindName; name: string }[], emit: Emit): void {
  const names = namesByKind(declared, broken);
  const deprecatedTypes = new Set<string>();
  const groups: Declared[] = [];
  let indexingOn = false;
  for (const d of declared) {
    const r = d.resource;
    if (r.kind === 'ThingType' && r.spec.deprecated) deprecatedTypes.add(r.name);
    if (r.kind === 'ThingGroup') groups.push(d);
    if (r.kind === 'FleetIndexing' && r.spec.thingIndexingMode !== 'OFF') indexingOn = true;
  }
  // A FleetIndexing document with its own errors is already reported; don't blame the dynamic groups too.
  if (broken.some((b) => b.kind === 'FleetIndexing')) indexingOn = true;
  const { rootOf } = checkGroupHierarchy(groups, names.DynamicThingGroup, emit);
  for (const d of declared) {
    const r = d.resource;
    switch (r.kind) {
      case 'Thing':
        checkThing(d, names, deprecatedTypes, rootOf, emit);
        break;
      case 'ThingType':
        if (r.spec.searchableAttributes.length > MAX_SEARCHABLE_ATTRIBUTES) {
          emit(diagAt(d.ctx, 'too-many-searchable-attributes', ['spec', 'searchableAttributes'], `${r.spec.searchableAttributes.length} searchable attributes; AWS allows at most ${MAX_SEARCHABLE_ATTRIBUTES}`));
        }
        break;
      case 'ThingGroup':
        checkReservedGroupName(d, emit);
        checkAttributeValues(d.ctx, r.spec.attributes, emit);
        refs(d, d.raw, ['policies'], 'Policy', names, emit);
        break;
      case 'DynamicThingGroup':
        checkReservedGroupName(d, emit);
        checkAttributeValues(d.ctx, r.spec.attributes, emit);
        checkDynamicGroupQuery(d, emit);
        if (!indexingOn) {
          emit(diagAt(d.ctx, 'dynamic-group-needs-indexing', ['spec', 'query'], 'dynamic thing groups need fleet indexing: declare a FleetIndexing document (name default) with thingIndexingMode REGISTRY or REGISTRY_AND_SHADOW'));
        }
        break;
      case 'Certificate':
        refs(d, d.raw, ['things'], 'Thing', names, emit);
        refs(d, d.raw, ['policies'], 'Policy', names, emit);
        if (r.spec.policies.length > MAX_POLICIES_PER_CERTIFICATE) {
          emit(diagAt(d.ctx, 'too-many-policies', ['spec', 'policies'], `${r.spec.policies.length} policies; AWS allows at most ${MAX_POLICIES_PER_CERTIFICATE} per certificate`));
        }
        break;
      case 'Job':
        refs(d, d.raw.targets as RawSpec | undefined, ['targets', 'things'], 'Thing', names, emit);
        refs(d, d.raw.targets as RawSpec | undefined, ['targets', 'groups'], 'ThingGroup', names, emit, 'DynamicThingGroup');
        break;
      default:
        break;
    }
  }
}
