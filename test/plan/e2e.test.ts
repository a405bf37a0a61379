// End to end: fleets on disk, live state seeded into the emulator by SDK calls, the `iotops plan`
// command through main() with --endpoint; the plan must be exactly the expected changes.
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';
import type { Plan } from '../../src/model/plan.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { SMALL_FLEET, tempFleet, type TempFleet } from '../support/fleet.js';

let env: TestEmulator | undefined;
let fleet: TempFleet | undefined;
afterEach(async () => {
  await env?.stop();
  fleet?.remove();
  env = fleet = undefined;
});

async function plan(args: string[]): Promise<{ code: number; plan?: Plan; out: string; err: string }> {
  const io = captureIo({ cwd: fleet!.cwd });
  const code = await main(['node', 'iotops', 'plan', '--endpoint', env!.endpoint, '--format', 'json', ...args], io);
  const out = io.out.join('');
  return { code, out, err: io.err.join(''), ...(code !== 1 ? { plan: JSON.parse(out) as Plan } : {}) };
}

/** The live state SMALL_FLEET describes, as fleet `e2e` would have left it. */
async function seedSmallFleet(api: TestEmulator['api']): Promise<void> {
  const managed = [{ Key: 'iotops:managed-by', Value: 'e2e' }];
  await api.send('CreateThingType', { thingTypeName: 'sensor', thingTypeProperties: { thingTypeDescription: 'A sensor', searchableAttributes: ['site'] }, tags: managed });
  await api.send('CreateThingGroup', { thingGroupName: 'lab', thingGroupProperties: { thingGroupDescription: 'The lab' }, tags: managed });
  await api.send('CreateThingGroup', { thingGroupName: 'iotops-inventory-e2e', tags: managed });
  for (const thingName of ['s1', 's2']) {
    await api.send('CreateThing', { thingName, thingTypeName: 'sensor', attributePayload: { attributes: { site: 'lab' } } });
    await api.send('AddThingToThingGroup', { thingGroupName: 'iotops-inventory-e2e', thingName });
  }
  await api.send('AddThingToThingGroup', { thingGroupName: 'lab', thingName: 's1' });
}

const actions = (p: Plan | undefined) => p?.changes.map((c) => `${c.action} ${c.kind}/${c.name}${c.blocked ? ` [${c.blocked.code}]` : ''}`);

describe('iotops plan against the emulator', () => {
  it('plans exactly the differences between a seeded account and the fleet', async () => {
    env = await startTestEmulator();
    await seedSmallFleet(env.api);
    // Out of band: s2 got an extra attribute, a managed thing the fleet dropped, an unmanaged stranger.
    await env.api.send('UpdateThing', { thingName: 's2', attributePayload: { attributes: { site: 'lab', owner: 'bob' } } });
    await env.api.send('CreateThing', { thingName: 'retired' });
    await env.api.send('AddThingToThingGroup', { thingGroupName: 'iotops-inventory-e2e', thingName: 'retired' });
    await env.api.send('CreateThing', { thingName: 'stranger' });
    fleet = tempFleet({
      ...SMALL_FLEET,
      'more.yaml': 'apiVersion: iotops/v1\nkind: ThingGroup\nmetadata: { name: office }\nspec: {}\n',
    });

    const r = await plan(['--prune']);

    expect(r.err).toBe('');
    expect(actions(r.plan)).toEqual(['create ThingGroup/office', 'delete Thing/retired', 'update Thing/s2']);
    expect(r.plan?.changes[2].fields).toEqual([{ path: 'attributes.owner', before: 'bob' }]);
    expect(r.plan?.summary).toEqual({ create: 1, update: 1, replace: 0, delete: 1, adopt: 0, blocked: 0 });
    expect(r.code).toBe(0);
  });

  it('exits 0 for a fleet that matches under --detailed-exitcode, 2 once it differs', async () => {
    env = await startTestEmulator();
    await seedSmallFleet(env.api);
    fleet = tempFleet(SMALL_FLEET);

    const same = await plan(['--detailed-exitcode']);
    expect(same.plan?.changes).toEqual([]);
    expect(same.code).toBe(0);

    await env.api.send('RemoveThingFromThingGroup', { thingGroupName: 'lab', thingName: 's1' });
    const drifted = await plan(['--detailed-exitcode']);
    expect(actions(drifted.plan)).toEqual(['update Thing/s1']);
    expect(drifted.code).toBe(2);
  });

  it('works against a read-only account: no mutating call is ever made', async () => {
    env = await startTestEmulator({ readOnly: true });
    fleet = tempFleet(SMALL_FLEET);

    const r = await plan(['--detailed-exitcode', '--prune', '--adopt']);

    expect(r.err).toBe('');
    expect(r.code).toBe(2);
    expect(actions(r.plan)).toEqual(['create ThingType/sensor', 'create ThingGroup/lab', 'create Thing/s1', 'create Thing/s2']);
    expect(env.emulator.statsDetail().denied).toEqual({});
    const ops = Object.keys(env.emulator.stats());
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.filter((op) => !/^(List|Describe|Get)/.test(op))).toEqual([]);
  });

  it('shows an unmanaged resource the fleet names as a blocked adopt, and adopts with --adopt', async () => {
    env = await startTestEmulator();
    await env.api.send('CreateThingGroup', { thingGroupName: 'lab', thingGroupProperties: { thingGroupDescription: 'The lab' } });
    fleet = tempFleet({ 'iotops.yaml': 'fleetId: e2e\n', 'groups.yaml': SMALL_FLEET['groups.yaml'] });

    expect(actions((await plan([])).plan)).toEqual(['adopt ThingGroup/lab [adopt-disabled]']);
    const adopted = await plan(['--adopt']);
    expect(actions(adopted.plan)).toEqual(['adopt ThingGroup/lab']);
    expect(adopted.plan?.changes[0].fields).toEqual([{ path: 'tags.iotops:managed-by', after: 'e2e' }]);
  });

  it('digests the live state: the same account gives the same digest, a change moves it', async () => {
    env = await startTestEmulator();
    await seedSmallFleet(env.api);
    fleet = tempFleet(SMALL_FLEET);

    const a = await plan([]);
    const b = await plan([]);
    await env.api.send('UpdateThing', { thingName: 's1', attributePayload: { attributes: { site: 'lab', x: '1' } } });
    const c = await plan([]);

    expect(a.plan?.liveDigest).toBe(b.plan?.liveDigest);
    expect(c.plan?.liveDigest).not.toBe(a.plan?.liveDigest);
  });
});
