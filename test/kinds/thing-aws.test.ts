// Thing read/apply through the real SDK against the embedded emulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredResource, DesiredState } from '../../src/model/resource.js';
import type { ChangeAction, PlannedChange } from '../../src/model/plan.js';
import type { IotApi } from '../../src/aws/iot-api.js';
import { type ReadContext } from '../../src/kinds/types.js';
import { inventoryGroupName, MANAGED_BY_TAG, type LiveResource } from '../../src/model/live.js';
import { thingKind, type ThingLive } from '../../src/kinds/thing.js';
import { thingGroupKind } from '../../src/kinds/thing-group.js';
import { policyKind } from '../../src/kinds/policy.js';
import type { KindRegistry } from '../../src/kinds/registry.js';
import { createReadContext } from '../../src/live/read.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { inBatches } from '../support/seed.js';
import { plannedChange } from '../support/changes.js';

const FLEET = 'test';
const INVENTORY = inventoryGroupName(FLEET);

function fleet(resources: DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: true, adopt: true, fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function thing(name: string, spec: { type?: string; attributes?: Record<string, string>; groups?: string[] }): DesiredResource {
  return {
    kind: 'Thing',
    name,
    tags: {},
    spec: { attributes: {}, groups: [], ...spec },
    source: { file: 'things.yaml', line: 1, column: 1 },
  };
}

function group(name: string): DesiredResource {
  return { kind: 'ThingGroup', name, tags: {}, spec: { attributes: {}, policies: [] }, source: { file: 'g.yaml', line: 1, column: 1 } };
}

/** The ReadContext the planner builds: memoized reads of other kinds and group members. */
function readContext(api: IotApi, desired: DesiredState): ReadContext {
  const kinds: KindRegistry = { Thing: thingKind, ThingGroup: thingGroupKind, Policy: policyKind };
  return createReadContext({ api, fleetId: FLEET, desired, kinds });
}

async function readThings(api: IotApi, desired: DesiredState): Promise<readonly LiveResource<'Thing', ThingLive>[]> {
  return thingKind.read(readContext(api, desired));
}

const change = (action: ChangeAction, d: DesiredResource | undefined, l: LiveResource | undefined): PlannedChange => plannedChange(action, d, l);

const compareCtx = (desired: DesiredState) => ({ desired, live: new Map(), now: 0 });

describe('Thing against the emulator', () => {
  let emu: TestEmulator;
  const applyCtx = () => ({ api: emu.api, fleetId: FLEET, secretsDir: '/nonexistent', now: () => 0 });

  beforeEach(async () => {
    emu = await startTestEmulator();
    await emu.api.send('CreateThingType', { thingTypeName: 'sensor', thingTypeProperties: { searchableAttributes: ['site'] } });
    await emu.api.send('CreateThingType', { thingTypeName: 'gateway' });
    for (const name of ['berlin', 'munich', 'foreign']) await emu.api.send('CreateThingGroup', { thingGroupName: name });
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('reads declared things and inventory members only, with static memberships in scope', async () => {
    await emu.api.send('CreateThingGroup', { thingGroupName: INVENTORY, tags: [{ Key: MANAGED_BY_TAG, Value: FLEET }] });
    await emu.api.send('CreateThing', { thingName: 'declared', thingTypeName: 'sensor', attributePayload: { attributes: { site: 'berlin', battery: '80' } } });
    await emu.api.send('CreateThing', { thingName: 'managed' });
    await emu.api.send('CreateThing', { thingName: 'stranger' });
    await emu.api.send('AddThingToThingGroup', { thingGroupName: INVENTORY, thingName: 'managed' });
    await emu.api.send('AddThingToThingGroup', { thingGroupName: 'berlin', thingName: 'declared' });
    await emu.api.send('AddThingToThingGroup', { thingGroupName: 'foreign', thingName: 'declared' });
    const desired = fleet([group('berlin'), thing('declared', { type: 'sensor' }), thing('not-yet', {})]);
    emu.emulator.resetStats();

    const live = await readThings(emu.api, desired);

    expect(live.map((l) => [l.name, l.ownership])).toEqual([
      ['declared', 'unmanaged'],
      ['managed', 'managed'],
    ]);
    expect(live[0]!.state).toMatchObject({ type: 'sensor', attributes: { battery: '80', site: 'berlin' }, groups: ['berlin'], version: 1 });
    expect(live[0]!.tags).toEqual({});
    // List-based: one ListThings page, members of the inventory and of the one static group in scope; no per-thing calls.
    expect(emu.emulator.stats()).toMatchObject({ ListThings: 1, ListThingsInThingGroup: 2 });
    expect(emu.emulator.stats()).not.toHaveProperty('DescribeThing');
    expect(emu.emulator.stats()).not.toHaveProperty('ListThingGroupsForThing');
  });

  it('reads nothing from a fresh account (no inventory group yet) and pages past 250 things', async () => {
    const names = Array.from({ length: 260 }, (_, i) => `t-${String(i).padStart(3, '0')}`);
    await inBatches(names, 16, (thingName) => emu.api.send('CreateThing', { thingName }));
    const desired = fleet([thing('t-000', {}), thing('t-259', {})]);

    const live = await readThings(emu.api, desired);

    expect(live.map((l) => l.name)).toEqual(['t-000', 't-259']);
  });

  it('creates a thing into the inventory and its groups, idempotently, with no drift afterwards', async () => {
    const d = thing('sensor-1', { type: 'sensor', attributes: { site: 'berlin', battery: '80' }, groups: ['berlin', 'munich'] });
    const desired = fleet([group('berlin'), group('munich'), d]);

    await thingKind.apply!(change('create', d, undefined), applyCtx());
    await thingKind.apply!(change('create', d, undefined), applyCtx());
    const [live] = await readThings(emu.api, desired);

    expect(live!.ownership).toBe('managed');
    expect(thingKind.compare(d as never, live!, compareCtx(desired)).fields).toEqual([]);
    const inv = await emu.api.send('DescribeThingGroup', { thingGroupName: INVENTORY });
    expect((await emu.api.send('ListTagsForResource', { resourceArn: inv.thingGroupArn! })).tags).toEqual([
      { Key: MANAGED_BY_TAG, Value: FLEET },
    ]);
  });

  it('updates type, attributes (replace semantics) and groups, converging to no drift', async () => {
    const before = thing('sensor-1', { type: 'sensor', attributes: { site: 'berlin', battery: '80', old: 'x' }, groups: ['berlin'] });
    const desired0 = fleet([group('berlin'), group('munich'), before]);
    await thingKind.apply!(change('create', before, undefined), applyCtx());
    const [live0] = await readThings(emu.api, desired0);
    const after = thing('sensor-1', { type: 'gateway', attributes: { site: 'munich', battery: '80' }, groups: ['munich'] });
    const desired1 = fleet([group('berlin'), group('munich'), after]);

    const fields = thingKind.compare(after as never, live0!, compareCtx(desired1)).fields;
    await thingKind.apply!({ ...change('update', after, live0), fields }, applyCtx());
    const [live1] = await readThings(emu.api, desired1);

    expect(fields.map((f) => f.path)).toEqual(['type', 'attributes.old', 'attributes.site', 'groups']);
    expect(live1!.state).toMatchObject({ type: 'gateway', attributes: { battery: '80', site: 'munich' }, groups: ['munich'], version: 2 });
    expect(thingKind.compare(after as never, live1!, compareCtx(desired1)).fields).toEqual([]);
  });

  it('removes the thing type with removeThingType', async () => {
    const typed = thing('sensor-1', { type: 'sensor', attributes: { a: '1' } });
    await thingKind.apply!(change('create', typed, undefined), applyCtx());
    const [live0] = await readThings(emu.api, fleet([typed]));
    const untyped = thing('sensor-1', { attributes: { a: '1' } });

    await thingKind.apply!(change('update', untyped, live0), applyCtx());
    const [live1] = await readThings(emu.api, fleet([untyped]));

    expect(live1!.state.type).toBeUndefined();
    expect(thingKind.compare(untyped as never, live1!, compareCtx(fleet([untyped]))).fields).toEqual([]);
  });

  it('refuses an update when the thing changed since the plan (expectedVersion)', async () => {
    const d = thing('sensor-1', { attributes: { a: '1' } });
    await thingKind.apply!(change('create', d, undefined), applyCtx());
    const [live0] = await readThings(emu.api, fleet([d]));
    await emu.api.send('UpdateThing', { thingName: 'sensor-1', attributePayload: { attributes: { a: '2' } } });

    await expect(thingKind.apply!(change('update', thing('sensor-1', { attributes: { a: '3' } }), live0), applyCtx())).rejects.toMatchObject({
      awsErrorName: 'VersionConflictException',
    });
  });

  it('adopts an unmanaged declared thing: inventory membership, then brought in line', async () => {
    await emu.api.send('CreateThing', { thingName: 'legacy', attributePayload: { attributes: { x: '1' } } });
    const d = thing('legacy', { attributes: { x: '2' }, groups: ['berlin'] });
    const desired = fleet([group('berlin'), d]);
    const [live0] = await readThings(emu.api, desired);

    await thingKind.apply!(change('adopt', d, live0), applyCtx());
    const [live1] = await readThings(emu.api, desired);

    expect(live0!.ownership).toBe('unmanaged');
    expect(live1!.ownership).toBe('managed');
    expect(thingKind.compare(d as never, live1!, compareCtx(desired)).fields).toEqual([]);
  });

  it('deletes a managed thing, and a rerun of the delete succeeds', async () => {
    const d = thing('sensor-1', { groups: ['berlin'] });
    await thingKind.apply!(change('create', d, undefined), applyCtx());
    const [live0] = await readThings(emu.api, fleet([group('berlin')]));

    await thingKind.apply!(change('delete', undefined, live0), applyCtx());
    await thingKind.apply!(change('delete', undefined, live0), applyCtx());

    expect(await readThings(emu.api, fleet([group('berlin')]))).toEqual([]);
    expect((await emu.api.send('ListThingsInThingGroup', { thingGroupName: 'berlin' })).things).toEqual([]);
  });
});
