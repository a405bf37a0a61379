// FleetIndexing: the account's thing-indexing configuration, a singleton named `default`.
// It exists in every account (OFF by default), so it is never created or deleted: iotops reads it
// only when the fleet declares it (then it is always `managed`) and applies with
// UpdateIndexingConfiguration. Sub-settings the manifest has no field for (named-shadow and Device
// Defender indexing, custom fields, filter) are carried in the live state and sent back unchanged,
// because UpdateIndexingConfiguration replaces the whole thingIndexingConfiguration.
import type { FleetIndexingSpec } from './fleet-indexing/spec.js';
import type { FieldChange } from '../model/plan.js';
import type { IotInput } from '../aws/iot-api.js';
import type { Kind } from './types.js';
import type { LiveResource } from '../model/live.js';
import { scalarField } from './shared/diff.js';
import { desiredOf, liveOf } from './shared/change-data.js';
import { fleetIndexingManifest } from './fleet-indexing/manifest.js';

export const FLEET_INDEXING_NAME = 'default';

type ThingIndexingConfiguration = NonNullable<IotInput<'UpdateIndexingConfiguration'>['thingIndexingConfiguration']>;

export interface FleetIndexingLive {
  readonly thingIndexingMode: FleetIndexingSpec['thingIndexingMode'];
  readonly thingConnectivityIndexingMode: FleetIndexingSpec['thingConnectivityIndexingMode'];
  /** Unmanaged sub-settings, sent back as read. */
  readonly preserved: Omit<ThingIndexingConfiguration, 'thingIndexingMode' | 'thingConnectivityIndexingMode' | 'managedFields'>;
}

export const fleetIndexingKind: Kind<'FleetIndexing', FleetIndexingLive> = {
  kind: 'FleetIndexing',
  neverDeleted: true,
  manifest: fleetIndexingManifest,
  taggable: false,

  async read(ctx) {
    if (!ctx.desired.resources.some((r) => r.kind === 'FleetIndexing')) return [];
    const out = await ctx.api.send('GetIndexingConfiguration', {});
    const cfg = out.thingIndexingConfiguration;
    const { thingIndexingMode, thingConnectivityIndexingMode, managedFields: _managed, ...rest } = cfg ?? { thingIndexingMode: undefined };
    const live: LiveResource<'FleetIndexing', FleetIndexingLive> = {
      kind: 'FleetIndexing',
      name: FLEET_INDEXING_NAME,
      ownership: 'managed',
      tags: {},
      state: {
        thingIndexingMode: (thingIndexingMode ?? 'OFF') as FleetIndexingLive['thingIndexingMode'],
        thingConnectivityIndexingMode: (thingConnectivityIndexingMode ?? 'OFF') as FleetIndexingLive['thingConnectivityIndexingMode'],
        preserved: dropUndefined(rest),
      },
    };
    return [live];
  },

  references: [],

  compare(desired, live, ctx) {
    const fields: FieldChange[] = [
      ...scalarField('thingIndexingMode', desired.spec.thingIndexingMode, live.state.thingIndexingMode),
      ...scalarField('thingConnectivityIndexingMode', desired.spec.thingConnectivityIndexingMode, live.state.thingConnectivityIndexingMode),
    ];
    if (fields.length === 0) return { fields };
    const notes = ['AWS rebuilds the fleet index after an indexing change (status REBUILDING)'];
    const turningOff = desired.spec.thingIndexingMode === 'OFF' && live.state.thingIndexingMode !== 'OFF';
    const dynamicGroups = (ctx.live.get('DynamicThingGroup') ?? []).filter((g) => (g.state as { dynamic?: boolean }).dynamic);
    if (turningOff && dynamicGroups.length > 0) {
      // Apply runs updates before deletes, so dynamic groups pruned by this plan still exist at this point.
      notes.push(
        `AWS refuses to turn indexing off while dynamic thing groups exist (${dynamicGroups.length} do); ` +
          'this step fails until they are deleted, so a second run completes it',
      );
    }
    return { fields, notes };
  },

  async apply(change, ctx) {
    if (change.action === 'delete') {
      throw new Error('FleetIndexing/default is never deleted: remove dynamic groups and set thingIndexingMode: OFF instead');
    }
    const { spec } = desiredOf<'FleetIndexing'>(change);
    const preserved = change.live ? liveOf<FleetIndexingLive>(change).state.preserved : {};
    await ctx.api.send('UpdateIndexingConfiguration', { thingIndexingConfiguration: indexingConfiguration(spec, preserved) });
  },
};

/** Keeps unmanaged sub-settings only where AWS accepts them with the desired mode. */
export function indexingConfiguration(spec: FleetIndexingSpec, preserved: FleetIndexingLive['preserved']): ThingIndexingConfiguration {
  const base: ThingIndexingConfiguration = {
    thingIndexingMode: spec.thingIndexingMode,
    thingConnectivityIndexingMode: spec.thingConnectivityIndexingMode,
  };
  if (spec.thingIndexingMode === 'OFF') return base;
  const { namedShadowIndexingMode, filter, ...others } = preserved;
  if (spec.thingIndexingMode !== 'REGISTRY_AND_SHADOW') return { ...others, ...base };
  return { ...dropUndefined({ namedShadowIndexingMode, filter }), ...others, ...base };
}

function dropUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
