// ThingType read/apply through the real SDK against the emulator, with the emulator's clock
// injected so the 5-minute deprecation wait costs no real time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredResource, DesiredState, KindName } from '../../src/model/resource.js';
import type { ChangeAction, PlannedChange } from '../../src/model/plan.js';
import { type CompareContext, type ReadContext } from '../../src/kinds/types.js';
import { MANAGED_BY_TAG, type LiveResource } from '../../src/model/live.js';
import { thingTypeKind, type ThingTypeLive } from '../../src/kinds/thing-type.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { plannedChange } from '../support/changes.js';
import { readOwnershipLedger } from '../../src/kinds/shared/ownership-ledger.js';

const FLEET = 'test';
const T0 = Date.parse('2026-11-26T12:00:00.000Z');
const MIN = 60_000;
const OWNED = [{ Key: MANAGED_BY_TAG, Value: FLEET }];

function fleet(resources: DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: true, adopt: true, fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function type(name: string, spec: { description?: string; searchableAttributes?: string[]; deprecated?: boolean }, tags = {}): DesiredResource {
  return {
    kind: 'ThingType',
    name,
    tags,
    spec: { searchableAttributes: [], deprecated: false, ...spec },
    source: { file: 'types.yaml', line: 1, column: 1 },
  };
}

const change = (action: ChangeAction, d: DesiredResource | undefined, l: LiveResource | undefined): PlannedChange =>
  plannedChange(action, d, l, { fleetId: FLEET });

describe('ThingType against the emulator', () => {
  let emu: TestEmulator;
  let now = T0;
  const applyCtx = () => ({ api: emu.api, fleetId: FLEET, secretsDir: '/nonexistent', now: () => now });
  const compareCtx = (desired: DesiredState): CompareContext => ({ desired, live: new Map<KindName, readonly LiveResource[]>(), now });

  async function read(desired: DesiredState): Promise<readonly LiveResource<'ThingType', ThingTypeLive>[]> {
    const ctx: ReadContext = {
      api: emu.api,
      fleetId: FLEET,
      desired,
      live: async () => [],
      groupMembers: async () => new Set(),
      ownershipLedger: () => readOwnershipLedger(emu.api, FLEET),
    };
    return thingTypeKind.read(ctx);
  }

  beforeEach(async () => {
    now = T0;
    emu = await startTestEmulator({ clock: () => now });
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('reads declared and managed types with properties, tags and usage; skips foreign ones', async () => {
    await emu.api.send('CreateThingType', {
      thingTypeName: 'sensor',
      thingTypeProperties: { thingTypeDescription: 'Sensors', searchableAttributes: ['site', 'floor'] },
      tags: [...OWNED, { Key: 'team', Value: 'climate' }],
    });
    await emu.api.send('CreateThingType', { thingTypeName: 'retired', tags: OWNED });
    await emu.api.send('CreateThingType', { thingTypeName: 'foreign', tags: [{ Key: MANAGED_BY_TAG, Value: 'other-fleet' }] });
    await emu.api.send('CreateThing', { thingName: 'still-retired', thingTypeName: 'retired' });
    await emu.api.send('DeprecateThingType', { thingTypeName: 'retired' });
    const desired = fleet([type('sensor', { description: 'Sensors', searchableAttributes: ['floor', 'site'] })]);

    const live = await read(desired);

    expect(live.map((l) => [l.name, l.ownership])).toEqual([
      ['retired', 'managed'],
      ['sensor', 'managed'],
    ]);
    expect(live[0]!.state).toMatchObject({ deprecated: true, deprecationDate: T0, usedBy: ['still-retired'] });
    expect(live[1]!.state).toEqual({
      arn: expect.stringContaining(':thingtype/sensor'),
      description: 'Sensors',
      searchableAttributes: ['floor', 'site'],
      deprecated: false,
    });
    expect(live[1]!.tags).toEqual({ [MANAGED_BY_TAG]: FLEET, team: 'climate' });
    expect(thingTypeKind.compare(desired.resources[0] as never, live[1]!, compareCtx(desired))).toEqual({ fields: [] });
  });

  it('creates a deprecated type with its tags, idempotently, with no drift afterwards', async () => {
    const d = type('sensor', { description: 'Sensors', searchableAttributes: ['site'], deprecated: true }, { team: 'climate' });
    const desired = fleet([d]);

    await thingTypeKind.apply!(change('create', d, undefined), applyCtx());
    await thingTypeKind.apply!(change('create', d, undefined), applyCtx());
    const [live] = await read(desired);

    expect(live!.ownership).toBe('managed');
    expect(live!.tags).toEqual({ [MANAGED_BY_TAG]: FLEET, team: 'climate' });
    expect(thingTypeKind.compare(d as never, live!, compareCtx(desired)).fields).toEqual([]);
  });

  it('replaces a changed description over two runs: deprecate, wait 5 minutes, delete + create', async () => {
    const before = type('sensor', { description: 'old' });
    await thingTypeKind.apply!(change('create', before, undefined), applyCtx());
    const after = type('sensor', { description: 'new' });
    const desired = fleet([after]);

    const [live1] = await read(desired);
    const step1 = thingTypeKind.compare(after as never, live1!, compareCtx(desired));
    await thingTypeKind.apply!(change('replace', after, live1), applyCtx());

    now = T0 + 2 * MIN;
    const [live2] = await read(desired);
    const waiting = thingTypeKind.compare(after as never, live2!, compareCtx(desired));

    now = T0 + 5 * MIN;
    const [live3] = await read(desired);
    const step2 = thingTypeKind.compare(after as never, live3!, compareCtx(desired));
    await thingTypeKind.apply!(change('replace', after, live3), applyCtx());
    const [live4] = await read(desired);

    expect(step1.replaceReason).toBeDefined();
    expect(step1.blocked).toBeUndefined();
    expect(live2!.state.deprecated).toBe(true);
    expect(waiting.blocked).toEqual({ code: 'deprecation-pending', message: expect.stringContaining('3m 0s left') });
    expect(step2.blocked).toBeUndefined();
    expect(live4!.state).toMatchObject({ description: 'new', deprecated: false });
    expect(live4!.tags).toEqual({ [MANAGED_BY_TAG]: FLEET });
    expect(thingTypeKind.compare(after as never, live4!, compareCtx(desired))).toEqual({ fields: [] });
  });

  it('blocks a replace with type-in-use, counting things outside the fleet too', async () => {
    await emu.api.send('CreateThingType', { thingTypeName: 'sensor', thingTypeProperties: { thingTypeDescription: 'old' }, tags: OWNED });
    await emu.api.send('CreateThing', { thingName: 'someone-elses', thingTypeName: 'sensor' });
    const d = type('sensor', { description: 'new' });
    const desired = fleet([d]);

    const [live] = await read(desired);

    expect(thingTypeKind.compare(d as never, live!, compareCtx(desired)).blocked).toEqual({
      code: 'type-in-use',
      message: expect.stringContaining('(someone-elses)'),
    });
  });

  it('deletes over two runs and toggles deprecation in place', async () => {
    const d = type('sensor', {});
    await thingTypeKind.apply!(change('create', d, undefined), applyCtx());
    const deprecated = type('sensor', { deprecated: true });
    const [live0] = await read(fleet([deprecated]));
    await thingTypeKind.apply!(change('update', deprecated, live0), applyCtx());
    const [live1] = await read(fleet([d]));
    await thingTypeKind.apply!(change('update', d, live1), applyCtx());
    const [live2] = await read(fleet([]));

    await thingTypeKind.apply!(change('delete', undefined, live2), applyCtx());
    now += 1 * MIN;
    const [live3] = await read(fleet([]));
    const pending = thingTypeKind.checkDelete!(live3!, compareCtx(fleet([])));
    now += 4 * MIN;
    const [live4] = await read(fleet([]));
    const ready = thingTypeKind.checkDelete!(live4!, compareCtx(fleet([])));
    await thingTypeKind.apply!(change('delete', undefined, live4), applyCtx());
    await thingTypeKind.apply!(change('delete', undefined, live4), applyCtx());

    expect(live1!.state.deprecated).toBe(true);
    expect(live2!.state.deprecated).toBe(false);
    expect(pending.blocked?.code).toBe('deprecation-pending');
    expect(ready).toEqual({});
    expect(await read(fleet([]))).toEqual([]);
  });

  it('adopts an unmanaged type by tagging it, keeping its other tags in line with the manifest', async () => {
    await emu.api.send('CreateThingType', { thingTypeName: 'legacy', tags: [{ Key: 'stale', Value: 'x' }] });
    const d = type('legacy', {}, { team: 'climate' });
    const [live0] = await read(fleet([d]));

    await thingTypeKind.apply!(change('adopt', d, live0), applyCtx());
    const [live1] = await read(fleet([d]));

    expect(live0!.ownership).toBe('unmanaged');
    expect(live1!.ownership).toBe('managed');
    expect(live1!.tags).toEqual({ [MANAGED_BY_TAG]: FLEET, team: 'climate' });
  });
});
