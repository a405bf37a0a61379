// Job apply: CreateJob (with tags), UpdateJob for the mutable configs, CancelJob, and DeleteJob
// (force) for pruned managed jobs. Target ARNs are built from the ARN of one target read back
// from AWS, so partition, region and account are never guessed.
import type { IotApi, IotInput } from '../../aws/iot-api.js';
import type { JobSpec } from './spec.js';
import type { PlannedChange } from '../../model/plan.js';
import { type ApplyContext } from '../types.js';
import { MANAGED_BY_TAG } from '../../model/live.js';
import { arnPrefix } from '../shared/arns.js';
import { isAwsError } from '../../aws/errors.js';
import { retryOn, unlessNotFound } from '../shared/aws-errors.js';
import { desiredOf } from '../shared/change-data.js';
import { ownedTags, readTags, recordToTags, syncTags } from '../shared/tags.js';
import { liveJobStatus } from './compare.js';

/** AWS allows 10 jobs in DELETION_IN_PROGRESS at once (LimitExceededException beyond). */
export const DELETE_LIMIT_DELAYS_MS: readonly number[] = [2000, 5000, 10000, 20000, 30000, 60000];

type CreateInput = IotInput<'CreateJob'>;

async function targetArnPrefix(api: IotApi, spec: JobSpec): Promise<string> {
  const thing = spec.targets.things[0];
  const group = spec.targets.groups[0];
  const arn = thing !== undefined
    ? (await api.send('DescribeThing', { thingName: thing })).thingArn
    : group !== undefined
      ? (await api.send('DescribeThingGroup', { thingGroupName: group })).thingGroupArn
      : undefined;
  const prefix = arn === undefined ? undefined : arnPrefix(arn);
  if (prefix === undefined) throw new Error('cannot build job target ARNs: the job has no target thing or group');
  return prefix;
}

export async function targetArns(api: IotApi, spec: JobSpec): Promise<string[]> {
  const prefix = await targetArnPrefix(api, spec);
  return [...spec.targets.things.map((t) => `${prefix}thing/${t}`), ...spec.targets.groups.map((g) => `${prefix}thinggroup/${g}`)];
}

/** The UpdateJob/CreateJob members the manifest declares (absent ones are left alone). */
function mutableConfig(spec: JobSpec): Pick<CreateInput, 'description' | 'jobExecutionsRolloutConfig' | 'abortConfig' | 'timeoutConfig' | 'jobExecutionsRetryConfig'> {
  return {
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(spec.rollout !== undefined ? { jobExecutionsRolloutConfig: spec.rollout as CreateInput['jobExecutionsRolloutConfig'] } : {}),
    ...(spec.abort !== undefined ? { abortConfig: spec.abort as unknown as CreateInput['abortConfig'] } : {}),
    ...(spec.timeout !== undefined ? { timeoutConfig: spec.timeout as CreateInput['timeoutConfig'] } : {}),
    ...(spec.retry !== undefined ? { jobExecutionsRetryConfig: spec.retry as unknown as CreateInput['jobExecutionsRetryConfig'] } : {}),
  };
}

async function cancelIfActive(api: IotApi, jobId: string): Promise<void> {
  const status = (await api.send('DescribeJob', { jobId })).job?.status ?? '';
  if (liveJobStatus(status) === 'active') await api.send('CancelJob', { jobId });
}

async function createJob(api: IotApi, change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const { spec, tags } = desiredOf<'Job'>(change);
  try {
    await api.send('CreateJob', {
      jobId: change.name,
      targets: await targetArns(api, spec),
      document: spec.document,
      targetSelection: spec.targetSelection,
      ...mutableConfig(spec),
      tags: recordToTags(ownedTags(tags, ctx.fleetId)),
    });
  } catch (err) {
    if (!isAwsError(err, 'ResourceAlreadyExistsException')) throw err;
    // A previous run created it: fine if it is ours (the next plan compares the rest).
    const arn = (await api.send('DescribeJob', { jobId: change.name })).job?.jobArn ?? '';
    if ((await readTags(api, arn))[MANAGED_BY_TAG] !== ctx.fleetId) throw err;
  }
  // A job declared cancelled from the start is created and stopped at once, so the fleet converges.
  if (spec.status === 'cancelled') await cancelIfActive(api, change.name);
}

async function updateJob(api: IotApi, change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const { spec, tags } = desiredOf<'Job'>(change);
  const isTag = (path: string): boolean => path === 'tags' || path.startsWith('tags.');
  if (change.action === 'adopt' || change.fields.some((f) => isTag(f.path))) {
    const arn = (await api.send('DescribeJob', { jobId: change.name })).job?.jobArn ?? '';
    await syncTags(api, arn, tags, undefined, ctx.fleetId);
  }
  const configChanged = change.fields.some((f) => !isTag(f.path) && f.path !== 'status');
  if (configChanged) await api.send('UpdateJob', { jobId: change.name, ...mutableConfig(spec) });
  if (spec.status === 'cancelled') await cancelIfActive(api, change.name);
}

async function deleteJob(api: IotApi, jobId: string, fleetId: string): Promise<void> {
  const described = await unlessNotFound(() => api.send('DescribeJob', { jobId }));
  if (described === undefined) return;
  const job = described.job;
  if (job === undefined || job.status === 'DELETION_IN_PROGRESS') return;
  if ((await readTags(api, job.jobArn ?? ''))[MANAGED_BY_TAG] !== fleetId) {
    throw new Error(`Job/${jobId} is not managed by fleet ${fleetId}; refusing to delete it`);
  }
  await retryOn({ on: ['LimitExceededException'], delaysMs: DELETE_LIMIT_DELAYS_MS }, () => api.send('DeleteJob', { jobId, force: true }));
}

export async function applyJob(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  switch (change.action) {
    case 'create':
      return createJob(ctx.api, change, ctx);
    case 'update':
    case 'adopt':
      return updateJob(ctx.api, change, ctx);
    case 'replace':
      throw new Error(`Job/${change.name}: jobs are never replaced; create a new job name`);
    case 'delete':
      return deleteJob(ctx.api, change.name, ctx.fleetId);
  }
}
