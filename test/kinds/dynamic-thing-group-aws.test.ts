// DynamicThingGroup apply through the real SDK against the emulator (membership is evaluated by
// the emulator from the fleet-indexing query).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredResource, DesiredState } from '../../src/model/resource.js';
import type { DynamicThingGroupSpec } from '../../src/kinds/dynamic-thing-group/spec.js';
import type { ChangeAction, PlannedChange } from '../../src/model/plan.js';
import { type CompareContext, type ReadContext } from '../../src/kinds/types.js';
import { MANAGED_BY_TAG, type LiveResource } from '../../src/model/live.js';
import { dynamicThingGroupKind } from '../../src/kinds/dynamic-thing-group.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { plannedChange } from '../support/changes.js';
import { readOwnershipLedger } from '../../src/kinds/shared/ownership-ledger.js';

const FLEET = 'test';

function fleet(resources: DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: true, adopt: true, fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function dynamic(name: string, spec: Partial<DynamicThingGroupSpec>, tags = {}): DesiredResource {
  return {
    kind: 'DynamicThingGroup',
    name,
    tags,
    spec: { query: 'attributes.battery < 20', attributes: {}, ...spec },
    source: { file: 'g.yaml', line: 1, column: 1 },
  };
}

const change = (action: ChangeAction, d: DesiredResource | undefined, l: LiveResource | undefined): PlannedChange =>
  plannedChange(action, d, l, { fleetId: FLEET });

describe('DynamicThingGroup against the emulator', () => {
  let emu: TestEmulator;
  const applyCtx = () => ({ api: emu.api, fleetId: FLEET, secretsDir: '/nonexistent', now: () => 0 });
  const compareCtx = (desired: DesiredState): CompareContext => ({ desired, live: new Map(), now: 0 });
  const read = (desired: DesiredState) => {
    const ctx: ReadContext = { api: emu.api, fleetId: FLEET, desired, live: async () => [], groupMembers: async () => new Set(), ownershipLedger: () => readOwnershipLedger(emu.api, FLEET) };
    return dynamicThingGroupKind.read(ctx);
  };
  const members = async (thingGroupName: string) => (await emu.api.send('ListThingsInThingGroup', { thingGroupName })).things;

  beforeEach(async () => {
    emu = await startTestEmulator();
    await emu.api.send('UpdateIndexingConfiguration', { thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } });
    await emu.api.send('CreateThing', { thingName: 'empty', attributePayload: { attributes: { battery: '5' } } });
    await emu.api.send('CreateThing', { thingName: 'full', attributePayload: { attributes: { battery: '95' } } });
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('creates a dynamic group from a multi-line query with tags, with no drift afterwards', async () => {
    const d = dynamic('low', { query: 'attributes.battery < 20\n', description: 'Low battery', attributes: { alert: 'yes' } }, { team: 'ops' });
    const desired = fleet([d]);

    await dynamicThingGroupKind.apply!(change('create', d, undefined), applyCtx());
    await dynamicThingGroupKind.apply!(change('create', d, undefined), applyCtx());
    const [live] = await read(desired);

    expect(live!.ownership).toBe('managed');
    expect(live!.tags).toEqual({ [MANAGED_BY_TAG]: FLEET, team: 'ops' });
    expect(dynamicThingGroupKind.compare(d as never, live!, compareCtx(desired))).toEqual({ fields: [] });
    expect(await members('low')).toEqual(['empty']);
  });

  it('updates the query in place and AWS re-evaluates the membership', async () => {
    const before = dynamic('low', {});
    await dynamicThingGroupKind.apply!(change('create', before, undefined), applyCtx());
    const after = dynamic('low', { query: 'attributes.battery > 50', description: 'now full ones' });
    const desired = fleet([after]);
    const [live0] = await read(desired);

    await dynamicThingGroupKind.apply!(change('update', after, live0), applyCtx());
    const [live1] = await read(desired);

    expect(dynamicThingGroupKind.compare(after as never, live0!, compareCtx(desired)).notes?.[0]).toMatch(/REBUILDING/);
    expect(dynamicThingGroupKind.compare(after as never, live1!, compareCtx(desired))).toEqual({ fields: [] });
    expect(await members('low')).toEqual(['full']);
  });

  it('replaces a live static group declared as dynamic', async () => {
    await emu.api.send('CreateThingGroup', { thingGroupName: 'flip', tags: [{ Key: MANAGED_BY_TAG, Value: FLEET }] });
    const d = dynamic('flip', {});
    const desired = fleet([d]);
    const [live0] = await read(desired);

    await dynamicThingGroupKind.apply!(change('replace', d, live0), applyCtx());
    const [live1] = await read(desired);

    expect(live0!.state.dynamic).toBe(false);
    expect(live1!.state.dynamic).toBe(true);
    expect(dynamicThingGroupKind.compare(d as never, live1!, compareCtx(desired)).fields).toEqual([]);
  });

  it('deletes a managed dynamic group, and a rerun succeeds', async () => {
    await dynamicThingGroupKind.apply!(change('create', dynamic('low', {}), undefined), applyCtx());
    const [live] = await read(fleet([]));

    await dynamicThingGroupKind.apply!(change('delete', undefined, live), applyCtx());
    await dynamicThingGroupKind.apply!(change('delete', undefined, live), applyCtx());

    expect(await read(fleet([]))).toEqual([]);
  });
});
