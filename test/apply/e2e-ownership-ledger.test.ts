// End to end through the CLI (main() in-process) against an emulator: the ownership ledger.
// A fleet in sync plans without reading tags it does not compare; the ledger proves only the very
// resource it recorded; prunes, a lost ledger and an interrupted create still find what iotops
// made; manifests without `metadata.tags` leave foreign tags alone, with tags reconcile exactly.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/manifest/index.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { claims, ledgerGroupName, nameKey, PENDING, proves, readOwnershipLedger, updateOwnershipLedger } from '../../src/kinds/shared/ownership-ledger.js';
import { MANAGED_BY_TAG } from '../../src/model/live.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { tempFleet, type TempFleet } from '../support/fleet.js';
import { actions, cli, exampleWorkdir, planJson, type Workdir } from './support.js';

let env: TestEmulator | undefined;
let work: Workdir | TempFleet | undefined;
afterEach(async () => {
  await env?.stop();
  work?.remove();
  env = work = undefined;
});

const FLEET_ID = 'own';
const DOCUMENT = `  document:
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: iot:Connect
        Resource: "*"
`;
const policy = (name: string, tags?: string): string =>
  `apiVersion: iotops/v1\nkind: Policy\nmetadata:\n  name: ${name}\n${tags ? `  tags: ${tags}\n` : ''}spec:\n${DOCUMENT}`;

/** Taggable kinds with and without `metadata.tags`; fleetId `own`. */
const OWN_FLEET: Readonly<Record<string, string>> = {
  'iotops.yaml': `fleetId: ${FLEET_ID}\n`,
  'groups.yaml': 'apiVersion: iotops/v1\nkind: ThingGroup\nmetadata: { name: lab }\nspec:\n  description: The lab\n',
  'policies/plain.yaml': policy('plain'),
  'policies/tagged.yaml': policy('tagged', '{ team: a }'),
  'rules/plain.yaml': `apiVersion: iotops/v1
kind: TopicRule
metadata: { name: plain_rule }
spec:
  sql: "SELECT * FROM 'lab/+'"
  actions:
    - republish:
        topic: copy/lab
        roleArn: "arn:aws:iam::123456789012:role/rules"
`,
};

async function apply(cwd: string, extra: readonly string[] = []) {
  return cli(cwd, ['apply', '--endpoint', env!.endpoint, '--auto-approve', ...extra]);
}

/** Runs `fn` and returns the emulator calls it made, per operation. */
async function counting<T>(fn: () => Promise<T>): Promise<{ result: T; calls: Record<string, number> }> {
  env!.emulator.resetStats();
  const result = await fn();
  return { result, calls: env!.emulator.stats() };
}

async function ownFleet(): Promise<TempFleet> {
  env = await startTestEmulator();
  const fleet = tempFleet(OWN_FLEET);
  work = fleet;
  const first = await apply(fleet.cwd);
  expect(first.code, first.err).toBe(0);
  return fleet;
}

async function policyTags(name: string): Promise<Record<string, string>> {
  const arn = (await env!.api.send('GetPolicy', { policyName: name })).policyArn!;
  const tags = (await env!.api.send('ListTagsForResource', { resourceArn: arn })).tags ?? [];
  return Object.fromEntries(tags.map((t) => [t.Key!, t.Value!]));
}

