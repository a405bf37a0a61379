// Every operation the emulator serves, by SDK operation name. Each module owns one area.
import type { OpTable } from './types.js';
import { thingOps } from './things.js';
import { thingTypeOps } from './thing-types.js';
import { thingGroupOps } from './thing-groups.js';
import { dynamicGroupOps } from './dynamic-groups.js';
import { indexingOps } from './indexing.js';
import { tagOps } from './tags.js';
import { policyOps } from './policies.js';
import { certificateOps } from './certificates.js';
import { principalOps } from './principals.js';
import { topicRuleOps } from './topic-rules.js';
import { jobOps } from './jobs.js';

export const operations: OpTable = {
  ...thingOps,
  ...thingTypeOps,
  ...thingGroupOps,
  ...dynamicGroupOps,
  ...indexingOps,
  ...tagOps,
  ...policyOps,
  ...certificateOps,
  ...principalOps,
  ...topicRuleOps,
  ...jobOps,
};
