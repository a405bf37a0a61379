// Jobs and their executions. Executions are created QUEUED for every target thing and every
// member of a target group (recursively through child groups); CONTINUOUS jobs also pick up things
// that join a target group later (onGroupMembershipChanged). There is no device side, so
// executions only leave QUEUED through CancelJob. DeleteJob completes immediately.
import { arn, type EmulatorState, type JobExecutionRecord, type JobRecord, type JobStatus } from '../state.js';
import { optBool, optInt, optString, paginate, REGISTRY_PAGES, reqString, storeTagList } from './policies.js';
import { errors, type OpContext, type OpInput, type OpTable } from './types.js';

const JOB_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_DOCUMENT_BYTES = 32768;
/** Active snapshot and active continuous jobs, each [AWS-IOT-FACTS §2 Jobs]. */
const MAX_ACTIVE_JOBS = 100;
const THING_ARN = /^arn:aws[\w-]*:iot:[^:]*:[^:]*:thing\/([a-zA-Z0-9:_-]+)$/;
const GROUP_ARN = /^arn:aws[\w-]*:iot:[^:]*:[^:]*:thinggroup\/([a-zA-Z0-9:_-]+)$/;
const TERMINAL_EXECUTION = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'REJECTED', 'REMOVED', 'CANCELED']);

/** The configs UpdateJob may change; everything else about a job is fixed at creation. */
const UPDATABLE_CONFIGS = [
  'presignedUrlConfig',
  'jobExecutionsRolloutConfig',
  'abortConfig',
  'timeoutConfig',
  'jobExecutionsRetryConfig',
] as const;

type Config = Readonly<Record<string, unknown>> | undefined;

function inRange(v: unknown, min: number, max: number, what: string): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || v < min || v > max) throw errors.invalidRequest(`${what} must be between ${min} and ${max}`);
}

/** The model's ranges for the job configs [AWS-IOT-FACTS §2 Jobs]. */
function checkUpdatableConfigs(input: OpInput): void {
  const presigned = input.presignedUrlConfig as Config;
  inRange(presigned?.expiresInSec, 60, 3600, 'presignedUrlConfig.expiresInSec');
  const timeout = input.timeoutConfig as Config;
  inRange(timeout?.inProgressTimeoutInMinutes, 1, 10080, 'timeoutConfig.inProgressTimeoutInMinutes');
  const rollout = input.jobExecutionsRolloutConfig as Config;
  inRange(rollout?.maximumPerMinute, 1, 1000, 'jobExecutionsRolloutConfig.maximumPerMinute');
  const rate = rollout?.exponentialRate as Config;
  inRange(rate?.baseRatePerMinute, 1, 1000, 'exponentialRate.baseRatePerMinute');
  inRange(rate?.incrementFactor, 1.1, 5, 'exponentialRate.incrementFactor');
  const abort = input.abortConfig as Config;
  if (abort !== undefined) {
    const list = abort.criteriaList;
    if (!Array.isArray(list) || list.length === 0) throw errors.invalidRequest('abortConfig.criteriaList must not be empty');
    for (const c of list as Config[]) {
      if (!['FAILED', 'REJECTED', 'TIMED_OUT', 'ALL'].includes(String(c?.failureType))) throw errors.invalidRequest('Invalid abort failureType');
      if (c?.action !== 'CANCEL') throw errors.invalidRequest('abortConfig action must be CANCEL');
      inRange(c?.thresholdPercentage, 0, 100, 'abortConfig.thresholdPercentage');
      inRange(c?.minNumberOfExecutedThings, 1, Number.MAX_SAFE_INTEGER, 'abortConfig.minNumberOfExecutedThings');
    }
  }
  const retry = input.jobExecutionsRetryConfig as Config;
  if (retry !== undefined) {
    const list = retry.criteriaList;
    if (!Array.isArray(list) || list.length < 1 || list.length > 2) throw errors.invalidRequest('jobExecutionsRetryConfig.criteriaList takes 1-2 entries');
    for (const c of list as Config[]) {
      if (!['FAILED', 'TIMED_OUT', 'ALL'].includes(String(c?.failureType))) throw errors.invalidRequest('Invalid retry failureType');
      inRange(c?.numberOfRetries, 0, 10, 'jobExecutionsRetryConfig.numberOfRetries');
    }
  }
}