describe('iotops: the ownership ledger end to end', () => {
  it('records the example fleet in its ledger group; a plan in sync reads tags only of resources that declare them', async () => {
    env = await startTestEmulator();
    const example = exampleWorkdir();
    work = example;
    const loaded = await loadFleet({ dir: example.fleetDir, processEnv: {} });
    const desired = loaded.state!;
    const fleetId = desired.config.fleetId;
    expect(fleetId).toBe('climate-example');
    const taggable = desired.resources.flatMap((r) => (kindRegistry[r.kind]?.readIdentity !== undefined ? [{ kind: r.kind, name: r.name, tags: r.tags }] : []));
    const withTags = taggable.filter((r) => r.tags !== undefined);
    // The example must mix both, or the count below would not tell them apart.
    expect(withTags.length).toBeGreaterThan(0);
    expect(withTags.length).toBeLessThan(taggable.length);

    expect((await apply(example.cwd)).code).toBe(0);
    const group = await env.api.send('DescribeThingGroup', { thingGroupName: ledgerGroupName(fleetId) });
    expect(group.thingGroupName).toBe(`iotops-ledger-${fleetId}`);
    const ledger = await readOwnershipLedger(env.api, fleetId);
    expect(ledger.entries.size).toBe(taggable.length);
    for (const r of taggable) expect(claims(ledger, r.kind, r.name)).toBe(true);

    const { result, calls } = await counting(() => planJson(example.cwd, env!.endpoint));
    expect(result.code).toBe(0);
    expect(result.plan.changes).toEqual([]);
    expect(calls.ListTagsForResource ?? 0).toBe(withTags.length);
    expect(calls.DescribeThingGroup).toBeGreaterThan(0);
    expect(JSON.stringify(result.plan)).not.toContain(ledgerGroupName(fleetId));
  });

  it('a fleet that declares no tags plans in sync without a single tag read', async () => {
    env = await startTestEmulator();
    const { 'policies/tagged.yaml': _tagged, ...untagged } = OWN_FLEET;
    const fleet = tempFleet(untagged);
    work = fleet;
    expect((await apply(fleet.cwd)).code).toBe(0);
    const { result, calls } = await counting(() => planJson(fleet.cwd, env!.endpoint));
    expect(result.code).toBe(0);
    expect(calls.ListTagsForResource ?? 0).toBe(0);
  });

  it('does not let the entry of a deleted policy prove a same-named successor made outside iotops until it is adopted', async () => {
    const fleet = await ownFleet();
    const before = await env!.api.send('GetPolicy', { policyName: 'plain' });
    await env!.api.send('DeletePolicy', { policyName: 'plain' });
    env!.emulator.clock.advance(1_000);
    await env!.api.send('CreatePolicy', { policyName: 'plain', policyDocument: before.policyDocument! });
    expect(await policyTags('plain')).toEqual({});

    const planned = await planJson(fleet.cwd, env!.endpoint);
    expect(actions(planned.plan)).toEqual(['adopt Policy/plain [adopt-disabled]']);

    // Adopted, the successor's own identity is recorded and proves it from then on.
    expect((await apply(fleet.cwd, ['--adopt'])).code).toBe(0);
    const successor = (await env!.api.send('GetPolicy', { policyName: 'plain' })).creationDate!;
    expect(successor.getTime()).not.toBe(before.creationDate!.getTime());
    expect(proves(await readOwnershipLedger(env!.api, FLEET_ID), 'Policy', 'plain', String(successor.getTime()))).toBe(true);
    expect((await planJson(fleet.cwd, env!.endpoint)).code).toBe(0);
  });

  it('prunes a removed resource found through the ledger, then forgets it', async () => {
    const fleet = await ownFleet();
    rmSync(join(fleet.fleetDir, 'policies/plain.yaml'));
    const blocked = await planJson(fleet.cwd, env!.endpoint);
    expect(actions(blocked.plan)).toEqual(['delete Policy/plain [prune-disabled]']);

    const pruned = await apply(fleet.cwd, ['--prune']);
    expect(pruned.code, pruned.err).toBe(0);
    await expect(env!.api.send('GetPolicy', { policyName: 'plain' })).rejects.toThrow(/ResourceNotFoundException/);
    const after = await planJson(fleet.cwd, env!.endpoint, ['--prune']);
    expect(after.code).toBe(0);
    expect(after.plan.changes).toEqual([]);
    const ledger = await readOwnershipLedger(env!.api, FLEET_ID);
    expect(claims(ledger, 'Policy', 'plain')).toBe(false);
    expect(claims(ledger, 'Policy', 'tagged')).toBe(true);
  });

  it('falls back to tags when the ledger group is lost, and the next apply writes it again', async () => {
    const fleet = await ownFleet();
    await env!.api.send('DeleteThingGroup', { thingGroupName: ledgerGroupName(FLEET_ID) });
    expect((await readOwnershipLedger(env!.api, FLEET_ID)).exists).toBe(false);

    const inSync = await planJson(fleet.cwd, env!.endpoint);
    expect(inSync.code).toBe(0);
    expect(inSync.plan.changes).toEqual([]);

    rmSync(join(fleet.fleetDir, 'rules/plain.yaml'));
    const removed = await planJson(fleet.cwd, env!.endpoint);
    expect(actions(removed.plan)).toEqual(['delete TopicRule/plain_rule [prune-disabled]']);
    fleet.write('rules/plain.yaml', OWN_FLEET['rules/plain.yaml']!);

    const { result, calls } = await counting(() => apply(fleet.cwd));
    expect(result.code, result.err).toBe(0);
    expect(calls.CreateThingGroup).toBe(1);
    const ledger = await readOwnershipLedger(env!.api, FLEET_ID);
    expect(ledger.exists).toBe(true);
    const rule = await env!.api.send('GetTopicRule', { ruleName: 'plain_rule' });
    expect(proves(ledger, 'TopicRule', 'plain_rule', String(rule.rule!.createdAt!.getTime()))).toBe(true);
    const created = (await env!.api.send('GetPolicy', { policyName: 'plain' })).creationDate!;
    expect(proves(ledger, 'Policy', 'plain', String(created.getTime()))).toBe(true);
    expect(ledger.entries.size).toBe(4);
  });

  it('keeps a resource whose create was never recorded in scope through its pending entry', async () => {
    const fleet = await ownFleet();
    fleet.write('policies/new.yaml', policy('fresh'));
    expect((await apply(fleet.cwd)).code).toBe(0);
    expect(await policyTags('fresh')).toEqual({ [MANAGED_BY_TAG]: FLEET_ID });
    // As if apply crashed after the create: the entry written before it is still pending.
    await updateOwnershipLedger(env!.api, FLEET_ID, (current) => new Map([...current, [nameKey('Policy', 'fresh'), PENDING]]));
    rmSync(join(fleet.fleetDir, 'policies/new.yaml'));

    const { result, calls } = await counting(() => planJson(fleet.cwd, env!.endpoint));
    expect(actions(result.plan)).toEqual(['delete Policy/fresh [prune-disabled]']);
    expect(calls.ListTagsForResource).toBeGreaterThanOrEqual(1);

    // Without any entry, an existing ledger keeps an unnamed resource out of scope: the pending
    // entry is what found it above.
    await updateOwnershipLedger(env!.api, FLEET_ID, (current) => new Map([...current].filter(([k]) => k !== nameKey('Policy', 'fresh'))));
    expect(actions((await planJson(fleet.cwd, env!.endpoint)).plan)).toEqual([]);
  });

  it('leaves foreign tags alone without metadata.tags and reconciles the tag set exactly with it', async () => {
    const fleet = await ownFleet();
    const arn = async (name: string) => (await env!.api.send('GetPolicy', { policyName: name })).policyArn!;
    await env!.api.send('TagResource', { resourceArn: await arn('plain'), tags: [{ Key: 'cost-center', Value: '42' }] });
    const untouched = await planJson(fleet.cwd, env!.endpoint);
    expect(untouched.code).toBe(0);
    expect(untouched.plan.changes).toEqual([]);

    await env!.api.send('TagResource', { resourceArn: await arn('tagged'), tags: [{ Key: 'x', Value: 'y' }, { Key: 'team', Value: 'b' }] });
    const drift = await planJson(fleet.cwd, env!.endpoint);
    expect(drift.code).toBe(2);
    expect(actions(drift.plan)).toEqual(['update Policy/tagged']);
    const fields = [...drift.plan.changes[0]!.fields].sort((a, b) => a.path.localeCompare(b.path));
    expect(fields).toEqual([
      { path: 'tags.team', before: 'b', after: 'a' },
      { path: 'tags.x', before: 'y' },
    ]);

    const converged = await apply(fleet.cwd);
    expect(converged.code, converged.err).toBe(0);
    expect(await policyTags('tagged')).toEqual({ team: 'a', [MANAGED_BY_TAG]: FLEET_ID });
    expect(await policyTags('plain')).toEqual({ 'cost-center': '42', [MANAGED_BY_TAG]: FLEET_ID });
    const after = await planJson(fleet.cwd, env!.endpoint);
    expect(after.code).toBe(0);
    expect(after.plan.changes).toEqual([]);
  });

  it('does not let the entry of a deleted rule or group prove a same-named successor either', async () => {
    const fleet = await ownFleet();
    const rule = await env!.api.send('GetTopicRule', { ruleName: 'plain_rule' });
    await env!.api.send('DeleteTopicRule', { ruleName: 'plain_rule' });
    await env!.api.send('DeleteThingGroup', { thingGroupName: 'lab' });
    env!.emulator.clock.advance(1_000);
    await env!.api.send('CreateTopicRule', { ruleName: 'plain_rule', topicRulePayload: { sql: rule.rule!.sql!, actions: rule.rule!.actions!, ...(rule.rule!.awsIotSqlVersion ? { awsIotSqlVersion: rule.rule!.awsIotSqlVersion } : {}) } });
    await env!.api.send('CreateThingGroup', { thingGroupName: 'lab', thingGroupProperties: { thingGroupDescription: 'The lab' } });

    const planned = await planJson(fleet.cwd, env!.endpoint);
    expect(actions(planned.plan).sort()).toEqual(['adopt ThingGroup/lab [adopt-disabled]', 'adopt TopicRule/plain_rule [adopt-disabled]']);
  });

  it('an apply with nothing to change neither rewrites the ledger nor reads undeclared tags', async () => {
    const fleet = await ownFleet();
    const { result, calls } = await counting(() => apply(fleet.cwd));
    expect(result.code, result.err).toBe(0);
    expect(calls.UpdateThingGroup ?? 0).toBe(0);
    expect(calls.CreateThingGroup ?? 0).toBe(0);
    // Only the tags the fleet declares (policy `tagged`) are read.
    expect(calls.ListTagsForResource ?? 0).toBe(1);
  });

  it('with `tags: {}` removes every tag but the ownership mark', async () => {
    const fleet = await ownFleet();
    const arn = (await env!.api.send('GetPolicy', { policyName: 'plain' })).policyArn!;
    await env!.api.send('TagResource', { resourceArn: arn, tags: [{ Key: 'cost-center', Value: '42' }] });
    fleet.write('policies/plain.yaml', policy('plain', '{}'));
    const planned = await planJson(fleet.cwd, env!.endpoint);
    expect(actions(planned.plan)).toEqual(['update Policy/plain']);
    expect(planned.plan.changes[0]!.fields).toEqual([{ path: 'tags.cost-center', before: '42' }]);
    expect((await apply(fleet.cwd)).code).toBe(0);
    expect(await policyTags('plain')).toEqual({ [MANAGED_BY_TAG]: FLEET_ID });
  });

  it('keeps a thing type in scope between the two runs of its delete (deprecate, then delete 5 minutes later)', async () => {
    // The emulator's clock starts 6 minutes behind, so the deprecation looks 6 minutes old to the
    // planner (real clock) and, once the offset is dropped, to the emulator's own 5-minute rule.
    let offset = -6 * 60_000;
    env = await startTestEmulator({ clock: () => Date.now() + offset });
    const fleet = tempFleet({
      'iotops.yaml': `fleetId: ${FLEET_ID}\n`,
      'types.yaml': 'apiVersion: iotops/v1\nkind: ThingType\nmetadata: { name: retired }\nspec:\n  description: Old sensors\n',
      'groups.yaml': 'apiVersion: iotops/v1\nkind: ThingGroup\nmetadata: { name: lab }\nspec: {}\n',
    });
    work = fleet;
    expect((await apply(fleet.cwd)).code).toBe(0);
    rmSync(join(fleet.fleetDir, 'types.yaml'));

    expect((await apply(fleet.cwd, ['--prune'])).code).toBe(0); // run 1: deprecates
    expect((await env.api.send('DescribeThingType', { thingTypeName: 'retired' })).thingTypeMetadata?.deprecated).toBe(true);
    offset = 0;
    const between = await planJson(fleet.cwd, env.endpoint, ['--prune']);
    expect(actions(between.plan)).toEqual(['delete ThingType/retired']);

    expect((await apply(fleet.cwd, ['--prune'])).code).toBe(0); // run 2: deletes
    const gone = await env.api.send('DescribeThingType', { thingTypeName: 'retired' }).catch((err: unknown) => err as Error);
    expect((gone as { awsErrorName?: string }).awsErrorName).toBe('ResourceNotFoundException');
    expect((await planJson(fleet.cwd, env.endpoint, ['--prune'])).code).toBe(0);
    expect(claims(await readOwnershipLedger(env.api, FLEET_ID), 'ThingType', 'retired')).toBe(false);
  });
});
