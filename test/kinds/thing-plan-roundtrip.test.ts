// The five registry kinds (and Policy, whose targets give thing groups their policies) through the real planner and executor against the emulator: a fleet is
// planned, applied, and planned again — the second plan must be empty (no false drift anywhere,
// including the planner's generic tag comparison), also after an edit of the fleet.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredResource, DesiredState, KindName } from '../../src/model/resource.js';
import type { Kind } from '../../src/kinds/types.js';
import type { KindRegistry } from '../../src/kinds/registry.js';
import { hasChanges } from '../../src/model/plan.js';
import { buildPlan } from '../../src/plan/diff.js';
import { readLive } from '../../src/live/read.js';
import { executePlan } from '../../src/apply/executor.js';
import { fleetIndexingKind } from '../../src/kinds/fleet-indexing.js';
import { thingTypeKind } from '../../src/kinds/thing-type.js';
import { thingGroupKind } from '../../src/kinds/thing-group.js';
import { dynamicThingGroupKind } from '../../src/kinds/dynamic-thing-group.js';
import { thingKind } from '../../src/kinds/thing.js';
import { policyKind } from '../../src/kinds/policy.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { ALLOW_ALL_POLICY } from '../support/seed.js';

const FLEET = 'roundtrip';
const kinds: KindRegistry = {
  FleetIndexing: fleetIndexingKind,
  ThingType: thingTypeKind,
  ThingGroup: thingGroupKind,
  DynamicThingGroup: dynamicThingGroupKind,
  Thing: thingKind,
  Policy: policyKind,
};
const src = { file: 'fleet.yaml', line: 1, column: 1 };

function fleet(resources: DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: true, adopt: false, fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function v1(): DesiredResource[] {
  return [
    { kind: 'FleetIndexing', name: 'default', tags: {}, spec: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'OFF' }, source: src },
    { kind: 'ThingType', name: 'sensor', tags: { team: 'climate' }, spec: { description: 'Sensors', searchableAttributes: ['site'], deprecated: false }, source: src },
    { kind: 'ThingGroup', name: 'germany', tags: {}, spec: { attributes: {}, policies: [] }, source: src },
    { kind: 'ThingGroup', name: 'berlin', tags: {}, spec: { parent: 'germany', description: 'Berlin', attributes: { city: 'berlin' }, policies: ['p1'] }, source: src },
    { kind: 'DynamicThingGroup', name: 'low', tags: {}, spec: { query: 'attributes.battery < 20', attributes: {} }, source: src },
    ...[1, 2, 3].map(
      (i): DesiredResource => ({
        kind: 'Thing',
        name: `sensor-${i}`,
        tags: {},
        spec: { type: 'sensor', attributes: { site: 'berlin', battery: String(i * 10) }, groups: ['berlin'] },
        source: src,
      }),
    ),
  ];
}

describe('plan → apply → plan round trip for things, types, groups and indexing', () => {
  let emu: TestEmulator;
  let now = Date.parse('2026-11-26T12:00:00.000Z');

  async function plan(desired: DesiredState) {
    const live = await readLive({ api: emu.api, desired, fleetId: FLEET, kinds });
    return buildPlan({ desired, live, config: { prune: true, adopt: false, fleetId: FLEET }, now, kinds });
  }

  /** Runs the plan with apply's executor: forward changes by dependency, then deletes in reverse. */
  async function apply(desired: DesiredState) {
    const p = await plan(desired);
    const ctx = { api: emu.api, fleetId: FLEET, secretsDir: '/nonexistent', now: () => now };
    const result = await executePlan({ plan: p, kinds, ctx });
    if (!result.ok) throw new Error(`apply failed: ${JSON.stringify(result.steps.filter((s) => s.outcome !== 'applied' && s.outcome !== 'blocked'))}`);
    return { plan: p };
  }

  beforeEach(async () => {
    emu = await startTestEmulator({ clock: () => now });
    await emu.api.send('CreatePolicy', { policyName: 'p1', policyDocument: ALLOW_ALL_POLICY });
  });
  afterEach(async () => {
    await emu.stop();
  });

  it('converges in one apply and then shows no drift, before and after an edit', async () => {
    const first = await apply(fleet(v1()));

    expect(first.plan.summary).toMatchObject({ create: 7, update: 1, blocked: 0 });
    expect(hasChanges(await plan(fleet(v1())))).toBe(false);

    const edited = v1()
      .filter((r) => r.name !== 'sensor-3')
      .map((r): DesiredResource => {
        if (r.kind === 'Thing' && r.name === 'sensor-2') return { ...r, spec: { ...r.spec, attributes: { site: 'potsdam' }, groups: ['germany'] } };
        if (r.kind === 'DynamicThingGroup') return { ...r, spec: { ...r.spec, query: 'attributes.battery < 15' } };
        if (r.kind === 'ThingGroup' && r.name === 'berlin') return { ...r, tags: { owner: 'ops' }, spec: { ...r.spec, description: 'Berlin sensors' } };
        return r;
      });
    const second = await apply(fleet(edited));

    expect(second.plan.changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).toEqual([
      'update ThingGroup/berlin',
      'update DynamicThingGroup/low',
      'update Thing/sensor-2',
      'delete Thing/sensor-3',
    ]);
    expect(hasChanges(await plan(fleet(edited)))).toBe(false);
    expect((await emu.api.send('ListThingsInThingGroup', { thingGroupName: 'low' })).things).toEqual(['sensor-1']);
  });

  it('prunes a thing type over two runs around the 5-minute deprecation wait', async () => {
    await apply(fleet(v1()));
    const withoutType = v1().filter((r) => r.kind !== 'Thing' && r.kind !== 'ThingType');

    const first = await apply(fleet(withoutType));
    now += 2 * 60_000;
    const waiting = await plan(fleet(withoutType));
    now += 3 * 60_000;
    const second = await apply(fleet(withoutType));

    expect(first.plan.changes.filter((c) => c.kind === 'ThingType')).toEqual([
      // The things using it are pruned in the same plan, so no "still used" warning.
      expect.objectContaining({ action: 'delete', notes: [expect.stringMatching(/step 1 of 2/)] }),
    ]);
    expect(first.plan.changes.filter((c) => c.kind === 'Thing').map((c) => c.action)).toEqual(['delete', 'delete', 'delete']);
    expect(waiting.changes).toEqual([
      expect.objectContaining({ kind: 'ThingType', action: 'delete', blocked: expect.objectContaining({ code: 'deprecation-pending' }) }),
    ]);
    expect(second.plan.changes.map((c) => [c.kind, c.action, c.blocked])).toEqual([['ThingType', 'delete', undefined]]);
    expect(hasChanges(await plan(fleet(withoutType)))).toBe(false);
    expect((await emu.api.send('ListThingTypes', {})).thingTypes).toEqual([]);
  });
});
