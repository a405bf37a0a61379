// Executes Thing changes. Order within a change makes reruns converge after a partial failure:
// CreateThing (idempotent for an identical thing) → inventory membership (the ownership mark, so a
// failure after this point leaves a managed thing that the next plan updates) → static groups.
// Updates send the whole attribute map without merge (replace semantics) with expectedVersion.
import type { ThingSpec } from './spec.js';
import type { PlannedChange } from '../../model/plan.js';
import type { IotApi } from '../../aws/iot-api.js';
import type { ApplyContext } from '../types.js';
import type { ThingLive } from '../thing.js';
import { desiredOf, liveOf } from '../shared/change-data.js';
import { mapFields, normMap, normSet, normString, setDelta } from '../shared/diff.js';
import { addToInventory } from '../shared/inventory.js';

export async function applyThing(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const name = change.name;
  switch (change.action) {
    case 'create': {
      const { spec } = desiredOf<'Thing'>(change);
      const type = normString(spec.type);
      await ctx.api.send('CreateThing', {
        thingName: name,
        ...(type ? { thingTypeName: type } : {}),
        attributePayload: { attributes: normMap(spec.attributes) },
      });
      await addToInventory(ctx.api, ctx.fleetId, name);
      await syncGroups(ctx.api, name, [], spec.groups);
      return;
    }
    case 'adopt':
    case 'update': {
      const { spec } = desiredOf<'Thing'>(change);
      const live = liveOf<ThingLive>(change).state;
      if (change.action === 'adopt') await addToInventory(ctx.api, ctx.fleetId, name);
      await updateRegistry(ctx.api, name, spec, live);
      await syncGroups(ctx.api, name, live.groups, spec.groups);
      return;
    }
    case 'delete': {
      const live = change.live ? liveOf<ThingLive>(change).state : undefined;
      // Deleting a thing also drops its group memberships; DeleteThing of a missing thing succeeds.
      await ctx.api.send('DeleteThing', { thingName: name, ...(live ? { expectedVersion: live.version } : {}) });
      return;
    }
    case 'replace':
      throw new Error(`Thing/${name}: things are never replaced (every field is updatable)`);
  }
}

async function updateRegistry(api: IotApi, name: string, spec: ThingSpec, live: ThingLive): Promise<void> {
  const type = normString(spec.type);
  const typeChanged = type !== live.type;
  const attributesChanged = mapFields('attributes', spec.attributes, live.attributes).length > 0;
  if (!typeChanged && !attributesChanged) return;
  await api.send('UpdateThing', {
    thingName: name,
    ...(typeChanged ? (type ? { thingTypeName: type } : { removeThingType: true }) : {}),
    attributePayload: { attributes: normMap(spec.attributes), merge: false },
    expectedVersion: live.version,
  });
}

async function syncGroups(api: IotApi, thingName: string, live: readonly string[], desired: readonly string[]): Promise<void> {
  const { add, remove } = setDelta(normSet(live), normSet(desired));
  for (const thingGroupName of remove) await api.send('RemoveThingFromThingGroup', { thingGroupName, thingName });
  for (const thingGroupName of add) await api.send('AddThingToThingGroup', { thingGroupName, thingName });
}
