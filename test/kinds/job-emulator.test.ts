// Job read and apply through the real SDK against the embedded emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IotApi } from '../../src/aws/iot-api.js';
import { jobKind, type JobLive } from '../../src/kinds/job.js';
import { type ApplyContext, type CompareContext, type ReadContext } from '../../src/kinds/types.js';
import { MANAGED_BY_TAG } from '../../src/model/live.js';
import type { DesiredResource, DesiredResourceOf, DesiredState } from '../../src/model/resource.js';
import type { JobSpec } from '../../src/kinds/job/spec.js';
import type { PlannedChange } from '../../src/model/plan.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { plannedChange } from '../support/changes.js';
import { readOwnershipLedger } from '../../src/kinds/shared/ownership-ledger.js';

const FLEET = 'fleet-j';

function state(resources: readonly DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: true, adopt: false, fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function readContext(api: IotApi, desired: DesiredState): ReadContext {
  return { api, fleetId: FLEET, desired, live: async () => [], groupMembers: async () => new Set<string>(), ownershipLedger: () => readOwnershipLedger(api, FLEET) };
}

function job(name: string, spec: Partial<JobSpec> = {}, tags: Record<string, string> = {}): DesiredResourceOf<'Job'> {
  return {
    kind: 'Job',
    name,
    tags,
    spec: {
      targets: { things: ['dev-1'], groups: ['berlin'] },
      targetSelection: 'SNAPSHOT',
      document: '{"operation":"update","version":"2.0"}',
      status: 'active',
      ...spec,
    },
    source: { file: 'j.yaml', line: 1, column: 1 },
  };
}

const change = (action: PlannedChange['action'], d: DesiredResourceOf<'Job'> | undefined, l?: JobLive, fields: PlannedChange['fields'] = []): PlannedChange =>
  plannedChange(action, d, l, { fleetId: FLEET, fields });

const compareCtx: CompareContext = { desired: state([]), live: new Map(), now: 0 };

describe('Job kind against the emulator', () => {
  let emu: TestEmulator;
  let applyCtx: ApplyContext;

  beforeAll(async () => {
    emu = await startTestEmulator();
    applyCtx = { api: emu.api, fleetId: FLEET, secretsDir: '/nonexistent', now: () => 0 };
    for (const thingName of ['dev-1', 'dev-2']) await emu.api.send('CreateThing', { thingName });
    await emu.api.send('CreateThingGroup', { thingGroupName: 'berlin' });
    await emu.api.send('AddThingToThingGroup', { thingGroupName: 'berlin', thingName: 'dev-2' });
  });
  afterAll(async () => emu.stop());

  const readOne = async (d: DesiredResourceOf<'Job'>): Promise<JobLive | undefined> =>
    (await jobKind.read(readContext(emu.api, state([d])))).find((j) => j.name === d.name);

  it('creates a tagged job on things and groups that reads back without drift', async () => {
    const d = job('fw-2', { description: 'firmware 2.0', rollout: { maximumPerMinute: 10 }, timeout: { inProgressTimeoutInMinutes: 30 } }, { team: 'fw' });

    await jobKind.apply!(change('create', d), applyCtx);
    const live = await readOne(d);

    expect(live).toMatchObject({
      ownership: 'managed',
      tags: { team: 'fw', [MANAGED_BY_TAG]: FLEET },
      state: { status: 'IN_PROGRESS', targets: { things: ['dev-1'], groups: ['berlin'] }, otherTargets: [] },
    });
    expect(jobKind.compare(d, live!, compareCtx)).toEqual({ fields: [] });
  });

  it('reads only declared and managed jobs', async () => {
    const api = emu.api;
    const thingArn = (await api.send('DescribeThing', { thingName: 'dev-1' })).thingArn!;
    await api.send('CreateJob', { jobId: 'foreign', targets: [thingArn], document: '{}' });
    await api.send('CreateJob', { jobId: 'declared', targets: [thingArn], document: '{}' });

    const live = await jobKind.read(readContext(api, state([job('declared')])));

    expect(live.map((j) => [j.name, j.ownership])).toEqual([
      ['declared', 'unmanaged'],
      ['fw-2', 'managed'],
    ]);
  });

  it('updates mutable configs with UpdateJob, cancels with CancelJob, then blocks a restart', async () => {
    const updated = job('fw-2', { description: 'firmware 2.0 (slower)', rollout: { maximumPerMinute: 2 }, timeout: { inProgressTimeoutInMinutes: 30 } }, { team: 'fw' });
    const cancelled = { ...updated, spec: { ...updated.spec, status: 'cancelled' as const } };

    const live0 = await readOne(updated);
    await jobKind.apply!(change('update', updated, live0, jobKind.compare(updated, live0!, compareCtx).fields), applyCtx);
    const live1 = await readOne(updated);
    const cancel = jobKind.compare(cancelled, live1!, compareCtx);
    await jobKind.apply!(change('update', cancelled, live1, cancel.fields), applyCtx);
    const live2 = await readOne(cancelled);

    expect(jobKind.compare(updated, live1!, compareCtx).fields).toEqual([]);
    expect(cancel.fields).toEqual([{ path: 'status', before: 'active', after: 'cancelled' }]);
    expect(live2?.state.status).toBe('CANCELED');
    expect(jobKind.compare(cancelled, live2!, compareCtx).fields).toEqual([]);
    expect(jobKind.compare(updated, live2!, compareCtx).blocked?.code).toBe('immutable-field');
  });

  it('blocks a changed document on the live job instead of replacing it', async () => {
    const d = job('fw-2', { document: '{"operation":"update","version":"3.0"}' });

    const result = jobKind.compare(d, (await readOne(d))!, compareCtx);

    expect(result.blocked?.message).toContain('create a new job name');
  });

  it('a rerun of a create converges; a group-only job declared cancelled is created and stopped', async () => {
    const d = job('fw-3', { status: 'cancelled', targets: { things: [], groups: ['berlin'] } });

    await jobKind.apply!(change('create', d), applyCtx);
    await jobKind.apply!(change('create', d), applyCtx);
    const live = await readOne(d);

    expect(live?.state).toMatchObject({ status: 'CANCELED', targets: { things: [], groups: ['berlin'] } });
    expect(jobKind.compare(d, live!, compareCtx)).toEqual({ fields: [] });
  });

  it('deletes (force) only managed jobs', async () => {
    const live = (await readOne(job('fw-3')))!;
    const foreign = (await readOne(job('declared')))!;

    await jobKind.apply!(change('delete', undefined, live), applyCtx);

    expect(await readOne(job('fw-3'))).toBeUndefined();
    await expect(jobKind.apply!(change('delete', undefined, foreign), applyCtx)).rejects.toThrow(/not managed/);
    await expect(jobKind.apply!(change('delete', undefined, live), applyCtx)).resolves.toBeUndefined();
  });
});