function getJob(state: EmulatorState, jobId: string): JobRecord {
  const job = state.jobs.get(jobId);
  if (!job) throw errors.notFound(`Job ${jobId} cannot be found.`);
  return job;
}

function thingArn(state: EmulatorState, thingName: string): string {
  return state.things.get(thingName)?.thingArn ?? arn(state, `thing/${thingName}`);
}

/** Things a group covers: its members and, for static groups, the members of its descendants. */
function groupThings(state: EmulatorState, groupName: string, out: Set<string>): void {
  const names = new Set([groupName]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const g of state.thingGroups.values()) {
      if (g.parentGroupName && names.has(g.parentGroupName) && !names.has(g.thingGroupName)) {
        names.add(g.thingGroupName);
        grew = true;
      }
    }
  }
  for (const n of names) for (const t of state.thingGroups.get(n)?.members ?? []) out.add(t);
}

function targetThings(state: EmulatorState, targets: readonly string[]): Set<string> {
  const things = new Set<string>();
  for (const t of targets) {
    const thing = THING_ARN.exec(t);
    if (thing) things.add(thing[1]);
    const group = GROUP_ARN.exec(t);
    if (group) groupThings(state, group[1], things);
  }
  return things;
}

function checkTargets(state: EmulatorState, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw errors.invalidRequest('targets must list at least one thing or thing group ARN');
  return value.map((t) => {
    if (typeof t !== 'string') throw errors.invalidRequest('targets must be ARNs');
    const thing = THING_ARN.exec(t);
    if (thing && state.things.get(thing[1])?.thingArn === t) return t;
    const group = GROUP_ARN.exec(t);
    if (group && state.thingGroups.get(group[1])?.thingGroupArn === t) return t;
    if (thing || group) throw errors.notFound(`Target ${t} does not exist`);
    throw errors.invalidRequest(`Target ${t} is not a thing or thing group ARN`);
  });
}

function checkDocument(input: OpInput): string {
  const document = optString(input, 'document');
  if (document === undefined) {
    if (optString(input, 'documentSource') !== undefined) {
      throw errors.invalidRequest('The emulator does not fetch documentSource from S3; pass the document inline');
    }
    throw errors.invalidRequest('Either document or documentSource must be specified');
  }
  if (Buffer.byteLength(document, 'utf8') > MAX_DOCUMENT_BYTES) {
    throw errors.invalidRequest(`The job document exceeds ${MAX_DOCUMENT_BYTES} bytes`);
  }
  try {
    JSON.parse(document);
  } catch {
    throw errors.invalidRequest('The job document is not valid JSON');
  }
  return document;
}

function queue(job: JobRecord, thingName: string, now: number): void {
  if (job.executions.has(thingName)) return;
  job.executions.set(thingName, { thingName, executionNumber: 1, status: 'QUEUED', queuedAt: now, lastUpdatedAt: now, versionNumber: 1 });
}

/** A snapshot job with nothing left to run is complete. */
function settle(job: JobRecord, now: number): void {
  if (job.status !== 'IN_PROGRESS' || job.targetSelection !== 'SNAPSHOT') return;
  if ([...job.executions.values()].every((e) => TERMINAL_EXECUTION.has(e.status))) {
    job.status = 'COMPLETED';
    job.completedAt = now;
    job.lastUpdatedAt = now;
  }
}

/** Scheduled jobs start lazily: the first job operation after their startTime rolls them out. */
function startDueJobs(ctx: OpContext): void {
  const now = ctx.now();
  for (const job of ctx.state.jobs.values()) {
    if (job.status !== 'SCHEDULED') continue;
    const start = Date.parse(String(job.schedulingConfig?.startTime ?? ''));
    if (Number.isFinite(start) && start > now) continue;
    job.status = 'IN_PROGRESS';
    job.lastUpdatedAt = now;
    for (const t of targetThings(ctx.state, job.targets)) queue(job, t, now);
    settle(job, now);
  }
}

