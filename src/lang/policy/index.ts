// IoT policy documents: validation against the IAM-style policy grammar and IoT's actions,
// resources and policy variables (check-*.ts, catalog.ts), a canonical form for drift-free
// comparison (canonical.ts) and a permission-level diff for plan previews (permission-diff.ts).
// Pure: no I/O. Consumed by the manifest validator and by plan.

export { checkPolicyDocument, MAX_POLICY_CHARS, POLICY_VERSIONS, type PolicyIssue } from './check-document.js';
export { canonicalPolicyDocument } from './canonical.js';
export { policyPermissionDiff } from './permission-diff.js';
export { isKnownPolicyVariable, IOT_ACTION_NAMES } from './catalog.js';
