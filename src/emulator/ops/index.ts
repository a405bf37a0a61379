// Every operation the emulator serves, by SDK operation name. Each module owns one area.
import type { OpTable } from './types.js';
import { policyOps } from './policies.js';
import { certificateOps } from './certificates.js';
import { principalOps } from './principals.js';
import { topicRuleOps } from './topic-rules.js';
import { jobOps } from './jobs.js';

export const operations: OpTable = {
  ...policyOps,
  ...certificateOps,
  ...principalOps,
  ...topicRuleOps,
  ...jobOps,
};
