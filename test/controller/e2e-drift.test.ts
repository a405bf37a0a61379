// Drift: after the controller applied a fleet, a thing attribute, a policy's default version and
// a topic rule are changed behind its back through the SDK. Observe mode reports exactly those
// three and changes nothing; heal mode puts them back in the next reconcile (so within one
// interval; the loop's timing is tested with fake timers in loop.test.ts). And SIGTERM during an
// apply lets the step in flight finish, starts no new one, then exits 0.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreatePolicyVersionCommand, GetPolicyCommand, GetTopicRuleCommand, ReplaceTopicRuleCommand, UpdateThingCommand } from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { tempFleet, type TempFleet } from '../support/fleet.js';
import { condition, reconcilesUntil, startController, waitFor, type RunningController } from './support.js';

const INTERVAL_MS = 1000;
const REPO = fileURLToPath(new URL('../..', import.meta.url));

const FLEET = {
  'iotops.yaml': 'fleetId: drift-e2e\n',
  'things.yaml': `apiVersion: iotops/v1
kind: Thing
metadata: { name: s1 }
spec:
  attributes: { firmware: "1.0", site: lab }
---
apiVersion: iotops/v1
kind: Thing
metadata: { name: s2 }
spec:
  attributes: { firmware: "1.0", site: lab }
`,
  'policy.yaml': `apiVersion: iotops/v1
kind: Policy
metadata: { name: device }
spec:
  document:
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: iot:Connect
        Resource: "arn:aws:iot:us-east-1:123456789012:client/\${iot:Connection.Thing.ThingName}"
`,
  'rules.yaml': `apiVersion: iotops/v1
kind: TopicRule
metadata: { name: battery_alerts }
spec:
  description: Republish low battery readings
  sql: "SELECT * FROM 'telemetry/+' WHERE battery < 20"
  sqlVersion: "2016-03-23"
  actions:
    - republish:
        topic: alerts/battery
        roleArn: "arn:aws:iam::123456789012:role/iot-republish"
`,
};

const EVIL_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] };
const EVIL_SQL = "SELECT * FROM 'telemetry/#'";

let env: TestEmulator | undefined;
let fleet: TempFleet | undefined;
let ctl: RunningController | undefined;
afterEach(async () => {
  await ctl?.stop();
  await env?.stop();
  fleet?.remove();
  ctl = env = fleet = undefined;
});

async function startApplied(mode: 'observe' | 'heal'): Promise<{ env: TestEmulator; ctl: RunningController }> {
  env = await startTestEmulator();
  fleet = tempFleet(FLEET);
  ctl = await startController({ cwd: fleet.cwd, endpoint: env.endpoint, options: { fleet: 'fleet', interval: INTERVAL_MS, mode } });
  const c = ctl;
  await waitFor('fleet applied', async () => (await c.status()).lastAppliedRevision !== undefined);
  return { env, ctl };
}

/** The three out-of-band changes, made with the plain SDK client as a person with the console would. */
async function driftBehindItsBack(e: TestEmulator): Promise<void> {
  await e.client.send(new UpdateThingCommand({ thingName: 's1', attributePayload: { attributes: { firmware: '6.6.6' }, merge: true } }));
  await e.client.send(new CreatePolicyVersionCommand({ policyName: 'device', policyDocument: JSON.stringify(EVIL_POLICY), setAsDefault: true }));
  await e.client.send(
    new ReplaceTopicRuleCommand({
      ruleName: 'battery_alerts',
      topicRulePayload: { sql: EVIL_SQL, awsIotSqlVersion: '2016-03-23', actions: [{ republish: { topic: 'alerts/battery', roleArn: 'arn:aws:iam::123456789012:role/iot-republish' } }] },
    }),
  );
}

async function live(e: TestEmulator) {
  const thing = await e.api.send('DescribeThing', { thingName: 's1' });
  const policy = await e.client.send(new GetPolicyCommand({ policyName: 'device' }));
  const rule = await e.client.send(new GetTopicRuleCommand({ ruleName: 'battery_alerts' }));
  return { firmware: thing.attributes?.firmware, policy: JSON.parse(policy.policyDocument ?? '{}') as unknown, sql: rule.rule?.sql };
}

const DRIFTED = ['Policy/device', 'Thing/s1', 'TopicRule/battery_alerts'];

