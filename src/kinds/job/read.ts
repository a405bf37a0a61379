// Job read: ListJobs (largest pages, src/aws/paginate.ts), then DescribeJob + GetJobDocument only for jobs in scope:
// declared, or claimed by the ownership ledger (shared/ownership.ts). The identity the ledger
// records is the job's creation time, which ListJobs already returns.
import type { IotOutput } from '../../aws/iot-api.js';
import type { IotApi } from '../../aws/iot-api.js';
import { listAll } from '../../aws/paginate.js';
import type { ReadContext } from '../types.js';
import type { LiveResource } from '../../model/live.js';
import { arnResource } from '../shared/arns.js';
import { mapLimit, READ_CONCURRENCY } from '../shared/concurrency.js';
import { unlessNotFound } from '../shared/aws-errors.js';
import { normSet } from '../shared/diff.js';
import { ownershipResolver, timeIdentity } from '../shared/ownership.js';

type Config = Readonly<Record<string, unknown>>;

export interface JobLiveState {
  readonly arn: string;
  /** AWS's job status: IN_PROGRESS | SCHEDULED | COMPLETED | CANCELED | DELETION_IN_PROGRESS. */
  readonly status: string;
  readonly targets: { readonly things: readonly string[]; readonly groups: readonly string[] };
  /** Target ARNs that are neither things nor thing groups (kept so nothing is silently dropped). */
  readonly otherTargets: readonly string[];
  readonly targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  /** The job document text as AWS returns it. */
  readonly document: string;
  readonly description?: string;
  readonly rollout?: Config;
  readonly abort?: Config;
  readonly timeout?: Config;
  readonly retry?: Config;
}

export type JobLive = LiveResource<'Job', JobLiveState>;

type JobDetail = [IotOutput<'DescribeJob'>, IotOutput<'GetJobDocument'>];

export function splitTargets(arns: readonly string[]): Pick<JobLiveState, 'targets' | 'otherTargets'> {
  const things: string[] = [];
  const groups: string[] = [];
  const other: string[] = [];
  for (const arn of arns) {
    const r = arnResource(arn);
    if (r?.type === 'thing') things.push(r.id);
    else if (r?.type === 'thinggroup') groups.push(r.id);
    else other.push(arn);
  }
  return { targets: { things: normSet(things), groups: normSet(groups) }, otherTargets: normSet(other) };
}

/** An absent or empty config object reads as "not set". */
function config(value: unknown): Config | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const present = Object.entries(value).filter(([, v]) => v !== undefined);
  return present.length === 0 ? undefined : (Object.fromEntries(present) as Config);
}

export async function readJobs(ctx: ReadContext): Promise<JobLive[]> {
  const { api } = ctx;
  const jobs = await listAll(api, 'ListJobs', {}, (page) => page.jobs);
  const listed = jobs.flatMap((j) =>
    j.jobId !== undefined && j.jobArn !== undefined ? [{ name: j.jobId, arn: j.jobArn, identity: timeIdentity(j.createdAt) }] : [],
  );
  const declared = new Set(ctx.desired.resources.filter((r) => r.kind === 'Job').map((r) => r.name));
  const owner = await ownershipResolver(ctx, 'Job', declared);
  const live = await mapLimit(listed, READ_CONCURRENCY, async (j): Promise<JobLive | undefined> => {
    if (!(await owner.covers(j.name, j.arn))) return undefined;
    const detail: JobDetail | undefined = await unlessNotFound(() =>
      Promise.all([api.send('DescribeJob', { jobId: j.name }), api.send('GetJobDocument', { jobId: j.name })]),
    );
    const job = detail?.[0].job;
    if (detail === undefined || job === undefined) return undefined;
    const owned = await owner.resolve(j.name, j.arn, j.identity);
    if (owned === undefined || (owned.ownership !== 'managed' && !declared.has(j.name))) return undefined;
    const description = job.description;
    const rollout = config(job.jobExecutionsRolloutConfig);
    const abort = config(job.abortConfig);
    const timeout = config(job.timeoutConfig);
    const retry = config(job.jobExecutionsRetryConfig);
    return {
      kind: 'Job',
      name: j.name,
      ...owned,
      state: {
        arn: job.jobArn ?? j.arn,
        status: job.status ?? 'IN_PROGRESS',
        ...splitTargets(job.targets ?? []),
        targetSelection: job.targetSelection === 'CONTINUOUS' ? 'CONTINUOUS' : 'SNAPSHOT',
        document: detail[1].document ?? '',
        ...(description !== undefined ? { description } : {}),
        ...(rollout !== undefined ? { rollout } : {}),
        ...(abort !== undefined ? { abort } : {}),
        ...(timeout !== undefined ? { timeout } : {}),
        ...(retry !== undefined ? { retry } : {}),
      },
    };
  });
  return live.filter((j): j is JobLive => j !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The ownership ledger's identity of a job: its creation time. */
export async function readJobIdentity(api: IotApi, jobId: string): Promise<string | undefined> {
  const out = await unlessNotFound(() => api.send('DescribeJob', { jobId }));
  return timeIdentity(out?.job?.createdAt);
}
