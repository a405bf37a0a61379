// The fleet's inventory group `iotops-inventory-<fleetId>`: membership proves a thing is managed
// (src/kinds/types.ts). It is created lazily, on the first failed add, so applying many things costs
// no extra call per thing; creation is idempotent and carries the ownership tag.
import type { IotApi } from '../../aws/iot-api.js';
import { inventoryGroupName, MANAGED_BY_TAG } from '../../model/live.js';
import { isAwsError } from '../../aws/errors.js';

export const INVENTORY_DESCRIPTION = 'iotops inventory: things managed by this fleet (do not edit)';

export async function ensureInventoryGroup(api: IotApi, fleetId: string): Promise<void> {
  try {
    await api.send('CreateThingGroup', {
      thingGroupName: inventoryGroupName(fleetId),
      thingGroupProperties: { thingGroupDescription: INVENTORY_DESCRIPTION },
      tags: [{ Key: MANAGED_BY_TAG, Value: fleetId }],
    });
  } catch (err) {
    // Exists with other properties (e.g. attributes written by another kind): it is there, which is all we need.
    if (isAwsError(err, 'ResourceAlreadyExistsException')) return;
    throw err;
  }
}

/** Marks a thing as managed by this fleet. */
export async function addToInventory(api: IotApi, fleetId: string, thingName: string): Promise<void> {
  const thingGroupName = inventoryGroupName(fleetId);
  try {
    await api.send('AddThingToThingGroup', { thingGroupName, thingName });
  } catch (err) {
    if (!isAwsError(err, 'ResourceNotFoundException')) throw err;
    await ensureInventoryGroup(api, fleetId);
    await api.send('AddThingToThingGroup', { thingGroupName, thingName });
  }
}
