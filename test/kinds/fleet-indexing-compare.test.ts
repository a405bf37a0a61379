import { referencedKeys } from '../../src/kinds/shared/references.js';
import { describe, expect, it } from 'vitest';
import type { DesiredResourceOf, DesiredState } from '../../src/model/resource.js';
import type { FleetIndexingSpec } from '../../src/kinds/fleet-indexing/spec.js';
import type { CompareContext } from '../../src/kinds/types.js';
import type { LiveResource } from '../../src/model/live.js';
import { fleetIndexingKind, indexingConfiguration, type FleetIndexingLive } from '../../src/kinds/fleet-indexing.js';

const desiredState: DesiredState = {
  revision: 'r',
  config: { prune: false, adopt: false, fleetId: 'test', vars: {}, ignore: [] },
  resources: [],
};
const ctx: CompareContext = { desired: desiredState, live: new Map(), now: 0 };

function desired(spec: FleetIndexingSpec): DesiredResourceOf<'FleetIndexing'> {
  return { kind: 'FleetIndexing', name: 'default', tags: {}, spec, source: { file: 'i.yaml', line: 1, column: 1 } };
}

function live(state: Partial<FleetIndexingLive>): LiveResource<'FleetIndexing', FleetIndexingLive> {
  return {
    kind: 'FleetIndexing',
    name: 'default',
    ownership: 'managed',
    tags: {},
    state: { thingIndexingMode: 'OFF', thingConnectivityIndexingMode: 'OFF', preserved: {}, ...state },
  };
}

describe('FleetIndexing compare', () => {
  it('is in sync when both modes match, whatever the preserved sub-settings', () => {
    const l = live({ thingIndexingMode: 'REGISTRY', preserved: { deviceDefenderIndexingMode: 'VIOLATIONS' } });

    expect(fleetIndexingKind.compare(desired({ thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'OFF' }), l, ctx)).toEqual({
      fields: [],
    });
  });

  it('reports each mode change and notes the index rebuild', () => {
    const result = fleetIndexingKind.compare(
      desired({ thingIndexingMode: 'REGISTRY_AND_SHADOW', thingConnectivityIndexingMode: 'STATUS' }),
      live({ thingIndexingMode: 'REGISTRY' }),
      ctx,
    );

    expect(result.fields).toEqual([
      { path: 'thingIndexingMode', before: 'REGISTRY', after: 'REGISTRY_AND_SHADOW' },
      { path: 'thingConnectivityIndexingMode', before: 'OFF', after: 'STATUS' },
    ]);
    expect(result.notes?.[0]).toMatch(/REBUILDING/);
  });

  it('warns that turning indexing off fails while dynamic groups exist', () => {
    const group: LiveResource = { kind: 'DynamicThingGroup', name: 'low', ownership: 'managed', tags: {}, state: { dynamic: true } };
    const withGroups: CompareContext = { ...ctx, live: new Map([['DynamicThingGroup', [group]]]) };

    const result = fleetIndexingKind.compare(desired({ thingIndexingMode: 'OFF', thingConnectivityIndexingMode: 'OFF' }), live({ thingIndexingMode: 'REGISTRY' }), withGroups);

    expect(result.notes?.[1]).toMatch(/refuses to turn indexing off while dynamic thing groups exist \(1 do\)/);
  });

  it('sends unmanaged sub-settings back only where the new mode allows them', () => {
    const preserved: FleetIndexingLive['preserved'] = {
      namedShadowIndexingMode: 'ON',
      deviceDefenderIndexingMode: 'VIOLATIONS',
      filter: { namedShadowNames: ['cfg'] },
    };

    expect(indexingConfiguration({ thingIndexingMode: 'REGISTRY_AND_SHADOW', thingConnectivityIndexingMode: 'OFF' }, preserved)).toEqual({
      thingIndexingMode: 'REGISTRY_AND_SHADOW',
      thingConnectivityIndexingMode: 'OFF',
      namedShadowIndexingMode: 'ON',
      deviceDefenderIndexingMode: 'VIOLATIONS',
      filter: { namedShadowNames: ['cfg'] },
    });
    expect(indexingConfiguration({ thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'STATUS' }, preserved)).toEqual({
      thingIndexingMode: 'REGISTRY',
      thingConnectivityIndexingMode: 'STATUS',
      deviceDefenderIndexingMode: 'VIOLATIONS',
    });
    expect(indexingConfiguration({ thingIndexingMode: 'OFF', thingConnectivityIndexingMode: 'OFF' }, preserved)).toEqual({
      thingIndexingMode: 'OFF',
      thingConnectivityIndexingMode: 'OFF',
    });
  });

  it('has no dependencies', () => {
    expect(referencedKeys(fleetIndexingKind, desired({ thingIndexingMode: 'OFF', thingConnectivityIndexingMode: 'OFF' }).spec)).toEqual([]);
  });
});
