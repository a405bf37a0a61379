// The Job kind: IoT jobs (metadata.name is the jobId), owned by the `iotops:managed-by` tag.
// Behaviour: docs/kinds-security-rules-jobs.md. Job immutability lives in ./compare.ts.
import type { DesiredResourceOf } from '../../model/resource.js';
import type { Kind } from '../types.js';
import { applyJob } from './apply.js';
import { compareJob } from './compare.js';
import { readJobIdentity, readJobs, type JobLiveState } from './read.js';
import { jobManifest } from './manifest.js';

export type { JobLive, JobLiveState } from './read.js';

export const jobKind: Kind<'Job', JobLiveState> = {
  kind: 'Job',
  manifest: jobManifest,
  taggable: true,
  read: readJobs,
  readIdentity: readJobIdentity,
  // A target group may be static or dynamic and the manifest does not say which: both keys are
  // listed, and the plan graph only orders against keys it holds.
  references: [
    { path: ['targets', 'things'], to: ['Thing'] },
    { path: ['targets', 'groups'], to: ['ThingGroup', 'DynamicThingGroup'] },
  ],
  compare: compareJob,
  apply: applyJob,
};
