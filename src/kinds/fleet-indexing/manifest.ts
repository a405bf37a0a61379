// FleetIndexing in the fleet: the singleton `default`; dynamic groups need it (their check says so).
import { NAME_RULES, object } from '../../document/schema.js';
import type { KindManifest } from '../types.js';

export const fleetIndexingManifest: KindManifest<'FleetIndexing'> = {
  name: NAME_RULES.FleetIndexingName,
  schema: {
    file: 'fleet-indexing.schema.json',
    title: 'iotops FleetIndexing',
    description: 'Fleet indexing configuration (singleton named `default`); required by DynamicThingGroup',
    nameDescription: 'Always `default`',
    spec: object('Indexing configuration', {
      thingIndexingMode: { enum: ['OFF', 'REGISTRY', 'REGISTRY_AND_SHADOW'], description: 'What the thing index contains' },
      thingConnectivityIndexingMode: { enum: ['OFF', 'STATUS'], description: 'Index connectivity status (default OFF)' },
    }, ['thingIndexingMode']),
  },
  normalize: (p) => ({
    kind: 'FleetIndexing',
    name: p.name,
    ...(p.tags ? { tags: p.tags } : {}),
    source: p.source,
    spec: { thingIndexingMode: p.spec.thingIndexingMode, thingConnectivityIndexingMode: p.spec.thingConnectivityIndexingMode ?? 'OFF' },
  }),
};