describe('drift', () => {
  it('observe mode reports exactly the three drifted resources and changes nothing', async () => {
    const { env: e, ctl: c } = await startApplied('observe');
    await driftBehindItsBack(e);
    const mark = c.logs().length;
    const mutationsAfterDrift = mutating(e);

    const status = await waitFor('three drifts', async () => {
      const s = await c.status();
      return s.drift.active.length === 3 ? s : undefined;
    });
    // Reported by the next reconcile (or partly by the one already running): within one interval.
    expect(reconcilesUntil(c.logs(), mark, 'drift detected')).toBeLessThanOrEqual(1);
    expect(status.drift.active.map((d) => `${d.kind}/${d.name}`).sort()).toEqual(DRIFTED);
    expect(status.drift.active.find((d) => d.kind === 'Thing')?.fields).toEqual([{ path: 'attributes.firmware', before: '6.6.6', after: '1.0' }]);
    expect(condition(status, 'Ready')).toMatchObject({ status: 'True', reason: 'DriftDetected' });
    const metrics = await c.metrics();
    for (const kind of ['Thing', 'Policy', 'TopicRule']) expect(metrics).toContain(`iotops_drifted_resources{kind="${kind}"} 1`);

    // Two more cycles: still reported once each, and the emulator saw no write from the controller.
    const finished = c.logs().filter((l) => l.msg === 'reconcile finished').length;
    await waitFor('two more cycles', () => c.logs().filter((l) => l.msg === 'reconcile finished').length >= finished + 2);
    expect(mutating(e)).toEqual(mutationsAfterDrift);
    expect(await live(e)).toEqual({ firmware: '6.6.6', policy: EVIL_POLICY, sql: EVIL_SQL });
    expect(c.logs().filter((l) => l.msg === 'drift detected').map((l) => l.resource).sort()).toEqual(DRIFTED);
    expect((await c.status()).drift.active).toHaveLength(3);
    expect(await c.stop()).toBe(0);
  });

  it('heal mode corrects the three drifts in the next reconcile and records them as corrected', async () => {
    const { env: e, ctl: c } = await startApplied('heal');
    const before = await live(e);
    expect(before.firmware).toBe('1.0');
    await driftBehindItsBack(e);
    const mark = c.logs().length;

    const status = await waitFor('three corrections', async () => {
      const s = await c.status();
      return s.drift.recent.filter((d) => d.resolution === 'corrected').length === 3 ? s : undefined;
    });
    // Corrected by the next reconcile (or partly by the one already running): within one interval.
    expect(reconcilesUntil(c.logs(), mark, 'drift corrected')).toBeLessThanOrEqual(1);
    expect(status.drift.active).toEqual([]);
    expect(status.drift.recent.map((d) => `${d.kind}/${d.name}`).sort()).toEqual(DRIFTED);
    expect(await live(e)).toEqual(before);
    expect(condition(status, 'Ready')).toMatchObject({ status: 'True', reason: 'ReconciliationSucceeded' });
    expect(await c.metrics()).not.toMatch(/iotops_drifted_resources\{[^}]*\} [1-9]/);
    for (const kind of ['Thing', 'Policy', 'TopicRule']) expect(await c.metrics()).toContain(`iotops_drift_corrections_total{kind="${kind}"} 1`);
    expect(c.logs().filter((l) => l.msg === 'drift corrected').map((l) => l.resource).sort()).toEqual(DRIFTED);
    expect(await c.stop()).toBe(0);
  });

  it('on SIGTERM during an apply, finishes the step in flight, starts no new one and exits 0', async () => {
    // Slow AWS (150 ms per call) and one step at a time: the first apply takes seconds.
    env = await startTestEmulator({ faults: 'latency=150ms,seed=1' });
    const things = Array.from({ length: 8 }, (_, i) => `apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: t${i} }\nspec: {}\n`).join('---\n');
    fleet = tempFleet({ 'iotops.yaml': 'fleetId: sigterm\n', 'things.yaml': things });
    const child = spawn(
      process.execPath,
      [join(REPO, 'bin/iotops.js'), 'run', '--fleet', 'fleet', '--endpoint', env.endpoint, '--listen', '127.0.0.1:0', '--interval', '30s', '--concurrency', '1', '--log-format', 'json', '--log-level', 'info'],
      { cwd: fleet.cwd, env: { PATH: process.env.PATH ?? '', HOME: fleet.cwd, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const msgs = () => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { msg: string }).msg);
    await waitFor('reconcile started', () => msgs().includes('reconcile started'), 20_000);
    await waitFor('first thing created', () => (env!.emulator.stats().CreateThing ?? 0) >= 1, 20_000);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const log = msgs();
    const stopping = log.indexOf('stopping after the steps in flight');
    expect(stopping).toBeGreaterThan(log.indexOf('reconcile started'));
    expect(log.indexOf('reconcile cancelled')).toBeGreaterThan(stopping);
    expect(log.indexOf('reconcile cancelled')).toBeLessThan(log.indexOf('controller stopped'));
    expect(log).not.toContain('reconcile finished');
    // Whatever was created is complete (in the inventory group, so managed), the rest was not started.
    const { things: live = [] } = await env.api.send('ListThings', {});
    expect(live.length).toBeGreaterThanOrEqual(1);
    expect(live.length).toBeLessThan(8);
    const { things: managed = [] } = await env.api.send('ListThingsInThingGroup', { thingGroupName: 'iotops-inventory-sigterm' });
    expect(managed.sort()).toEqual(live.map((t) => t.thingName!).sort());
  }, 40_000);
});

function mutating(e: TestEmulator): Record<string, number> {
  return Object.fromEntries(Object.entries(e.emulator.stats()).filter(([op]) => !/^(List|Describe|Get|Search)/.test(op)));
}
