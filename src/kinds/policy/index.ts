// The Policy kind: IoT policies, owned through the ownership ledger and the `iotops:managed-by` tag. What is read, how it is
// compared and applied: docs/kinds-security-rules-jobs.md. AWS's policy quirks (5 versions,
// numeric version ids, detach-then-delete with DeleteConflict retries) live in this folder only.
import type { Kind } from '../types.js';
import { applyPolicy } from './apply.js';
import { comparePolicy } from './compare.js';
import { readPolicies, readPolicyIdentity, type PolicyLiveState } from './read.js';
import { policyManifest } from './manifest.js';

export type { PolicyLive, PolicyLiveState } from './read.js';

export const policyKind: Kind<'Policy', PolicyLiveState> = {
  kind: 'Policy',
  manifest: policyManifest,
  taggable: true,
  read: readPolicies,
  readIdentity: readPolicyIdentity,
  // Attachments are declared by certificates and thing groups, which depend on the policy.
  references: [],
  compare: comparePolicy,
  apply: applyPolicy,
};