function createJob(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  startDueJobs(ctx);
  const jobId = reqString(input, 'jobId');
  if (!JOB_ID.test(jobId)) throw errors.invalidRequest(`jobId ${jobId} must be 1-64 characters of [a-zA-Z0-9_-]`);
  const jobArn = arn(state, `job/${jobId}`);
  if (state.jobs.has(jobId)) throw errors.alreadyExists(`Job ${jobId} already exists`, jobId, jobArn);
  const targets = checkTargets(state, input.targets);
  const document = checkDocument(input);
  const targetSelection = optString(input, 'targetSelection') ?? 'SNAPSHOT';
  if (targetSelection !== 'SNAPSHOT' && targetSelection !== 'CONTINUOUS') {
    throw errors.invalidRequest(`Invalid targetSelection: ${targetSelection}`);
  }
  const description = optString(input, 'description');
  if (description !== undefined && description.length > 2028) throw errors.invalidRequest('description exceeds 2028 characters');
  checkUpdatableConfigs(input);
  const schedulingConfig = input.schedulingConfig as Record<string, unknown> | undefined;
  const now = ctx.now();
  const startTime = Date.parse(String(schedulingConfig?.startTime ?? ''));
  const status: JobStatus = Number.isFinite(startTime) && startTime > now ? 'SCHEDULED' : 'IN_PROGRESS';
  const active = [...state.jobs.values()].filter(
    (j) => j.targetSelection === targetSelection && (j.status === 'IN_PROGRESS' || j.status === 'SCHEDULED'),
  ).length;
  if (active >= MAX_ACTIVE_JOBS) throw errors.limitExceeded(`At most ${MAX_ACTIVE_JOBS} active ${targetSelection} jobs are allowed`);
  storeTagList(state, jobArn, input.tags);
  const job: JobRecord = {
    jobId,
    jobArn,
    targets,
    targetSelection,
    document,
    description,
    status,
    ...pickConfigs(input),
    ...(schedulingConfig ? { schedulingConfig } : {}),
    createdAt: now,
    lastUpdatedAt: now,
    executions: new Map(),
  };
  state.jobs.set(jobId, job);
  if (status === 'IN_PROGRESS') {
    for (const t of targetThings(state, targets)) queue(job, t, now);
    settle(job, now);
  }
  return { jobArn, jobId, description };
}

function pickConfigs(input: OpInput): Partial<JobRecord> {
  const out: Record<string, unknown> = {};
  for (const key of UPDATABLE_CONFIGS) if (input[key] !== undefined && input[key] !== null) out[key] = input[key];
  return out as Partial<JobRecord>;
}

function processDetails(job: JobRecord) {
  const count = (s: JobExecutionRecord['status']) => [...job.executions.values()].filter((e) => e.status === s).length;
  return {
    numberOfCanceledThings: count('CANCELED'),
    numberOfSucceededThings: count('SUCCEEDED'),
    numberOfFailedThings: count('FAILED'),
    numberOfRejectedThings: count('REJECTED'),
    numberOfQueuedThings: count('QUEUED'),
    numberOfInProgressThings: count('IN_PROGRESS'),
    numberOfRemovedThings: count('REMOVED'),
    numberOfTimedOutThings: count('TIMED_OUT'),
  };
}

function describeJob(input: OpInput, ctx: OpContext) {
  startDueJobs(ctx);
  const j = getJob(ctx.state, reqString(input, 'jobId'));
  return {
    job: {
      jobArn: j.jobArn,
      jobId: j.jobId,
      targetSelection: j.targetSelection,
      status: j.status,
      forceCanceled: j.forceCanceled,
      reasonCode: j.reasonCode,
      comment: j.comment,
      targets: j.targets,
      description: j.description,
      ...pickConfigs(j as unknown as OpInput),
      ...(j.schedulingConfig ? { schedulingConfig: j.schedulingConfig } : {}),
      createdAt: j.createdAt,
      lastUpdatedAt: j.lastUpdatedAt,
      completedAt: j.completedAt,
      jobProcessDetails: processDetails(j),
      isConcurrent: false,
    },
  };
}

function getJobDocument(input: OpInput, ctx: OpContext) {
  return { document: getJob(ctx.state, reqString(input, 'jobId')).document };
}

