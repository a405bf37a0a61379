// DynamicThingGroup in the fleet: a fleet-indexing query (parsed offline, so a query AWS would
// refuse with InvalidQueryException fails validate instead of apply), description, attributes.
// No parent and no policies (AWS forbids both; the schema marks them forbidden). Needs FleetIndexing.
import { diagAt } from '../../document/context.js';
import { checkAttributeValues } from '../../document/attributes.js';
import { stringMap, type Declared } from '../../document/normalize.js';
import { NAME_RULES, attributes, descriptionSchema, forbidden, object, str } from '../../document/schema.js';
import type { Emit } from '../../document/context.js';
import { parseFleetQuery } from '../../lang/query/index.js';
import { checkReservedGroupName } from '../shared/reserved-names.js';
import type { FleetView, KindManifest } from '../types.js';

/**
 * The error points into the query scalar when its text maps 1:1 onto the YAML (plain or quoted
 * one-line, block literal, no variables substituted); otherwise at the field, and the message
 * carries the offset.
 */
function checkQuery(d: Declared, emit: Emit): void {
  if (d.resource.kind !== 'DynamicThingGroup') return;
  const parsed = parseFleetQuery(d.resource.spec.query);
  if (parsed.ok) return;
  const path = ['spec', 'query'];
  const where = d.ctx.locateInString?.(path, parsed.offset, d.resource.spec.query) ?? d.ctx.locate(path);
  const diag = diagAt(d.ctx, 'dynamic-group-query', path, `fleet-indexing query: ${parsed.message} (offset ${parsed.offset})`);
  emit({ ...diag, file: where.file, line: where.at.line, column: where.at.column });
}

/** Whether the fleet turns fleet indexing on; a FleetIndexing document with its own errors is already reported, so it counts as on. */
function indexingOn(fleet: FleetView): boolean {
  return fleet.memo('FleetIndexing/on', () =>
    fleet.broken('FleetIndexing') || fleet.declared('FleetIndexing').some((d) => d.resource.kind === 'FleetIndexing' && d.resource.spec.thingIndexingMode !== 'OFF'),
  );
}

export const dynamicThingGroupManifest: KindManifest<'DynamicThingGroup'> = {
  name: NAME_RULES.ThingGroupName,
  schema: {
    file: 'dynamic-thing-group.schema.json',
    title: 'iotops DynamicThingGroup',
    description: 'A thing group whose members are the things matching a fleet-indexing query. Needs a FleetIndexing document',
    nameDescription: 'Group name: 1–128 of [a-zA-Z0-9:_-]',
    spec: object('Dynamic group properties', {
      query: str('Fleet-indexing query, e.g. `attributes.battery < 20 AND thingTypeName:sensor`', { minLength: 1 }),
      description: descriptionSchema,
      attributes: attributes('Group attributes (≤ 50)', 50),
      parent: forbidden('Not allowed: dynamic groups cannot be part of a hierarchy'),
      policies: forbidden('Not allowed: AWS forbids attaching policies to dynamic groups'),
    }, ['query']),
  },
  normalize: (p) => ({
    kind: 'DynamicThingGroup',
    name: p.name,
    ...(p.tags ? { tags: p.tags } : {}),
    source: p.source,
    spec: {
      query: String(p.spec.query),
      ...(p.spec.description === undefined ? {} : { description: String(p.spec.description) }),
      attributes: stringMap(p.spec.attributes),
    },
  }),
  check(d, fleet, emit) {
    if (d.resource.kind !== 'DynamicThingGroup') return;
    checkReservedGroupName(d, emit);
    checkAttributeValues(d.ctx, d.resource.spec.attributes, emit);
    checkQuery(d, emit);
    if (!indexingOn(fleet)) {
      emit(diagAt(d.ctx, 'dynamic-group-needs-indexing', ['spec', 'query'], 'dynamic thing groups need fleet indexing: declare a FleetIndexing document (name default) with thingIndexingMode REGISTRY or REGISTRY_AND_SHADOW'));
    }
  },
};
