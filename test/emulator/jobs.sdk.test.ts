// Job conformance through the real @aws-sdk/client-iot against the embedded emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddThingToThingGroupCommand,
  CancelJobCommand,
  CreateDynamicThingGroupCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  GetJobDocumentCommand,
  ListJobExecutionsForJobCommand,
  ListJobExecutionsForThingCommand,
  ListJobsCommand,
  ListTagsForResourceCommand,
  UpdateIndexingConfigurationCommand,
  UpdateJobCommand,
} from '@aws-sdk/client-iot';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

let t: TestEmulator;
const arns: Record<string, string> = {};
const document = JSON.stringify({ operation: 'update', version: '2.1.0' });

async function thing(name: string, attributes?: Record<string, string>) {
  arns[name] = (await t.iot.send(new CreateThingCommand({ thingName: name, attributePayload: attributes ? { attributes } : undefined }))).thingArn!;
}

async function group(name: string, parentGroupName?: string) {
  arns[name] = (await t.iot.send(new CreateThingGroupCommand({ thingGroupName: name, parentGroupName }))).thingGroupArn!;
}

async function executionThings(jobId: string): Promise<string[]> {
  const out = await t.iot.send(new ListJobExecutionsForJobCommand({ jobId }));
  return out.executionSummaries!.map((s) => s.thingArn!.split('/').pop()!).sort();
}

beforeAll(async () => {
  t = await startTestEmulator();
  for (const name of ['lone', 'a1', 'a2', 'b1']) await thing(name);
  await group('fleet');
  await group('fleet-b', 'fleet');
  await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet', thingName: 'a1' }));
  await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet', thingName: 'a2' }));
  await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet-b', thingName: 'b1' }));
});
afterAll(async () => t.stop());

