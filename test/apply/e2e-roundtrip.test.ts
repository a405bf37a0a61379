// End to end through the CLI (main() in-process) against an emulator: the example fleet applies
// and converges, edits of every relationship kind converge, removed resources go only with
// --prune, and the --max-deletes and empty-fleet guards refuse.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { actions, cli, exampleWorkdir, mutatingCalls, planJson, thingExists, type Workdir } from './support.js';

let env: TestEmulator | undefined;
let work: Workdir | undefined;
afterEach(async () => {
  await env?.stop();
  work?.remove();
  env = work = undefined;
});

function edit(file: string, from: string | RegExp, to: string): void {
  const path = join(work!.fleetDir, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit of ${file} matched nothing`);
  writeFileSync(path, next);
}

async function apply(extra: readonly string[] = []) {
  return cli(work!.cwd, ['apply', '--endpoint', env!.endpoint, '--auto-approve', ...extra]);
}

describe('iotops apply: the example fleet end to end', () => {
  it('applies the fleet, then converges after edits, a rename and removals (deleting only with --prune)', async () => {
    env = await startTestEmulator();
    work = exampleWorkdir();

    const first = await apply();
    expect(first.err).toMatch(/apply progress done=\d+ total=\d+ failed=0 skipped=0/);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Apply complete: \d+ applied, 0 failed, 0 skipped, 0 blocked\./);
    expect((await planJson(work.cwd, env.endpoint)).code).toBe(0);

    // Attribute, group membership, policy document, rule SQL, a renamed thing and a removed rule file.
    edit('things/gateways.yaml', 'attributes: { site: berlin, model: GW-10 }', 'attributes: { site: berlin, model: GW-11 }');
    edit('things/gateways.yaml', 'groups: [munich]', 'groups: [boston]');
    edit('things/gateways.yaml', 'name: gw-boston-01', 'name: gw-boston-02');
    edit('policies/telemetry.yaml', 'Action: iot:Publish', 'Action: [iot:Publish, iot:RetainPublish]');
    edit('rules/low-battery.yaml', 'WHERE battery < 20', 'WHERE battery < 15');
    rmSync(join(work.fleetDir, 'rules/audits.yaml'));

    const planned = await planJson(work.cwd, env.endpoint);
    expect(planned.code).toBe(2);
    expect(actions(planned.plan)).toEqual([
      'update Policy/telemetry',
      'create Thing/gw-boston-02',
      'delete Thing/gw-boston-01 [prune-disabled]',
      'update Thing/gw-berlin-01',
      'update Thing/gw-munich-01',
      'update TopicRule/low_battery_alerts',
      'delete TopicRule/my_service_audits [prune-disabled]',
    ].sort(byKindOrderOf(planned.plan.changes.map((c) => `${c.kind}/${c.name}`))));

    const second = await apply();
    expect(second.code).toBe(0);
    expect(second.out).toContain('2 blocked');
    const thing = await env.api.send('DescribeThing', { thingName: 'gw-berlin-01' });
    expect(thing.attributes).toEqual({ site: 'berlin', model: 'GW-11' });
    const groups = await env.api.send('ListThingGroupsForThing', { thingName: 'gw-munich-01' });
    expect(groups.thingGroups?.map((g) => g.groupName).sort()).toEqual(['boston', 'iotops-inventory-climate-example']);
    const policy = await env.api.send('GetPolicy', { policyName: 'telemetry' });
    expect(policy.policyDocument).toContain('iot:RetainPublish');
    const rule = await env.api.send('GetTopicRule', { ruleName: 'low_battery_alerts' });
    expect(rule.rule?.sql).toContain('battery < 15');
    // Without --prune the removed resources stay, shown as blocked.
    expect(await thingExists(env, 'gw-boston-01')).toBe(true);
    expect(await thingExists(env, 'gw-boston-02')).toBe(true);
    await expect(env.api.send('GetTopicRule', { ruleName: 'my_service_audits' })).resolves.toBeDefined();
    const blockedOnly = await planJson(work.cwd, env.endpoint);
    expect(blockedOnly.code).toBe(0);
    expect(actions(blockedOnly.plan)).toEqual(['delete Thing/gw-boston-01 [prune-disabled]', 'delete TopicRule/my_service_audits [prune-disabled]']);

    const pruned = await apply(['--prune']);
    expect(pruned.code).toBe(0);
    expect(pruned.out).toMatch(/Apply complete: 2 applied, 0 failed/);
    expect(await thingExists(env, 'gw-boston-01')).toBe(false);
    await expect(env.api.send('GetTopicRule', { ruleName: 'my_service_audits' })).rejects.toThrow();
    const final = await planJson(work.cwd, env.endpoint, ['--prune']);
    expect(final.plan.changes).toEqual([]);
    expect(final.code).toBe(0);
  });

  it('refuses deletes beyond --max-deletes and every delete when the fleet is empty', async () => {
    env = await startTestEmulator();
    work = exampleWorkdir();
    expect((await apply()).code).toBe(0);

    rmSync(join(work.fleetDir, 'rules'), { recursive: true });
    env.emulator.resetStats();
    const capped = await apply(['--prune', '--max-deletes', '1']);
    expect(capped.code).toBe(1);
    expect(capped.out).toContain('2 deletes exceed the limit of 1');
    expect(capped.err).toMatch(/refused/);
    expect(mutatingCalls(env)).toEqual({});
    await expect(env.api.send('GetTopicRule', { ruleName: 'my_service_audits' })).resolves.toBeDefined();

    // A broken checkout: only iotops.yaml is left.
    for (const dir of ['certificates', 'env', 'groups', 'jobs', 'policies', 'things', 'types', 'fleet-indexing.yaml']) {
      rmSync(join(work.fleetDir, dir), { recursive: true, force: true });
    }
    env.emulator.resetStats();
    const empty = await apply(['--prune', '--max-deletes', '1000']);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('the fleet declares no resources');
    expect(empty.err).toContain('nothing was applied');
    expect(mutatingCalls(env)).toEqual({});
    expect(await thingExists(env, 'sensor-munich-001')).toBe(true);
  });
});

/** Sorts `Kind/name` strings the way plans do (kind order as they appear in `keys`, then name). */
function byKindOrderOf(keys: readonly string[]) {
  const kindRank = new Map<string, number>();
  for (const k of keys) if (!kindRank.has(k.split('/')[0]!)) kindRank.set(k.split('/')[0]!, kindRank.size);
  const key = (s: string) => s.split(' ')[1]!;
  return (a: string, b: string): number => {
    const [ka, na] = key(a).split('/') as [string, string];
    const [kb, nb] = key(b).split('/') as [string, string];
    return (kindRank.get(ka) ?? 0) - (kindRank.get(kb) ?? 0) || (na < nb ? -1 : na > nb ? 1 : 0);
  };
}
