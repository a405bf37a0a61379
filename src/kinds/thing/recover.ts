// Finishing a Thing create that a crash interrupted (src/apply/journal.ts). The journal proves
// this apply was about to create the thing; the thing is taken as ours only if it also is exactly
// what that create would have made (same type and attributes) — anything else stays unmanaged and
// shows as an adopt. Completing the create means joining the inventory group, which is the
// ownership mark; the next plan then converges its groups like any managed thing.
import type { IotApi } from '../../aws/iot-api.js';
import { listAll } from '../../aws/paginate.js';
import type { ThingSpec } from '../../model/resource.js';
import { unlessNotFound } from '../shared/aws-errors.js';
import { addToInventory } from '../shared/inventory.js';
import { normMap, normString } from '../shared/diff.js';
import { inventoryGroupName } from '../../model/live.js';

export type ThingRecovery = 'absent' | 'already-managed' | 'recovered' | 'differs';

export async function recoverThingCreate(props: { readonly api: IotApi; readonly fleetId: string; readonly name: string; readonly spec: ThingSpec }): Promise<ThingRecovery> {
  const { api, fleetId, name, spec } = props;
  const live = await unlessNotFound(() => api.send('DescribeThing', { thingName: name }));
  if (live === undefined) return 'absent';
  // A thing belongs to at most 10 groups, so this is one call.
  const groups = await listAll(api, 'ListThingGroupsForThing', { thingName: name }, (page) => page.thingGroups);
  if (groups.some((g) => g.groupName === inventoryGroupName(fleetId))) return 'already-managed';
  const sameType = normString(live.thingTypeName) === normString(spec.type);
  const sameAttributes = JSON.stringify(normMap(live.attributes)) === JSON.stringify(normMap(spec.attributes));
  if (!sameType || !sameAttributes) return 'differs';
  await addToInventory(api, fleetId, name);
  return 'recovered';
}
