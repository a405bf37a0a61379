// TopicRule read and apply through the real SDK against the embedded emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IotApi } from '../../src/aws/iot-api.js';
import { topicRuleKind, type TopicRuleLive } from '../../src/kinds/topic-rule.js';
import { type ApplyContext, type CompareContext, type ReadContext } from '../../src/kinds/types.js';
import { MANAGED_BY_TAG } from '../../src/model/live.js';
import type { DesiredResource, DesiredResourceOf, DesiredState } from '../../src/model/resource.js';
import type { TopicRuleSpec } from '../../src/kinds/topic-rule/spec.js';
import type { PlannedChange } from '../../src/model/plan.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { plannedChange } from '../support/changes.js';
import { readOwnershipLedger } from '../../src/kinds/shared/ownership-ledger.js';

const FLEET = 'fleet-r';
const ROLE = 'arn:aws:iam::123456789012:role/rules';
const kinesis = { kinesis: { streamName: 'telemetry', roleArn: ROLE, partitionKey: '${topic()}' } };
const republish = { republish: { topic: 'alerts/${topic(2)}', roleArn: ROLE } };

function state(resources: readonly DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: true, adopt: false, fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function readContext(api: IotApi, desired: DesiredState): ReadContext {
  return { api, fleetId: FLEET, desired, live: async () => [], groupMembers: async () => new Set<string>(), ownershipLedger: () => readOwnershipLedger(api, FLEET) };
}

function rule(name: string, spec: Partial<TopicRuleSpec> = {}, tags: Record<string, string> = {}): DesiredResourceOf<'TopicRule'> {
  return {
    kind: 'TopicRule',
    name,
    tags,
    spec: { sql: "SELECT * FROM 'telemetry/+'", sqlVersion: '2016-03-23', enabled: true, actions: [kinesis, republish], ...spec },
    source: { file: 'r.yaml', line: 1, column: 1 },
  };
}

const change = (action: PlannedChange['action'], d: DesiredResourceOf<'TopicRule'> | undefined, l?: TopicRuleLive, fields: PlannedChange['fields'] = []): PlannedChange =>
  plannedChange(action, d, l, { fleetId: FLEET, fields });

const compareCtx: CompareContext = { desired: state([]), live: new Map(), now: 0 };

describe('TopicRule kind against the emulator', () => {
  let emu: TestEmulator;
  let applyCtx: ApplyContext;

  beforeAll(async () => {
    emu = await startTestEmulator();
    applyCtx = { api: emu.api, fleetId: FLEET, secretsDir: '/nonexistent', now: () => 0 };
  });
  afterAll(async () => emu.stop());

  const readOne = async (d: DesiredResourceOf<'TopicRule'>): Promise<TopicRuleLive | undefined> =>
    (await topicRuleKind.read(readContext(emu.api, state([d])))).find((r) => r.name === d.name);

  it('creates a rule with tags and an explicit SQL version that reads back without drift', async () => {
    const d = rule('roundtrip', { description: 'to kinesis', errorAction: republish }, { team: 'data' });

    await topicRuleKind.apply!(change('create', d), applyCtx);
    const live = await readOne(d);

    expect(live).toMatchObject({ ownership: 'managed', tags: { team: 'data', [MANAGED_BY_TAG]: FLEET }, state: { sqlVersion: '2016-03-23', enabled: true } });
    expect(topicRuleKind.compare(d, live!, compareCtx).fields).toEqual([]);
  });

  it('reads only declared and managed rules; a rule created without a version reads as 2015-10-08', async () => {
    const api = emu.api;
    await api.send('CreateTopicRule', { ruleName: 'legacy', topicRulePayload: { sql: "SELECT * FROM 'a'", actions: [kinesis] } });
    await api.send('CreateTopicRule', { ruleName: 'unrelated', topicRulePayload: { sql: "SELECT * FROM 'b'", actions: [kinesis] } });
    const d = rule('legacy', { sql: "SELECT * FROM 'a'", actions: [kinesis] });

    const names = (await topicRuleKind.read(readContext(api, state([d])))).map((r) => r.name);
    const legacy = await readOne(d);

    expect(names).toEqual(['legacy', 'roundtrip']);
    expect(legacy).toMatchObject({ ownership: 'unmanaged', state: { sqlVersion: '2015-10-08' } });
    expect(topicRuleKind.compare(d, legacy!, compareCtx).fields.map((f) => f.path)).toEqual(['sqlVersion']);
  });

  it('toggles enabled alone with Disable/EnableTopicRule and replaces the whole payload otherwise', async () => {
    const base = rule('roundtrip', { description: 'to kinesis', errorAction: republish }, { team: 'data' });
    const disabled = rule('roundtrip', { description: 'to kinesis', errorAction: republish, enabled: false }, { team: 'data' });
    const rewritten = rule('roundtrip', { sql: "SELECT temp FROM 'telemetry/+'", actions: [republish], enabled: false }, { team: 'ops' });

    const live0 = await readOne(base);
    emu.api.resetStats();
    await topicRuleKind.apply!(change('update', disabled, live0, topicRuleKind.compare(disabled, live0!, compareCtx).fields), applyCtx);
    const toggled = { ...emu.api.stats().byOperation };
    const live1 = await readOne(disabled);
    const fields = [...topicRuleKind.compare(rewritten, live1!, compareCtx).fields, { path: 'tags.team', before: 'data', after: 'ops' }];
    await topicRuleKind.apply!(change('update', rewritten, live1, fields), applyCtx);
    const live2 = await readOne(rewritten);

    expect(toggled['DisableTopicRule']?.calls).toBe(1);
    expect(toggled['ReplaceTopicRule']).toBeUndefined();
    expect(emu.api.stats().byOperation['ReplaceTopicRule']?.calls).toBe(1);
    expect(live1?.state.enabled).toBe(false);
    expect(topicRuleKind.compare(disabled, live1!, compareCtx).fields).toEqual([]);
    expect(live2?.tags).toEqual({ team: 'ops', [MANAGED_BY_TAG]: FLEET });
    expect(live2?.state).toMatchObject({ sqlVersion: '2016-03-23', enabled: false, actions: [republish] });
    expect(live2?.state.errorAction).toBeUndefined();
    expect(topicRuleKind.compare(rewritten, live2!, compareCtx).fields).toEqual([]);
  });

  it('converges when a create is rerun after the rule was made', async () => {
    const d = rule('rerun');
    await topicRuleKind.apply!(change('create', d), applyCtx);

    await topicRuleKind.apply!(change('create', rule('rerun', { enabled: false })), applyCtx);

    expect((await readOne(d))?.state.enabled).toBe(false);
  });

  it('deletes managed rules only', async () => {
    const d = rule('rerun');
    const live = await readOne(d);
    const foreign = await readOne(rule('legacy'));

    await topicRuleKind.apply!(change('delete', undefined, live), applyCtx);

    expect(await readOne(d)).toBeUndefined();
    await expect(topicRuleKind.apply!(change('delete', undefined, foreign), applyCtx)).rejects.toThrow(/not managed/);
    await expect(topicRuleKind.apply!(change('delete', undefined, live), applyCtx)).resolves.toBeUndefined();
  });
});
