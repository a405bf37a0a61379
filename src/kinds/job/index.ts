// The Job kind: IoT jobs (metadata.name is the jobId), owned by the `iotops:managed-by` tag.
// Behaviour: docs/kinds-security-rules-jobs.md. Job immutability lives in ./compare.ts.
import type { DesiredResourceOf } from '../../model/resource.js';
import type { Kind } from '../types.js';
import { applyJob } from './apply.js';
import { compareJob } from './compare.js';
import { readJobIdentity, readJobs, type JobLiveState } from './read.js';

export type { JobLive, JobLiveState } from './read.js';

/**
 * Target things and groups. A target group may be static or dynamic and the Job manifest does
 * not say which, so both keys are listed; the plan graph only orders against keys it holds.
 */
export function jobDependencies(desired: DesiredResourceOf<'Job'>): string[] {
  return [
    ...desired.spec.targets.things.map((t) => `Thing/${t}`),
    ...desired.spec.targets.groups.flatMap((g) => [`ThingGroup/${g}`, `DynamicThingGroup/${g}`]),
  ];
}

export const jobKind: Kind<'Job', JobLiveState> = {
  kind: 'Job',
  taggable: true,
  read: readJobs,
  readIdentity: readJobIdentity,
  dependencies: jobDependencies,
  compare: compareJob,
  apply: applyJob,
};
