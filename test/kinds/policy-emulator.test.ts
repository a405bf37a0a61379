// Policy read and apply through the real SDK against the embedded emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IotApi } from '../../src/aws/iot-api.js';
import { policyKind, type PolicyLive } from '../../src/kinds/policy.js';
import { deletePolicy } from '../../src/kinds/policy/apply.js';
import { comparePolicy, versionToPrune } from '../../src/kinds/policy/compare.js';
import { type ApplyContext, type ReadContext } from '../../src/kinds/types.js';
import { MANAGED_BY_TAG, type LiveResource } from '../../src/model/live.js';
import type { DesiredResource, DesiredResourceOf, DesiredState, KindName } from '../../src/model/resource.js';
import type { PlannedChange } from '../../src/model/plan.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { plannedChange } from '../support/changes.js';
import { readOwnershipLedger } from '../../src/kinds/shared/ownership-ledger.js';

const FLEET = 'fleet-p';

function state(resources: readonly DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: true, adopt: false, fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function readContext(api: IotApi, desired: DesiredState): ReadContext {
  const ctx: ReadContext = {
    api,
    fleetId: FLEET,
    desired,
    live: <K extends KindName>(kind: K) =>
      (kind === 'Policy' ? policyKind.read(ctx) : Promise.resolve([])) as Promise<readonly LiveResource<K>[]>,
    groupMembers: async () => new Set<string>(),
    ownershipLedger: () => readOwnershipLedger(api, FLEET),
  };
  return ctx;
}

const doc = (...actions: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

function policy(name: string, document: Record<string, unknown>, tags: Record<string, string> = {}): DesiredResourceOf<'Policy'> {
  return { kind: 'Policy', name, tags, spec: { document }, source: { file: 'p.yaml', line: 1, column: 1 } };
}

const change = (action: PlannedChange['action'], d: DesiredResourceOf<'Policy'> | undefined, l?: PolicyLive, fields: PlannedChange['fields'] = []): PlannedChange =>
  plannedChange(action, d, l, { fleetId: FLEET, fields });

describe('Policy kind against the emulator', () => {
  let emu: TestEmulator;
  let applyCtx: ApplyContext;

  beforeAll(async () => {
    emu = await startTestEmulator();
    applyCtx = { api: emu.api, fleetId: FLEET, secretsDir: '/nonexistent', now: () => 0 };
  });
  afterAll(async () => emu.stop());

  async function readOne(desired: DesiredState, name: string): Promise<PolicyLive | undefined> {
    return (await policyKind.read(readContext(emu.api, desired))).find((p) => p.name === name);
  }

  const versionsOf = async (policyName: string): Promise<string[]> =>
    ((await emu.api.send('ListPolicyVersions', { policyName })).policyVersions ?? []).map((v) => v.versionId!).sort((a, b) => Number(a) - Number(b));

  it('reads declared and managed policies only, with targets and ownership', async () => {
    const api = emu.api;
    await api.send('CreatePolicy', { policyName: 'scope-declared', policyDocument: JSON.stringify(doc('iot:Connect')) });
    await api.send('CreatePolicy', { policyName: 'scope-managed', policyDocument: JSON.stringify(doc('iot:Connect')), tags: [{ Key: MANAGED_BY_TAG, Value: FLEET }] });
    await api.send('CreatePolicy', { policyName: 'scope-other-fleet', policyDocument: JSON.stringify(doc('iot:Connect')), tags: [{ Key: MANAGED_BY_TAG, Value: 'other' }] });
    await api.send('CreatePolicy', { policyName: 'scope-unrelated', policyDocument: JSON.stringify(doc('iot:Connect')) });
    await api.send('CreatePolicyVersion', { policyName: 'scope-managed', policyDocument: JSON.stringify(doc('iot:Publish')), setAsDefault: true });
    const group = await api.send('CreateThingGroup', { thingGroupName: 'scope-group' });
    await api.send('AttachPolicy', { policyName: 'scope-managed', target: group.thingGroupArn });

    const live = await policyKind.read(readContext(api, state([policy('scope-declared', doc('iot:Connect'))])));

    const names = live.map((p) => p.name).filter((n) => n.startsWith('scope-'));
    expect(names).toEqual(['scope-declared', 'scope-managed']);
    const declared = live.find((p) => p.name === 'scope-declared')!;
    const managed = live.find((p) => p.name === 'scope-managed')!;
    expect(declared.ownership).toBe('unmanaged');
    expect(managed.ownership).toBe('managed');
    expect(managed.state).toMatchObject({ defaultVersionId: '2', targets: [group.thingGroupArn], document: doc('iot:Publish') });
    // Version lists only matter to an update that creates a version: neither policy gets one.
    expect(managed.state.versionIds).toBeUndefined();
    expect(declared.state.versionIds).toBeUndefined();
  });

  it('lists versions only for a declared policy whose default document differs from the manifest', async () => {
    const api = emu.api;
    await api.send('CreatePolicy', { policyName: 'ver-same', policyDocument: JSON.stringify(doc('iot:Connect')) });
    await api.send('CreatePolicy', { policyName: 'ver-changed', policyDocument: JSON.stringify(doc('iot:Connect')) });
    await api.send('CreatePolicyVersion', { policyName: 'ver-changed', policyDocument: JSON.stringify(doc('iot:Publish')), setAsDefault: false });
    const before = emu.emulator.statsDetail().calls.ListPolicyVersions ?? 0;

    const live = await policyKind.read(readContext(api, state([policy('ver-same', doc('iot:Connect')), policy('ver-changed', doc('iot:Subscribe'))])));

    expect(live.find((p) => p.name === 'ver-same')!.state.versionIds).toBeUndefined();
    expect(live.find((p) => p.name === 'ver-changed')!.state.versionIds).toEqual(['1', '2']);
    expect((emu.emulator.statsDetail().calls.ListPolicyVersions ?? 0) - before).toBe(1);
  });

  it('creates a tagged policy that reads back without drift', async () => {
    const d = policy('roundtrip', { Statement: { Action: 'iot:Connect', Effect: 'Allow', Resource: ['*'] }, Version: '2012-10-17' }, { team: 'climate' });

    await policyKind.apply!(change('create', d), applyCtx);
    const live = await readOne(state([d]), 'roundtrip');

    expect(live?.ownership).toBe('managed');
    expect(live?.tags).toEqual({ team: 'climate', [MANAGED_BY_TAG]: FLEET });
    expect(comparePolicy(d, live!).fields).toEqual([]);
  });

  it('keeps at most 5 versions, pruning the version the plan announced, and reruns without new versions', async () => {
    const name = 'versions';
    const first = policy(name, doc('iot:Connect'));
    await policyKind.apply!(change('create', first), applyCtx);
    const actions = ['iot:Publish', 'iot:Subscribe', 'iot:Receive', 'iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow'];
    const announced: (string | undefined)[] = [];
    for (const action of actions) {
      const d = policy(name, doc(action));
      const live = (await readOne(state([d]), name))!;
      announced.push(versionToPrune(live.state.versionIds ?? [], live.state.defaultVersionId));
      await policyKind.apply!(change('update', d, live, comparePolicy(d, live).fields), applyCtx);
    }
    const last = policy(name, doc(actions[actions.length - 1]!));
    const before = (await readOne(state([last]), name))!;
    await policyKind.apply!(change('update', last, before, []), applyCtx);
    const after = (await readOne(state([last]), name))!;

    expect(announced).toEqual([undefined, undefined, undefined, undefined, '1', '2']);
    expect(await versionsOf(name)).toEqual(['3', '4', '5', '6', '7']);
    expect(after.state.defaultVersionId).toBe('7');
    expect(comparePolicy(last, after).fields).toEqual([]);
  });

  it('prunes again and retries once when a version appears between its prune and CreatePolicyVersion', async () => {
    const name = 'racy';
    await policyKind.apply!(change('create', policy(name, doc('iot:Connect'))), applyCtx);
    for (const action of ['iot:Publish', 'iot:Subscribe', 'iot:Receive']) {
      await emu.api.send('CreatePolicyVersion', { policyName: name, policyDocument: JSON.stringify(doc(action)), setAsDefault: false });
    }
    let raced = false;
    // Another writer adds the 5th version just before our first CreatePolicyVersion.
    const racingApi: IotApi = {
      send: (async (operation: string, input: never) => {
        if (operation === 'CreatePolicyVersion' && !raced) {
          raced = true;
          await emu.api.send('CreatePolicyVersion', { policyName: name, policyDocument: JSON.stringify(doc('iot:GetThingShadow')), setAsDefault: false });
        }
        return emu.api.send(operation as never, input);
      }) as IotApi['send'],
    };
    const d = policy(name, doc('iot:UpdateThingShadow'));

    await policyKind.apply!(change('update', d, (await readOne(state([d]), name))!, [{ path: 'document' }]), { ...applyCtx, api: racingApi });
    const after = (await readOne(state([d]), name))!;

    expect(raced).toBe(true);
    expect(await versionsOf(name)).toHaveLength(5);
    expect(await versionsOf(name)).not.toContain('2');
    expect(comparePolicy(d, after).fields).toEqual([]);
  });

  it('deletes a managed policy attached to a group and with old versions, waiting out the detach lag', async () => {
    const api = emu.api;
    const d = policy('doomed', doc('iot:Connect'));
    await policyKind.apply!(change('create', d), applyCtx);
    await api.send('CreatePolicyVersion', { policyName: 'doomed', policyDocument: JSON.stringify(doc('iot:Publish')), setAsDefault: true });
    const group = await api.send('CreateThingGroup', { thingGroupName: 'doomed-group' });
    await api.send('AttachPolicy', { policyName: 'doomed', target: group.thingGroupArn });
    const live = (await readOne(state([d]), 'doomed'))!;
    // AWS answers DeleteConflictException for a while after a detach; apply must wait it out.
    emu.emulator.state.securitySettings = { detachPropagationMs: 300 };
    emu.api.resetStats();

    await policyKind.apply!(change('delete', undefined, live), applyCtx).finally(() => {
      emu.emulator.state.securitySettings = {};
    });

    expect(emu.api.stats().byOperation['DeletePolicy']?.errors).toBe(1);
    await expect(api.send('GetPolicy', { policyName: 'doomed' })).rejects.toMatchObject({ awsErrorName: 'ResourceNotFoundException' });
    await expect(policyKind.apply!(change('delete', undefined, live), applyCtx)).resolves.toBeUndefined();
  });

  it('refuses to delete a policy it cannot prove it manages', async () => {
    await emu.api.send('CreatePolicy', { policyName: 'foreign', policyDocument: JSON.stringify(doc('iot:Connect')) });

    await expect(deletePolicy(emu.api, 'foreign', FLEET)).rejects.toThrow(/not managed/);
    await expect(emu.api.send('GetPolicy', { policyName: 'foreign' })).resolves.toMatchObject({ policyName: 'foreign' });
  });

  it('adopts an unmanaged policy by tagging it and setting its document', async () => {
    await emu.api.send('CreatePolicy', { policyName: 'adoptee', policyDocument: JSON.stringify(doc('iot:Connect')) });
    const d = policy('adoptee', doc('iot:Publish'));
    const live = (await readOne(state([d]), 'adoptee'))!;

    await policyKind.apply!(change('adopt', d, live, comparePolicy(d, live).fields), applyCtx);
    const after = (await readOne(state([d]), 'adoptee'))!;

    expect(after.ownership).toBe('managed');
    expect(comparePolicy(d, after).fields).toEqual([]);
  });
});
