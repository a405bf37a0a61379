// Maps a field name from a query to where its values live in a ThingDocument. Field names are
// case-sensitive (AWS docs), so `ThingName` is simply a field the index does not have.
import type { Field, FieldSource } from './ast.js';

const exact: Readonly<Record<string, FieldSource>> = {
  thingName: 'thingName',
  thingId: 'thingId',
  thingTypeName: 'thingTypeName',
  thingGroupNames: 'thingGroupNames',
  'registry.thingTypeName': 'thingTypeName',
  'registry.thingGroupNames': 'thingGroupNames',
  'shadow.hasDelta': 'shadowHasDelta',
  'connectivity.connected': 'connected',
  'connectivity.timestamp': 'connectivityTimestamp',
  'connectivity.disconnectReason': 'disconnectReason',
};

const prefixed: readonly (readonly [string, FieldSource])[] = [
  ['attributes.', 'attribute'],
  ['shadow.reported.', 'shadowReported'],
  ['shadow.desired.', 'shadowDesired'],
  ['shadow.delta.', 'shadowDelta'],
];

export const anyField: Field = { name: '*', source: 'any', path: [] };

export function resolveField(name: string): Field {
  const source = exact[name];
  if (source !== undefined) return { name, source, path: [] };
  for (const [prefix, prefixSource] of prefixed) {
    if (!name.startsWith(prefix) || name.length === prefix.length) continue;
    const rest = name.slice(prefix.length);
    // Attribute names may contain dots; shadow paths are JSON paths split on them.
    const path = prefixSource === 'attribute' ? [rest] : rest.split('.');
    return { name, source: prefixSource, path };
  }
  return { name, source: 'unknown', path: [] };
}