describe('jobs over the SDK', () => {
  it('queues one execution per target thing and per member of target groups, child groups included', async () => {
    const out = await t.iot.send(new CreateJobCommand({
      jobId: 'snap1',
      targets: [arns.lone, arns.fleet],
      document,
      description: 'firmware 2.1.0',
      tags: [{ Key: 'rollout', Value: 'wave1' }],
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
    }));
    expect(out).toMatchObject({ jobId: 'snap1', jobArn: 'arn:aws:iot:us-east-1:123456789012:job/snap1', description: 'firmware 2.1.0' });
    expect(await executionThings('snap1')).toEqual(['a1', 'a2', 'b1', 'lone']);
    const { job } = await t.iot.send(new DescribeJobCommand({ jobId: 'snap1' }));
    expect(job).toMatchObject({
      status: 'IN_PROGRESS',
      targetSelection: 'SNAPSHOT',
      targets: [arns.lone, arns.fleet],
      timeoutConfig: { inProgressTimeoutInMinutes: 30 },
      jobProcessDetails: { numberOfQueuedThings: 4, numberOfSucceededThings: 0, numberOfCanceledThings: 0 },
    });
    expect(job!.createdAt).toBeInstanceOf(Date);
    expect((await t.iot.send(new GetJobDocumentCommand({ jobId: 'snap1' }))).document).toBe(document);
    expect((await t.iot.send(new ListTagsForResourceCommand({ resourceArn: out.jobArn }))).tags).toEqual([{ Key: 'rollout', Value: 'wave1' }]);
    const exec = await t.iot.send(new DescribeJobExecutionCommand({ jobId: 'snap1', thingName: 'b1' }));
    expect(exec.execution).toMatchObject({ jobId: 'snap1', status: 'QUEUED', thingArn: arns.b1, executionNumber: 1, versionNumber: 1 });
    const forThing = await t.iot.send(new ListJobExecutionsForThingCommand({ thingName: 'lone' }));
    expect(forThing.executionSummaries!.map((s) => [s.jobId, s.jobExecutionSummary!.status])).toEqual([['snap1', 'QUEUED']]);
  });

  it('refuses a second job with the same id, missing targets and oversized documents', async () => {
    expect(await failure(t.iot.send(new CreateJobCommand({ jobId: 'snap1', targets: [arns.lone], document })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      status: 409,
    });
    const missing = await failure(t.iot.send(new CreateJobCommand({ jobId: 'ghost', targets: [arns.lone.replace('lone', 'nobody')], document })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    const big = JSON.stringify({ blob: 'x'.repeat(33_000) });
    expect(await failure(t.iot.send(new CreateJobCommand({ jobId: 'big', targets: [arns.lone], document: big })))).toMatchObject({
      name: 'InvalidRequestException',
      status: 400,
    });
  });

  it('gives CONTINUOUS jobs executions for things that join a target group later; SNAPSHOT jobs do not change', async () => {
    await t.iot.send(new CreateJobCommand({ jobId: 'cont1', targets: [arns.fleet], document, targetSelection: 'CONTINUOUS' }));
    await t.iot.send(new CreateJobCommand({ jobId: 'snap2', targets: [arns.fleet], document }));
    await thing('late');
    await thing('late-child');
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet', thingName: 'late' }));
    await t.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet-b', thingName: 'late-child' }));
    expect(await executionThings('cont1')).toEqual(['a1', 'a2', 'b1', 'late', 'late-child']);
    expect(await executionThings('snap2')).toEqual(['a1', 'a2', 'b1']);
  });

  it('gives CONTINUOUS jobs on a dynamic group executions for things that start matching', async () => {
    await t.iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }));
    const dyn = await t.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'charged', queryString: 'attributes.battery:full' }));
    await t.iot.send(new CreateJobCommand({ jobId: 'dyn1', targets: [dyn.thingGroupArn!], document, targetSelection: 'CONTINUOUS' }));
    expect(await executionThings('dyn1')).toEqual([]);
    await thing('charged1', { battery: 'full' });
    expect(await executionThings('dyn1')).toEqual(['charged1']);
  });

  it('updates only the mutable fields', async () => {
    await t.iot.send(new UpdateJobCommand({ jobId: 'snap1', description: 'firmware 2.1.1', abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 5 }] } }));
    const { job } = await t.iot.send(new DescribeJobCommand({ jobId: 'snap1' }));
    expect(job).toMatchObject({ description: 'firmware 2.1.1', abortConfig: { criteriaList: [{ thresholdPercentage: 10 }] }, timeoutConfig: { inProgressTimeoutInMinutes: 30 } });
    const bad = await failure(t.iot.send(new UpdateJobCommand({ jobId: 'snap1', timeoutConfig: { inProgressTimeoutInMinutes: 99_999 } })));
    expect(bad).toMatchObject({ name: 'InvalidRequestException', status: 400 });
  });

  it('cancels queued executions, then deletes; an in-progress job needs force to delete', async () => {
    const notTerminal = await failure(t.iot.send(new DeleteJobCommand({ jobId: 'snap2' })));
    expect(notTerminal).toMatchObject({ name: 'InvalidStateTransitionException', status: 409 });
    const canceled = await t.iot.send(new CancelJobCommand({ jobId: 'snap2', reasonCode: 'BAD_BUILD', comment: 'bricks devices' }));
    expect(canceled.jobId).toBe('snap2');
    const { job } = await t.iot.send(new DescribeJobCommand({ jobId: 'snap2' }));
    expect(job).toMatchObject({ status: 'CANCELED', forceCanceled: false, reasonCode: 'BAD_BUILD', comment: 'bricks devices', jobProcessDetails: { numberOfCanceledThings: 3, numberOfQueuedThings: 0 } });
    const statuses = await t.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'snap2', status: 'CANCELED' }));
    expect(statuses.executionSummaries).toHaveLength(3);
    await t.iot.send(new DeleteJobCommand({ jobId: 'snap2' }));
    expect(await failure(t.iot.send(new DescribeJobCommand({ jobId: 'snap2' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    await t.iot.send(new DeleteJobCommand({ jobId: 'dyn1', force: true }));
    expect(await failure(t.iot.send(new GetJobDocumentCommand({ jobId: 'dyn1' })))).toMatchObject({ status: 404 });
  });

  it('completes a snapshot job with no targets to run on', async () => {
    await group('empty');
    await t.iot.send(new CreateJobCommand({ jobId: 'nothing', targets: [arns.empty], document }));
    const { job } = await t.iot.send(new DescribeJobCommand({ jobId: 'nothing' }));
    expect(job!.status).toBe('COMPLETED');
    expect(job!.completedAt).toBeInstanceOf(Date);
  });

  it('keeps a job with a future startTime SCHEDULED, without executions, until its start', async () => {
    const startTime = new Date(t.emu.clock.now() + 3_600_000).toISOString();
    await t.iot.send(new CreateJobCommand({ jobId: 'later', targets: [arns.lone], document, schedulingConfig: { startTime } }));
    expect((await t.iot.send(new DescribeJobCommand({ jobId: 'later' }))).job!.status).toBe('SCHEDULED');
    expect(await executionThings('later')).toEqual([]);
    t.emu.clock.advance(3_600_000);
    expect((await t.iot.send(new DescribeJobCommand({ jobId: 'later' }))).job!.status).toBe('IN_PROGRESS');
    expect(await executionThings('later')).toEqual(['lone']);
    await t.iot.send(new DeleteJobCommand({ jobId: 'later', force: true }));
  });

  it('refuses to cancel a completed job', async () => {
    expect(await failure(t.iot.send(new CancelJobCommand({ jobId: 'nothing' })))).toMatchObject({ name: 'InvalidRequestException', status: 400 });
  });

  it('filters and pages ListJobs', async () => {
    for (let i = 0; i < 5; i++) await t.iot.send(new CreateJobCommand({ jobId: `bulk${i}`, targets: [arns.lone], document }));
    const cont = await t.iot.send(new ListJobsCommand({ targetSelection: 'CONTINUOUS' }));
    expect(cont.jobs!.map((j) => j.jobId)).toEqual(['cont1']);
    const byGroup = await t.iot.send(new ListJobsCommand({ thingGroupName: 'fleet' }));
    expect(byGroup.jobs!.map((j) => j.jobId).sort()).toEqual(['cont1', 'snap1']);
    const completed = await t.iot.send(new ListJobsCommand({ status: 'COMPLETED' }));
    expect(completed.jobs!.map((j) => j.jobId)).toEqual(['nothing']);
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await t.iot.send(new ListJobsCommand({ maxResults: 3, nextToken }));
      expect(page.jobs!.length).toBeLessThanOrEqual(3);
      seen.push(...page.jobs!.map((j) => j.jobId!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen.sort()).toEqual(['bulk0', 'bulk1', 'bulk2', 'bulk3', 'bulk4', 'cont1', 'nothing', 'snap1']);
  });
});
