// ThingGroup and DynamicThingGroup reads share one scan; apply of static groups. Through the real
// SDK against the emulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredResource, DesiredState, KindName } from '../../src/model/resource.js';
import type { ThingGroupSpec } from '../../src/kinds/thing-group/spec.js';
import type { ChangeAction, PlannedChange } from '../../src/model/plan.js';
import { type CompareContext, type ReadContext } from '../../src/kinds/types.js';
import { inventoryGroupName, MANAGED_BY_TAG, type LiveResource } from '../../src/model/live.js';
import { thingGroupKind, type ThingGroupLive } from '../../src/kinds/thing-group.js';
import { dynamicThingGroupKind } from '../../src/kinds/dynamic-thing-group.js';
import { createReadContext } from '../../src/live/read.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { ALLOW_ALL_POLICY } from '../support/seed.js';
import { plannedChange } from '../support/changes.js';

const FLEET = 'test';
const OWNED = [{ Key: MANAGED_BY_TAG, Value: FLEET }];

function fleet(resources: DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: true, adopt: true, fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function group(name: string, spec: Partial<ThingGroupSpec> = {}, tags = {}): DesiredResource {
  return { kind: 'ThingGroup', name, tags, spec: { attributes: {}, policies: [], ...spec }, source: { file: 'g.yaml', line: 1, column: 1 } };
}

function dynamic(name: string, query: string): DesiredResource {
  return { kind: 'DynamicThingGroup', name, tags: {}, spec: { query, attributes: {} }, source: { file: 'g.yaml', line: 1, column: 1 } };
}

const change = (action: ChangeAction, d: DesiredResource | undefined, l: LiveResource | undefined): PlannedChange =>
  plannedChange(action, d, l, { fleetId: FLEET });

describe('thing groups against the emulator', () => {
  let emu: TestEmulator;
  const applyCtx = () => ({ api: emu.api, fleetId: FLEET, secretsDir: '/nonexistent', now: () => 0 });
  // The real context: the static reader takes `policies` from the Policy reader's targets.
  const readCtx = (desired: DesiredState): ReadContext => createReadContext({ api: emu.api, fleetId: FLEET, desired, kinds: kindRegistry });
  const compareCtx = (desired: DesiredState, groups: readonly LiveResource[] = []): CompareContext => ({
    desired,
    live: new Map<KindName, readonly LiveResource[]>([['ThingGroup', groups]]),
    now: 0,
  });
  const readStatic = (desired: DesiredState) => thingGroupKind.read(readCtx(desired));
  const byName = (list: readonly LiveResource<'ThingGroup', ThingGroupLive>[], name: string) => list.find((l) => l.name === name)!;

  beforeEach(async () => {
    emu = await startTestEmulator();
    await emu.api.send('UpdateIndexingConfiguration', { thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } });
    for (const policyName of ['p1', 'p2']) await emu.api.send('CreatePolicy', { policyName, policyDocument: ALLOW_ALL_POLICY });
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('splits one account between the static and dynamic readers by declared kind, then live type', async () => {
    await emu.api.send('CreateThingGroup', { thingGroupName: 'germany', tags: OWNED });
    const berlin = await emu.api.send('CreateThingGroup', {
      thingGroupName: 'berlin',
      parentGroupName: 'germany',
      thingGroupProperties: { thingGroupDescription: 'Berlin', attributePayload: { attributes: { city: 'berlin' } } },
      tags: [...OWNED, { Key: 'team', Value: 'ops' }],
    });
    await emu.api.send('AttachPolicy', { policyName: 'p1', target: berlin.thingGroupArn! });
    await emu.api.send('CreateThingGroup', { thingGroupName: 'old-static', tags: OWNED });
    await emu.api.send('CreateThingGroup', { thingGroupName: 'foreign' });
    await emu.api.send('CreateThingGroup', { thingGroupName: inventoryGroupName(FLEET), tags: OWNED });
    await emu.api.send('CreateThingGroup', { thingGroupName: 'now-dynamic', tags: OWNED });
    await emu.api.send('CreateDynamicThingGroup', { thingGroupName: 'low', queryString: 'attributes.battery < 20', tags: OWNED });
    await emu.api.send('CreateDynamicThingGroup', { thingGroupName: 'old-dynamic', queryString: 'thingName:x*', tags: OWNED });
    await emu.api.send('CreateDynamicThingGroup', { thingGroupName: 'now-static', queryString: 'thingName:y*', tags: OWNED });
    const desired = fleet([
      group('germany'),
      group('berlin', { parent: 'germany', description: 'Berlin', attributes: { city: 'berlin' }, policies: ['p1'] }, { team: 'ops' }),
      group('now-static'),
      dynamic('low', 'attributes.battery < 20'),
      dynamic('now-dynamic', 'thingName:z*'),
    ]);

    const statics = await readStatic(desired);
    const dynamics = await dynamicThingGroupKind.read(readCtx(desired));

    expect(statics.map((l) => [l.name, l.ownership, l.state.dynamic])).toEqual([
      ['berlin', 'managed', false],
      ['germany', 'managed', false],
      ['now-static', 'managed', true],
      ['old-static', 'managed', false],
    ]);
    expect(byName(statics, 'berlin').state).toMatchObject({ parent: 'germany', description: 'Berlin', attributes: { city: 'berlin' }, policies: ['p1'] });
    expect(byName(statics, 'berlin').tags).toEqual({ [MANAGED_BY_TAG]: FLEET, team: 'ops' });
    expect(thingGroupKind.compare(desired.resources[1] as never, byName(statics, 'berlin'), compareCtx(desired, statics))).toEqual({ fields: [] });
    expect(dynamics.map((l) => [l.name, l.state.dynamic, l.state.query])).toEqual([
      ['low', true, 'attributes.battery < 20'],
      ['now-dynamic', false, undefined],
      ['old-dynamic', true, 'thingName:x*'],
    ]);
  });

  it('creates a child group with policies and tags, idempotently, with no drift afterwards', async () => {
    const parent = group('germany');
    const child = group('berlin', { parent: 'germany', description: 'Berlin', attributes: { city: 'berlin' }, policies: ['p2', 'p1'] }, { team: 'ops' });
    const desired = fleet([parent, child]);

    await thingGroupKind.apply!(change('create', parent, undefined), applyCtx());
    await thingGroupKind.apply!(change('create', child, undefined), applyCtx());
    await thingGroupKind.apply!(change('create', child, undefined), applyCtx());
    const live = await readStatic(desired);

    expect(live.map((l) => l.name)).toEqual(['berlin', 'germany']);
    expect(byName(live, 'berlin').tags).toEqual({ [MANAGED_BY_TAG]: FLEET, team: 'ops' });
    expect(thingGroupKind.compare(child as never, byName(live, 'berlin'), compareCtx(desired, live)).fields).toEqual([]);
  });

  it('updates description, attributes (removing old keys) and policies in place', async () => {
    const before = group('berlin', { description: 'Berlin', attributes: { city: 'berlin', old: 'x' }, policies: ['p1'] });
    await thingGroupKind.apply!(change('create', before, undefined), applyCtx());
    const after = group('berlin', { attributes: { city: 'Berlin' }, policies: ['p2'] });
    const desired = fleet([after]);
    const [live0] = await readStatic(desired);

    await thingGroupKind.apply!(change('update', after, live0), applyCtx());
    const [live1] = await readStatic(desired);

    expect(live1!.state).toMatchObject({ attributes: { city: 'Berlin' }, policies: ['p2'], version: 2 });
    expect(live1!.state.description).toBeUndefined();
    expect(thingGroupKind.compare(after as never, live1!, compareCtx(desired))).toEqual({ fields: [] });
  });

  it('replaces a group that moves to another parent, keeping its member things and policies', async () => {
    for (const g of [group('germany'), group('europe'), group('berlin', { parent: 'germany', policies: ['p1'] })]) {
      await thingGroupKind.apply!(change('create', g, undefined), applyCtx());
    }
    for (const thingName of ['a', 'b']) {
      await emu.api.send('CreateThing', { thingName });
      await emu.api.send('AddThingToThingGroup', { thingGroupName: 'berlin', thingName });
    }
    const moved = group('berlin', { parent: 'europe', policies: ['p1'] });
    const desired = fleet([group('germany'), group('europe'), moved]);
    const live0 = await readStatic(desired);
    const cmp = thingGroupKind.compare(moved as never, byName(live0, 'berlin'), compareCtx(desired, live0));

    await thingGroupKind.apply!(change('replace', moved, byName(live0, 'berlin')), applyCtx());
    const live1 = await readStatic(desired);

    expect(cmp.replaceReason).toMatch(/parent at creation/);
    expect(cmp.blocked).toBeUndefined();
    expect(thingGroupKind.compare(moved as never, byName(live1, 'berlin'), compareCtx(desired, live1)).fields).toEqual([]);
    expect((await emu.api.send('ListThingsInThingGroup', { thingGroupName: 'berlin' })).things).toEqual(['a', 'b']);
  });

  it('blocks a parent change while a child group exists, even one outside the fleet', async () => {
    await thingGroupKind.apply!(change('create', group('germany'), undefined), applyCtx());
    await thingGroupKind.apply!(change('create', group('berlin', { parent: 'germany' }), undefined), applyCtx());
    await emu.api.send('CreateThingGroup', { thingGroupName: 'mitte', parentGroupName: 'berlin' });
    const moved = group('berlin');
    const desired = fleet([group('germany'), moved]);
    const live = await readStatic(desired);

    const cmp = thingGroupKind.compare(moved as never, byName(live, 'berlin'), compareCtx(desired, live));

    expect(byName(live, 'berlin').state.children).toEqual(['mitte']);
    expect(cmp.blocked).toEqual({ code: 'immutable-field', message: expect.stringContaining('(mitte)') });
  });

  it('replaces a live dynamic group declared as static', async () => {
    await emu.api.send('CreateDynamicThingGroup', { thingGroupName: 'flip', queryString: 'thingName:x*', tags: OWNED });
    const d = group('flip', { attributes: { a: '1' } });
    const desired = fleet([d]);
    const [live0] = await readStatic(desired);

    await thingGroupKind.apply!(change('replace', d, live0), applyCtx());
    const [live1] = await readStatic(desired);

    expect(live1!.state.dynamic).toBe(false);
    expect(thingGroupKind.compare(d as never, live1!, compareCtx(desired)).fields).toEqual([]);
  });

  it('deletes a managed group with a policy attached, and a rerun succeeds', async () => {
    await thingGroupKind.apply!(change('create', group('old', { policies: ['p1'] }), undefined), applyCtx());
    const [live] = await readStatic(fleet([]));

    await thingGroupKind.apply!(change('delete', undefined, live), applyCtx());
    await thingGroupKind.apply!(change('delete', undefined, live), applyCtx());

    expect(await readStatic(fleet([]))).toEqual([]);
    expect((await emu.api.send('ListTargetsForPolicy', { policyName: 'p1' })).targets).toEqual([]);
  });

  it('adopts an unmanaged group: ownership tag, manifest tags and properties', async () => {
    await emu.api.send('CreateThingGroup', { thingGroupName: 'legacy', thingGroupProperties: { thingGroupDescription: 'x' } });
    const d = group('legacy', { description: 'y', policies: ['p1'] }, { team: 'ops' });
    const [live0] = await readStatic(fleet([d]));

    await thingGroupKind.apply!(change('adopt', d, live0), applyCtx());
    const [live1] = await readStatic(fleet([d]));

    expect(live0!.ownership).toBe('unmanaged');
    expect(live1!.ownership).toBe('managed');
    expect(live1!.tags).toEqual({ [MANAGED_BY_TAG]: FLEET, team: 'ops' });
    expect(thingGroupKind.compare(d as never, live1!, compareCtx(fleet([d]))).fields).toEqual([]);
  });

  it('sees a fleet policy detached, or a managed policy attached, behind its back, and ignores policies outside the fleet', async () => {
    await emu.api.send('CreatePolicy', { policyName: 'managed-extra', policyDocument: ALLOW_ALL_POLICY, tags: OWNED });
    await emu.api.send('CreatePolicy', { policyName: 'foreign', policyDocument: ALLOW_ALL_POLICY });
    const d = group('site', { policies: ['p1', 'p2'] });
    const desired = fleet([d]);
    await thingGroupKind.apply!(change('create', d, undefined), applyCtx());
    const [inSync] = await readStatic(desired);
    const arn = inSync!.state.arn;
    await emu.api.send('DetachPolicy', { policyName: 'p2', target: arn });
    await emu.api.send('AttachPolicy', { policyName: 'managed-extra', target: arn });
    await emu.api.send('AttachPolicy', { policyName: 'foreign', target: arn });
    const attachedBefore = emu.emulator.statsDetail().calls.ListAttachedPolicies ?? 0;

    const [drifted] = await readStatic(desired);

    expect(thingGroupKind.compare(d as never, inSync!, compareCtx(desired)).fields).toEqual([]);
    expect(drifted!.state.policies).toEqual(['managed-extra', 'p1']);
    expect(thingGroupKind.compare(d as never, drifted!, compareCtx(desired)).fields).toEqual([
      { path: 'policies', before: ['managed-extra', 'p1'], after: ['p1', 'p2'] },
    ]);
    // Attachments come from the Policy reader's targets, never from one call per group.
    expect((emu.emulator.statsDetail().calls.ListAttachedPolicies ?? 0) - attachedBefore).toBe(0);
  });

  it('repairs the drift: attaches the detached fleet policy, detaches the managed one, leaves the foreign one', async () => {
    await emu.api.send('CreatePolicy', { policyName: 'managed-extra', policyDocument: ALLOW_ALL_POLICY, tags: OWNED });
    await emu.api.send('CreatePolicy', { policyName: 'foreign', policyDocument: ALLOW_ALL_POLICY });
    const d = group('site', { policies: ['p1', 'p2'] });
    const desired = fleet([d]);
    await thingGroupKind.apply!(change('create', d, undefined), applyCtx());
    const arn = (await readStatic(desired))[0]!.state.arn;
    await emu.api.send('DetachPolicy', { policyName: 'p2', target: arn });
    await emu.api.send('AttachPolicy', { policyName: 'managed-extra', target: arn });
    await emu.api.send('AttachPolicy', { policyName: 'foreign', target: arn });
    const [drifted] = await readStatic(desired);

    await thingGroupKind.apply!(change('update', d, drifted), applyCtx());
    const [repaired] = await readStatic(desired);
    const attached = (await emu.api.send('ListAttachedPolicies', { target: arn })).policies?.map((p) => p.policyName).sort();

    expect(thingGroupKind.compare(d as never, repaired!, compareCtx(desired)).fields).toEqual([]);
    expect(attached).toEqual(['foreign', 'p1', 'p2']);
  });
});
