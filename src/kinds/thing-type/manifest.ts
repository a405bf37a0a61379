// ThingType in the fleet: description and up to 3 searchable attributes (both immutable in AWS).
import { diagAt } from '../../document/context.js';
import { nameSet } from '../../document/normalize.js';
import { NAME_RULES, descriptionSchema, object, str } from '../../document/schema.js';
import type { KindManifest } from '../types.js';

export const MAX_SEARCHABLE_ATTRIBUTES = 3;

export const thingTypeManifest: KindManifest<'ThingType'> = {
  name: NAME_RULES.ThingTypeName,
  schema: {
    file: 'thing-type.schema.json',
    title: 'iotops ThingType',
    description: 'An AWS IoT thing type. Description and searchable attributes are immutable in AWS: changing them replaces the type',
    nameDescription: 'Thing type name: 1–128 of [a-zA-Z0-9:_-]',
    spec: object('Thing type properties', {
      description: descriptionSchema,
      searchableAttributes: { type: 'array', description: 'Searchable attribute names (≤ 3, a set)', items: str('Attribute name', { maxLength: 128, pattern: '^[a-zA-Z0-9_.,@/:#-]+$' }) },
      deprecated: { type: 'boolean', description: 'Deprecate the type (blocks new things from using it)' },
    }),
  },
  normalize: (p) => ({
    kind: 'ThingType',
    name: p.name,
    ...(p.tags ? { tags: p.tags } : {}),
    source: p.source,
    spec: {
      ...(p.spec.description === undefined ? {} : { description: String(p.spec.description) }),
      searchableAttributes: nameSet(p.spec.searchableAttributes),
      deprecated: p.spec.deprecated === true,
    },
  }),
  check(d, _fleet, emit) {
    if (d.resource.kind !== 'ThingType') return;
    const n = d.resource.spec.searchableAttributes.length;
    if (n > MAX_SEARCHABLE_ATTRIBUTES) {
      emit(diagAt(d.ctx, 'too-many-searchable-attributes', ['spec', 'searchableAttributes'], `${n} searchable attributes; AWS allows at most ${MAX_SEARCHABLE_ATTRIBUTES}`));
    }
  },
};
