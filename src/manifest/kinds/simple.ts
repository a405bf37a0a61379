// Normalizers for the kinds whose spec maps directly onto the model (no files, no parsers).
import type { DesiredResource } from '../../model/resource.js';
import type { NormalizeProps } from './types.js';
import { nameSet, stringMap } from './types.js';

type Simple = 'FleetIndexing' | 'ThingType' | 'ThingGroup' | 'DynamicThingGroup' | 'Thing';

export function normalizeSimple(kind: Simple, p: NormalizeProps): DesiredResource {
  const base = { name: p.name, ...(p.tags ? { tags: p.tags } : {}), source: p.source };
  const s = p.spec;
  switch (kind) {
    case 'FleetIndexing':
      return { ...base, kind, spec: { thingIndexingMode: s.thingIndexingMode, thingConnectivityIndexingMode: s.thingConnectivityIndexingMode ?? 'OFF' } };
    case 'ThingType':
      return {
        ...base,
        kind,
        spec: {
          ...(s.description === undefined ? {} : { description: String(s.description) }),
          searchableAttributes: nameSet(s.searchableAttributes),
          deprecated: s.deprecated === true,
        },
      };
    case 'ThingGroup':
      return {
        ...base,
        kind,
        spec: {
          ...(s.parent === undefined ? {} : { parent: String(s.parent) }),
          ...(s.description === undefined ? {} : { description: String(s.description) }),
          attributes: stringMap(s.attributes),
          policies: nameSet(s.policies),
        },
      };
    case 'DynamicThingGroup':
      return {
        ...base,
        kind,
        spec: {
          query: String(s.query),
          ...(s.description === undefined ? {} : { description: String(s.description) }),
          attributes: stringMap(s.attributes),
        },
      };
    case 'Thing':
      return {
        ...base,
        kind,
        spec: { ...(s.type === undefined ? {} : { type: String(s.type) }), attributes: stringMap(s.attributes), groups: nameSet(s.groups) },
      };
  }
}
