// ThingGroup (static) in the fleet: parent (fixed at creation), description, attributes, policies.
// The hierarchy rules (parents declared and static, no cycle, depth ≤ 7) run once over all groups.
import type { Emit } from '../../document/context.js';
import { checkAttributeValues } from '../../document/attributes.js';
import { nameSet, stringMap } from '../../document/normalize.js';
import { NAME_RULES, attributes, descriptionSchema, nameList, nameRef, object } from '../../document/schema.js';
import { checkReservedGroupName } from '../shared/reserved-names.js';
import type { FleetView, KindManifest } from '../types.js';
import { checkGroupHierarchy, type GroupIndex } from './hierarchy.js';

/** The static groups' hierarchy, checked once per fleet (its problems are reported on first use). */
export function groupHierarchy(fleet: FleetView, emit: Emit): GroupIndex {
  return fleet.memo('ThingGroup/hierarchy', () => checkGroupHierarchy(fleet.declared('ThingGroup'), { has: (name) => fleet.has('DynamicThingGroup', name) }, emit));
}

export const thingGroupManifest: KindManifest<'ThingGroup'> = {
  name: NAME_RULES.ThingGroupName,
  schema: {
    file: 'thing-group.schema.json',
    title: 'iotops ThingGroup',
    description: 'A static thing group. The parent is fixed at creation: changing it replaces the group',
    nameDescription: 'Group name: 1–128 of [a-zA-Z0-9:_-]',
    spec: object('Group properties', {
      parent: nameRef(NAME_RULES.ThingGroupName, 'Parent ThingGroup (hierarchy depth ≤ 7)'),
      description: descriptionSchema,
      attributes: attributes('Group attributes (≤ 50)', 50),
      policies: nameList('Policy', NAME_RULES.PolicyName, 'IoT policies attached to the group'),
    }),
  },
  normalize: (p) => ({
    kind: 'ThingGroup',
    name: p.name,
    ...(p.tags ? { tags: p.tags } : {}),
    source: p.source,
    spec: {
      ...(p.spec.parent === undefined ? {} : { parent: String(p.spec.parent) }),
      ...(p.spec.description === undefined ? {} : { description: String(p.spec.description) }),
      attributes: stringMap(p.spec.attributes),
      policies: nameSet(p.spec.policies),
    },
  }),
  check(d, _fleet, emit) {
    if (d.resource.kind !== 'ThingGroup') return;
    checkReservedGroupName(d, emit);
    checkAttributeValues(d.ctx, d.resource.spec.attributes, emit);
  },
  checkAll(_declared, fleet, emit) {
    groupHierarchy(fleet, emit);
  },
};