function groupArnFilter(ctx: OpContext, input: OpInput): string | undefined {
  const name = optString(input, 'thingGroupName');
  if (name !== undefined) return ctx.state.thingGroups.get(name)?.thingGroupArn ?? arn(ctx.state, `thinggroup/${name}`);
  const id = optString(input, 'thingGroupId');
  if (id === undefined) return undefined;
  for (const g of ctx.state.thingGroups.values()) if (g.thingGroupId === id) return g.thingGroupArn;
  return `unknown-group-id:${id}`;
}

/** Newest first. */
function listJobs(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  startDueJobs(ctx);
  const status = optString(input, 'status');
  const selection = optString(input, 'targetSelection');
  const groupArn = groupArnFilter(ctx, input);
  const jobs = [...state.jobs.values()]
    .filter((j) => (status === undefined || j.status === status) && (selection === undefined || j.targetSelection === selection))
    .filter((j) => groupArn === undefined || j.targets.includes(groupArn))
    .sort((a, b) => b.createdAt - a.createdAt || (a.jobId < b.jobId ? -1 : 1));
  const { page, next } = paginate(jobs, input, REGISTRY_PAGES);
  return {
    jobs: page.map((j) => {
      const group = j.targets.map((t) => GROUP_ARN.exec(t)?.[1]).find((n) => n !== undefined);
      const thingGroupId = group !== undefined ? state.thingGroups.get(group)?.thingGroupId : undefined;
      return {
        jobArn: j.jobArn,
        jobId: j.jobId,
        ...(thingGroupId ? { thingGroupId } : {}),
        targetSelection: j.targetSelection,
        status: j.status,
        createdAt: j.createdAt,
        lastUpdatedAt: j.lastUpdatedAt,
        completedAt: j.completedAt,
        isConcurrent: false,
      };
    }),
    nextToken: next,
  };
}

function updateJob(input: OpInput, ctx: OpContext) {
  const job = getJob(ctx.state, reqString(input, 'jobId'));
  if (job.status === 'DELETION_IN_PROGRESS') throw errors.invalidStateTransition(`Job ${job.jobId} is being deleted`);
  checkUpdatableConfigs(input);
  const description = optString(input, 'description');
  if (description !== undefined) {
    if (description.length > 2028) throw errors.invalidRequest('description exceeds 2028 characters');
    job.description = description;
  }
  Object.assign(job, pickConfigs(input));
  job.lastUpdatedAt = ctx.now();
  return {};
}

function cancelJob(input: OpInput, ctx: OpContext) {
  startDueJobs(ctx);
  const job = getJob(ctx.state, reqString(input, 'jobId'));
  const force = optBool(input, 'force') === true;
  if (job.status === 'DELETION_IN_PROGRESS') throw errors.invalidStateTransition(`Job ${job.jobId} is being deleted`);
  if (job.status === 'COMPLETED') throw errors.invalidRequest(`Job ${job.jobId} is already completed`);
  if (job.status === 'CANCELED' && (!force || job.forceCanceled)) {
    return { jobArn: job.jobArn, jobId: job.jobId, description: job.description };
  }
  const now = ctx.now();
  for (const e of job.executions.values()) {
    if (e.status === 'QUEUED' || (force && e.status === 'IN_PROGRESS')) {
      if (e.status === 'IN_PROGRESS') e.forceCanceled = true;
      e.status = 'CANCELED';
      e.lastUpdatedAt = now;
      e.versionNumber += 1;
    }
  }
  job.status = 'CANCELED';
  job.forceCanceled = force;
  const reasonCode = optString(input, 'reasonCode');
  const comment = optString(input, 'comment');
  if (reasonCode !== undefined) job.reasonCode = reasonCode;
  if (comment !== undefined) job.comment = comment;
  job.lastUpdatedAt = now;
  job.completedAt = now;
  return { jobArn: job.jobArn, jobId: job.jobId, description: job.description };
}

/** Deletion completes at once, so the 10-concurrent-deletions limit cannot be reached here. */
function deleteJob(input: OpInput, ctx: OpContext) {
  startDueJobs(ctx);
  const job = getJob(ctx.state, reqString(input, 'jobId'));
  const terminal = job.status === 'COMPLETED' || job.status === 'CANCELED';
  if (!terminal && optBool(input, 'force') !== true) {
    throw errors.invalidStateTransition(`Job ${job.jobId} is ${job.status}; cancel it first or delete with force`);
  }
  ctx.state.jobs.delete(job.jobId);
  ctx.state.tags.delete(job.jobArn);
  return {};
}

