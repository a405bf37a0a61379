// The four kinds inside the real pipeline: readLive → buildPlan → executePlan against the
// emulator, then a fresh plan must be empty (no false drift), changes must plan as the expected
// actions with their previews, and prune must remove everything these kinds created.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { readLedger } from '../../src/kinds/certificate/ledger.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import type { ApplyContext } from '../../src/kinds/types.js';
import type { DesiredResource, DesiredState } from '../../src/model/resource.js';
import type { Plan } from '../../src/model/plan.js';
import { planFleet } from '../../src/session/plan-fleet.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

const FLEET = 'roundtrip';
const at = { file: 'fleet.yaml', line: 1, column: 1 };
const policyDoc = (...actions: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: ['*'] }] });
const kinesis = { kinesis: { streamName: 's', roleArn: 'arn:aws:iam::123456789012:role/r' } };
const sqs = { sqs: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', roleArn: 'arn:aws:iam::123456789012:role/r' } };

function fleet(resources: readonly DesiredResource[]): DesiredState {
  return { revision: 'r', config: { fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function resources(v: { doc: string[]; enabled: boolean; actions: object[]; status: 'ACTIVE' | 'INACTIVE'; description: string }): DesiredResource[] {
  return [
    { kind: 'Thing', name: 'dev-1', tags: {}, spec: { attributes: {}, groups: [] }, source: at },
    { kind: 'Policy', name: 'device', tags: { team: 'sec' }, spec: { document: policyDoc(...v.doc) }, source: at },
    { kind: 'Certificate', name: 'dev-1-cert', tags: {}, spec: { source: { type: 'generate' }, status: v.status, things: ['dev-1'], policies: ['device'] }, source: at },
    {
      kind: 'TopicRule',
      name: 'to_kinesis',
      tags: {},
      spec: { sql: "SELECT * FROM 'telemetry/+'", sqlVersion: '2016-03-23', enabled: v.enabled, actions: v.actions as never },
      source: at,
    },
    {
      kind: 'Job',
      name: 'fw-1',
      tags: {},
      spec: { targets: { things: ['dev-1'], groups: [] }, targetSelection: 'SNAPSHOT', document: '{"v":1}', description: v.description, status: 'active' },
      source: at,
    },
  ];
}

const base = { doc: ['iot:Connect'], enabled: true, actions: [kinesis, sqs], status: 'ACTIVE' as const, description: 'first' };
const summary = (p: Plan) => p.changes.filter((c) => !c.blocked).map((c) => `${c.action} ${c.kind}/${c.name}`);

describe('security, rules and jobs in the plan/apply pipeline', () => {
  let emu: TestEmulator;
  let ctx: ApplyContext;
  let dir: string;

  beforeAll(async () => {
    emu = await startTestEmulator();
    dir = await mkdtemp(join(tmpdir(), 'iotops-roundtrip-'));
    ctx = { api: emu.api, fleetId: FLEET, secretsDir: join(dir, 'secrets'), now: () => 0 };
  });
  afterAll(async () => {
    await emu.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const plan = async (desired: DesiredState, prune = false) => (await planFleet({ api: emu.api, desired, kinds: kindRegistry, overrides: { prune }, now: 0 })).plan;
  const apply = async (p: Plan) => {
    const result = await executePlan({ plan: p, kinds: kindRegistry, ctx });
    expect(result.steps.filter((s) => s.outcome !== 'applied')).toEqual([]);
  };

  it('creates everything, then plans nothing', async () => {
    const first = await plan(fleet(resources(base)));
    await apply(first);
    const second = await plan(fleet(resources(base)));

    expect(summary(first)).toEqual(['create Thing/dev-1', 'create Policy/device', 'create Certificate/dev-1-cert', 'create TopicRule/to_kinesis', 'create Job/fw-1']);
    expect(second.changes).toEqual([]);
  });

  it('plans real changes only (a reordered rule is not one), with previews, and converges', async () => {
    const next = { doc: ['iot:Connect', 'iot:Publish'], enabled: false, actions: [sqs, kinesis], status: 'INACTIVE' as const, description: 'second' };

    const changed = await plan(fleet(resources(next)));
    await apply(changed);
    const after = await plan(fleet(resources(next)));

    expect(summary(changed)).toEqual(['update Policy/device', 'update Certificate/dev-1-cert', 'update TopicRule/to_kinesis', 'update Job/fw-1']);
    expect(changed.changes.find((c) => c.kind === 'Policy')?.notes).toContain('grants Allow iot:Publish on *');
    expect(changed.changes.find((c) => c.kind === 'TopicRule')?.fields.map((f) => f.path)).toEqual(['enabled']);
    expect(after.changes).toEqual([]);
  });

  it('prunes what left the fleet, certificate before policy, and forgets the ledger entry', async () => {
    const onlyThing = fleet(resources(base).filter((r) => r.kind === 'Thing'));

    const pruning = await plan(onlyThing, true);
    await apply(pruning);
    const after = await plan(onlyThing, true);

    expect(summary(pruning).sort()).toEqual(['delete Certificate/dev-1-cert', 'delete Job/fw-1', 'delete Policy/device', 'delete TopicRule/to_kinesis']);
    expect(pruning.changes.find((c) => c.kind === 'Certificate')?.dependsOn).toContain('Policy/device');
    expect(after.changes).toEqual([]);
    expect((await readLedger(emu.api, FLEET)).ledger.size).toBe(0);
    expect((await emu.api.send('ListCertificates', {})).certificates ?? []).toEqual([]);
  });
});
