// Issue #11: the fleet repository is untrusted input. Its iotops.yaml must not be able to switch
// the fleet the operator runs iotops for, widen the guards the operator's flags set (prune,
// adopt, max deletes), or take over another fleet's resources. Each attack runs through the CLI
// against the emulator; fleet B is a real fleet applied next to fleet A.
import { afterEach, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { MANAGED_BY_TAG } from '../../src/model/live.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { tempFleet, type TempFleet } from '../support/fleet.js';
import { actions, cli, mutatingCalls, planJson, thingExists } from './support.js';

let env: TestEmulator | undefined;
const fleets: TempFleet[] = [];
afterEach(async () => {
  await env?.stop();
  for (const f of fleets.splice(0)) f.remove();
  env = undefined;
});

const thing = (name: string) => `apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: ${name} }\nspec:\n  attributes: { site: lab }\n`;
const policy = (name: string, action: string) =>
  `apiVersion: iotops/v1\nkind: Policy\nmetadata: { name: ${name} }\nspec:\n  document:\n    Version: "2012-10-17"\n    Statement:\n      - Effect: Allow\n        Action: "${action}"\n        Resource: "*"\n`;

function fleet(files: Record<string, string>): TempFleet {
  const f = tempFleet(files);
  fleets.push(f);
  return f;
}

async function apply(f: TempFleet, extra: readonly string[]) {
  return cli(f.cwd, ['apply', '--endpoint', env!.endpoint, '--auto-approve', ...extra]);
}

/** Fleet B: three things and a policy, applied by its own operator. */
async function applyFleetB(): Promise<void> {
  const b = fleet({ 'iotops.yaml': 'fleetId: fleet-b\n', 'things.yaml': ['b1', 'b2', 'b3'].map(thing).join('---\n'), 'policies.yaml': policy('b-telemetry', 'iot:Publish') });
  expect((await apply(b, ['--fleet-id', 'fleet-b'])).code).toBe(0);
}

async function policyState(name: string): Promise<{ document: string; owner: string | undefined }> {
  const p = await env!.api.send('GetPolicy', { policyName: name });
  const tags = (await env!.api.send('ListTagsForResource', { resourceArn: p.policyArn! })).tags ?? [];
  return { document: p.policyDocument!, owner: tags.find((t) => t.Key === MANAGED_BY_TAG)?.Value };
}

describe('iotops.yaml cannot switch the fleet (--fleet-id)', () => {
  it('refuses plan and apply when iotops.yaml names another fleet: nothing read, nothing of fleet B deleted', async () => {
    env = await startTestEmulator();
    await applyFleetB();
    // Fleet A's repository, edited to impersonate fleet B with every guard wide open.
    const a = fleet({ 'iotops.yaml': 'fleetId: fleet-b\nprune: true\nmaxDeletes: 100000\n', 'things.yaml': thing('a1') });
    env.emulator.resetStats();

    const applied = await apply(a, ['--fleet-id', 'fleet-a', '--prune']);
    expect(applied.code).toBe(1);
    expect(applied.err).toContain('iotops.yaml says fleetId "fleet-b" but this run manages fleet "fleet-a" (--fleet-id or IOTOPS_FLEET_ID); nothing was read or changed');
    const planned = await cli(a.cwd, ['plan', '--endpoint', env.endpoint, '--fleet-id', 'fleet-a', '--prune']);
    expect(planned.code).toBe(1);
    expect(planned.err).toContain('iotops.yaml says fleetId "fleet-b"');
    expect(env.emulator.stats()).toEqual({});
    for (const name of ['b1', 'b2', 'b3']) expect(await thingExists(env, name)).toBe(true);
  });

  it('takes the operator fleet id from IOTOPS_FLEET_ID too', async () => {
    env = await startTestEmulator();
    const a = fleet({ 'iotops.yaml': 'fleetId: fleet-b\n', 'things.yaml': thing('a1') });
    const io = captureIo({ cwd: a.cwd, env: { IOTOPS_FLEET_ID: 'fleet-a' } });
    const code = await main(['node', 'iotops', 'apply', '--endpoint', env.endpoint, '--auto-approve'], io);
    expect(code).toBe(1);
    expect(io.err.join('')).toContain('but this run manages fleet "fleet-a"');
    expect(await thingExists(env, 'a1')).toBe(false);
  });

  it('applies when iotops.yaml agrees with --fleet-id', async () => {
    env = await startTestEmulator();
    const a = fleet({ 'iotops.yaml': 'fleetId: fleet-a\n', 'things.yaml': thing('a1') });
    expect((await apply(a, ['--fleet-id', 'fleet-a'])).code).toBe(0);
    expect(await thingExists(env, 'a1')).toBe(true);
  });
});

describe('iotops.yaml can only narrow prune, adopt and max deletes', () => {
  it('does not prune or adopt on the repository\'s word alone', async () => {
    env = await startTestEmulator();
    await env.api.send('CreateThing', { thingName: 'stranger', attributePayload: { attributes: { site: 'elsewhere' } } });
    const a = fleet({ 'iotops.yaml': 'fleetId: fleet-a\n', 'things.yaml': ['a1', 'a2'].map(thing).join('---\n') });
    expect((await apply(a, [])).code).toBe(0);
    a.write('iotops.yaml', 'fleetId: fleet-a\nprune: true\nadopt: true\nmaxDeletes: 100000\n');
    a.write('things.yaml', ['a1', 'stranger'].map(thing).join('---\n'));

    const planned = await planJson(a.cwd, env.endpoint);
    expect(actions(planned.plan)).toEqual(['delete Thing/a2 [prune-disabled]', 'adopt Thing/stranger [adopt-disabled]']);
    expect(planned.plan.changes[0]!.blocked!.message).toBe('pruning is off: run with --prune to delete it');
    expect((await apply(a, [])).code).toBe(0);
    expect(await thingExists(env, 'a2')).toBe(true);
    expect((await env.api.send('DescribeThing', { thingName: 'stranger' })).attributes).toEqual({ site: 'elsewhere' });
  });

  it('lets prune: false and adopt: false forbid what the flags allow', async () => {
    env = await startTestEmulator();
    await env.api.send('CreateThing', { thingName: 'stranger', attributePayload: { attributes: { site: 'elsewhere' } } });
    const a = fleet({ 'iotops.yaml': 'fleetId: fleet-a\n', 'things.yaml': ['a1', 'a2'].map(thing).join('---\n') });
    expect((await apply(a, [])).code).toBe(0);
    a.write('iotops.yaml', 'fleetId: fleet-a\nprune: false\nadopt: false\n');
    a.write('things.yaml', ['a1', 'stranger'].map(thing).join('---\n'));

    const planned = await planJson(a.cwd, env.endpoint, ['--prune', '--adopt']);
    expect(actions(planned.plan)).toEqual(['delete Thing/a2 [prune-disabled]', 'adopt Thing/stranger [adopt-disabled]']);
    expect(planned.plan.changes.map((c) => c.blocked!.message)).toEqual([
      'pruning is off: prune: false in iotops.yaml forbids deletes, even with --prune',
      'adopt: false in iotops.yaml forbids taking it over, even with --adopt',
    ]);
    await apply(a, ['--prune', '--adopt']);
    expect(await thingExists(env, 'a2')).toBe(true);
    expect((await env.api.send('DescribeThing', { thingName: 'stranger' })).attributes).toEqual({ site: 'elsewhere' });
  });

  it('uses the smaller of --max-deletes and maxDeletes: in iotops.yaml', async () => {
    env = await startTestEmulator();
    const a = fleet({ 'iotops.yaml': 'fleetId: fleet-a\n', 'things.yaml': ['a1', 'a2', 'a3'].map(thing).join('---\n') });
    expect((await apply(a, [])).code).toBe(0);
    a.write('things.yaml', thing('a1'));

    // The repository raises the limit: the operator's --max-deletes 1 still holds.
    a.write('iotops.yaml', 'fleetId: fleet-a\nmaxDeletes: 100000\n');
    const widened = await apply(a, ['--prune', '--max-deletes', '1']);
    expect(widened.code).toBe(1);
    expect(widened.err).toContain('2 change(s) refused: Thing/a2: 2 deletes exceed the limit of 1 per run');
    // The repository lowers it below the default 25: that holds too.
    a.write('iotops.yaml', 'fleetId: fleet-a\nmaxDeletes: 1\n');
    const narrowed = await planJson(a.cwd, env.endpoint, ['--prune']);
    expect(actions(narrowed.plan)).toEqual(['delete Thing/a2 [max-deletes]', 'delete Thing/a3 [max-deletes]']);
    expect(await thingExists(env, 'a2')).toBe(true);
    expect(await thingExists(env, 'a3')).toBe(true);

    a.write('iotops.yaml', 'fleetId: fleet-a\n');
    expect((await apply(a, ['--prune'])).code).toBe(0);
    expect(await thingExists(env, 'a2')).toBe(false);
  });
});

describe('adopting another fleet\'s resource (--adopt-from)', () => {
  it('blocks the adopt of a policy tagged as fleet B\'s, even with --adopt, until --adopt-from fleet-b', async () => {
    env = await startTestEmulator();
    await applyFleetB();
    const before = await policyState('b-telemetry');
    expect(before.owner).toBe('fleet-b');
    const a = fleet({ 'iotops.yaml': 'fleetId: fleet-a\nadopt: true\n', 'policies.yaml': policy('b-telemetry', 'iot:*') });

    const planned = await planJson(a.cwd, env.endpoint, ['--adopt']);
    expect(actions(planned.plan)).toEqual(['adopt Policy/b-telemetry [owned-by-other-fleet]']);
    expect(planned.plan.changes[0]!.blocked!.message).toBe(
      'it is managed by fleet "fleet-b" (tag iotops:managed-by); iotops never takes over another fleet\'s resources unless the operator runs with --adopt --adopt-from fleet-b',
    );
    env.emulator.resetStats();
    const refused = await apply(a, ['--adopt']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('1 change(s) refused: Policy/b-telemetry: it is managed by fleet "fleet-b"');
    // Only fleet A's own ledger group may be written; nothing touches the policy.
    expect(Object.keys(mutatingCalls(env)).filter((op) => /Policy|Tag/.test(op))).toEqual([]);
    expect(await policyState('b-telemetry')).toEqual(before);

    // Another fleet named in --adopt-from does not unlock it.
    expect(actions((await planJson(a.cwd, env.endpoint, ['--adopt', '--adopt-from', 'fleet-c'])).plan)).toEqual(['adopt Policy/b-telemetry [owned-by-other-fleet]']);
    const taken = await apply(a, ['--adopt', '--adopt-from', 'fleet-c,fleet-b']);
    expect(taken.code).toBe(0);
    const after = await policyState('b-telemetry');
    expect(after.owner).toBe('fleet-a');
    expect(after.document).toContain('iot:*');
  });

  it('blocks the adopt of a thing in fleet B\'s inventory group the same way', async () => {
    env = await startTestEmulator();
    await applyFleetB();
    const a = fleet({ 'iotops.yaml': 'fleetId: fleet-a\n', 'things.yaml': 'apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: b1 }\nspec:\n  attributes: { site: taken }\n' });

    const planned = await planJson(a.cwd, env.endpoint, ['--adopt']);
    expect(actions(planned.plan)).toEqual(['adopt Thing/b1 [owned-by-other-fleet]']);
    expect(planned.plan.changes[0]!.blocked!.message).toContain('it is managed by fleet "fleet-b" (member of iotops-inventory-fleet-b)');
    expect((await apply(a, ['--adopt'])).code).toBe(1);
    expect((await env.api.send('DescribeThing', { thingName: 'b1' })).attributes).toEqual({ site: 'lab' });

    expect((await apply(a, ['--adopt', '--adopt-from', 'fleet-b'])).code).toBe(0);
    expect((await env.api.send('DescribeThing', { thingName: 'b1' })).attributes).toEqual({ site: 'taken' });
  });
});
