// Thing in the fleet: type, attributes, static groups. ThingFleet (a generator in src/manifest)
// produces Things with the same spec fields and the same schema for them.
import { diagAt, type Emit } from '../../document/context.js';
import { checkAttributeValues, checkThingAttributeCount } from '../../document/attributes.js';
import { nameSet, stringMap, type Declared } from '../../document/normalize.js';
import { NAME_RULES, attributes, nameList, nameRef, object, type JsonSchema } from '../../document/schema.js';
import { groupHierarchy } from '../thing-group/manifest.js';
import type { FleetView, KindManifest } from '../types.js';

export const MAX_GROUPS_PER_THING = 10;

/** The spec fields of a Thing, also the `template` of a ThingFleet. */
const thingSpecProperties: Readonly<Record<string, JsonSchema>> = {
  type: nameRef(NAME_RULES.ThingTypeName, 'ThingType name (declared in the fleet)'),
  attributes: attributes('Attributes: ≤ 3 without a type, ≤ 50 with one; values without spaces'),
  groups: nameList('ThingGroup', NAME_RULES.ThingGroupName, 'Static ThingGroup names (≤ 10 per thing)'),
};

function deprecatedTypes(fleet: FleetView): ReadonlySet<string> {
  return fleet.memo('ThingType/deprecated', () => new Set(fleet.declared('ThingType').flatMap((d) => (d.resource.kind === 'ThingType' && d.resource.spec.deprecated ? [d.resource.name] : []))));
}

function checkThing(d: Declared, fleet: FleetView, emit: Emit): void {
  if (d.resource.kind !== 'Thing') return;
  const spec = d.resource.spec;
  if (spec.type !== undefined && !fleet.has('ThingType', spec.type)) {
    emit(diagAt(d.ctx, 'unknown-reference', ['spec', 'type'], `ThingType ${spec.type} is not declared in the fleet`));
  } else if (spec.type !== undefined && deprecatedTypes(fleet).has(spec.type)) {
    emit(diagAt(d.ctx, 'deprecated-thing-type', ['spec', 'type'], `ThingType ${spec.type} is deprecated; AWS refuses to associate new things with it`, { severity: 'warning' }));
  }
  checkThingAttributeCount(d.ctx, spec.attributes, spec.type !== undefined, emit);
  checkAttributeValues(d.ctx, spec.attributes, emit);
  const { rootOf } = groupHierarchy(fleet, emit);
  const seenRoot = new Map<string, string>();
  const raw: unknown[] = Array.isArray(d.raw.groups) ? d.raw.groups : [];
  raw.map(String).forEach((g, i) => {
    const path = ['spec', 'groups', i];
    if (fleet.has('DynamicThingGroup', g)) {
      emit(diagAt(d.ctx, 'dynamic-group-membership', path, `${g} is a DynamicThingGroup: its members come from its query and cannot be listed`));
    } else if (!fleet.has('ThingGroup', g)) {
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

export const thingManifest: KindManifest<'Thing'> = {
  name: NAME_RULES.ThingName,
  schema: {
    file: 'thing.schema.json',
    title: 'iotops Thing',
    description: 'An AWS IoT thing (things cannot be tagged)',
    nameDescription: 'Thing name: 1–128 of [a-zA-Z0-9:_-]',
    spec: object('Thing properties', thingSpecProperties),
  },
  normalize: (p) => ({
    kind: 'Thing',
    name: p.name,
    ...(p.tags ? { tags: p.tags } : {}),
    source: p.source,
    spec: { ...(p.spec.type === undefined ? {} : { type: String(p.spec.type) }), attributes: stringMap(p.spec.attributes), groups: nameSet(p.spec.groups) },
  }),
  check: checkThing,
};