function executionSummary(e: JobExecutionRecord) {
  return {
    status: e.status,
    queuedAt: e.queuedAt,
    startedAt: e.startedAt,
    lastUpdatedAt: e.lastUpdatedAt,
    executionNumber: e.executionNumber,
    retryAttempt: 0,
  };
}

function listJobExecutionsForJob(input: OpInput, ctx: OpContext) {
  startDueJobs(ctx);
  const job = getJob(ctx.state, reqString(input, 'jobId'));
  const status = optString(input, 'status');
  const executions = [...job.executions.values()]
    .filter((e) => status === undefined || e.status === status)
    .sort((a, b) => (a.thingName < b.thingName ? -1 : 1));
  const { page, next } = paginate(executions, input, REGISTRY_PAGES);
  return {
    executionSummaries: page.map((e) => ({ thingArn: thingArn(ctx.state, e.thingName), jobExecutionSummary: executionSummary(e) })),
    nextToken: next,
  };
}

function listJobExecutionsForThing(input: OpInput, ctx: OpContext) {
  startDueJobs(ctx);
  const thingName = reqString(input, 'thingName');
  const status = optString(input, 'status');
  const jobId = optString(input, 'jobId');
  const rows = [...ctx.state.jobs.values()]
    .filter((j) => jobId === undefined || j.jobId === jobId)
    .flatMap((j) => {
      const e = j.executions.get(thingName);
      return e && (status === undefined || e.status === status) ? [{ jobId: j.jobId, e }] : [];
    })
    .sort((a, b) => (a.jobId < b.jobId ? -1 : 1));
  const { page, next } = paginate(rows, input, REGISTRY_PAGES);
  return { executionSummaries: page.map((r) => ({ jobId: r.jobId, jobExecutionSummary: executionSummary(r.e) })), nextToken: next };
}

function describeJobExecution(input: OpInput, ctx: OpContext) {
  startDueJobs(ctx);
  const job = getJob(ctx.state, reqString(input, 'jobId'));
  const thingName = reqString(input, 'thingName');
  const e = job.executions.get(thingName);
  const executionNumber = optInt(input, 'executionNumber');
  if (!e || (executionNumber !== undefined && executionNumber !== e.executionNumber)) {
    throw errors.notFound(`No execution of job ${job.jobId} on thing ${thingName}`);
  }
  return {
    execution: {
      jobId: job.jobId,
      status: e.status,
      forceCanceled: e.forceCanceled,
      statusDetails: { detailsMap: {} },
      thingArn: thingArn(ctx.state, thingName),
      queuedAt: e.queuedAt,
      startedAt: e.startedAt,
      lastUpdatedAt: e.lastUpdatedAt,
      executionNumber: e.executionNumber,
      versionNumber: e.versionNumber,
    },
  };
}

export const jobOps: OpTable = {
  CreateJob: createJob,
  DescribeJob: describeJob,
  GetJobDocument: getJobDocument,
  ListJobs: listJobs,
  UpdateJob: updateJob,
  CancelJob: cancelJob,
  DeleteJob: deleteJob,
  ListJobExecutionsForJob: listJobExecutionsForJob,
  ListJobExecutionsForThing: listJobExecutionsForThing,
  DescribeJobExecution: describeJobExecution,
};

/** Called by the group operations when things join a group, so CONTINUOUS jobs targeting it get executions. */
export function onGroupMembershipChanged(ctx: OpContext, groupName: string, addedThings: readonly string[]): void {
  const { state } = ctx;
  const groupArns = new Set<string>();
  for (let g = state.thingGroups.get(groupName), guard = 0; g && guard < 16; guard++) {
    groupArns.add(g.thingGroupArn);
    g = g.parentGroupName ? state.thingGroups.get(g.parentGroupName) : undefined;
  }
  const now = ctx.now();
  for (const job of state.jobs.values()) {
    if (job.targetSelection !== 'CONTINUOUS' || job.status !== 'IN_PROGRESS') continue;
    if (!job.targets.some((t) => groupArns.has(t))) continue;
    for (const thingName of addedThings) queue(job, thingName, now);
  }
}
