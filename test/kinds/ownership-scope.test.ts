// What the readers of taggable kinds read, with and without the fleet's ownership ledger: the
// resources of other teams in the account cost a list entry and, without a ledger, one tag read
// each (never two, even for groups, which two readers share), and nothing at all with a ledger.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredState } from '../../src/model/resource.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { readLive } from '../../src/live/read.js';
import { identityKey, LEDGER_CAPACITY, nameKey, updateOwnershipLedger } from '../../src/kinds/shared/ownership-ledger.js';
import { MANAGED_BY_TAG } from '../../src/model/live.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

const FLEET = 'scope';
const EMPTY: DesiredState = { revision: 'r', config: { prune: false, adopt: false, fleetId: FLEET, vars: {}, ignore: [] }, resources: [] };
const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] });

let env: TestEmulator;
beforeEach(async () => {
  env = await startTestEmulator();
  // Another team's resources: 4 static groups, 2 dynamic groups, 3 policies, 1 type; one group is ours.
  await env.api.send('UpdateIndexingConfiguration', { thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } });
  for (let i = 0; i < 4; i++) await env.api.send('CreateThingGroup', { thingGroupName: `other-${i}` });
  for (let i = 0; i < 2; i++) await env.api.send('CreateDynamicThingGroup', { thingGroupName: `other-dyn-${i}`, queryString: 'thingName:x*' });
  for (let i = 0; i < 3; i++) await env.api.send('CreatePolicy', { policyName: `other-${i}`, policyDocument: DOC });
  await env.api.send('CreateThingType', { thingTypeName: 'other-type' });
  await env.api.send('CreateThingGroup', { thingGroupName: 'ours', tags: [{ Key: MANAGED_BY_TAG, Value: FLEET }] });
  env.emulator.resetStats();
});
afterEach(async () => env.stop());

const read = () => readLive({ api: env.api, desired: EMPTY, fleetId: FLEET, kinds: kindRegistry, only: ['ThingType', 'ThingGroup', 'DynamicThingGroup', 'Policy'] });

describe('scope of the taggable readers', () => {
  it('without a ledger: one tag read per listed resource, groups included, and our group found', async () => {
    const live = await read();
    expect(live.get('ThingGroup')?.map((g) => [g.name, g.ownership])).toEqual([['ours', 'managed']]);
    expect(env.emulator.stats().ListTagsForResource).toBe(7 + 3 + 1);
  });

  it('with a ledger: no tag read and no describe of the resources of other teams, and our group still found', async () => {
    const ours = await env.api.send('DescribeThingGroup', { thingGroupName: 'ours' });
    await updateOwnershipLedger(env.api, FLEET, () => new Map([[nameKey('ThingGroup', 'ours'), identityKey(ours.thingGroupId!)]]));
    env.emulator.resetStats();
    const live = await read();
    expect(live.get('ThingGroup')?.map((g) => [g.name, g.ownership])).toEqual([['ours', 'managed']]);
    const stats = env.emulator.stats();
    expect(stats.ListTagsForResource ?? 0).toBe(0);
    expect(stats.GetPolicy ?? 0).toBe(0);
    expect(stats.DescribeThingGroup).toBe(2); // the ledger, and our group
  });

  it('with a full ledger: what it does not claim is tag-read again, so a managed group beyond capacity is still found', async () => {
    // Capacity entries of other (long gone) resources: 'ours' did not fit.
    const filler = new Map(Array.from({ length: LEDGER_CAPACITY }, (_, i) => [nameKey('Policy', `gone-${i}`), identityKey(String(i))] as const));
    await updateOwnershipLedger(env.api, FLEET, () => filler);
    env.emulator.resetStats();
    const live = await read();
    expect(live.get('ThingGroup')?.map((g) => [g.name, g.ownership])).toEqual([['ours', 'managed']]);
    expect(env.emulator.stats().ListTagsForResource).toBe(7 + 3 + 1);
  });
});
