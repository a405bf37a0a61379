import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPolicyDocument, checkPolicyDocument, policyPermissionDiff } from '../../src/lang/policy/index.js';

/** JSON values shaped like policies, so the checker's inner paths are reached. */
const policyLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('*', 'iot:Publish', 'iot:Sub*', 'arn:aws:iot:*:*:topic/${iot:ClientId}', 'Allow', 'Deny', '2012-10-17', 'true', '${'),
    fc.integer(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('Version', 'Statement', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Sid', 'Bool', 'StringLike', 'iot:ClientId', 'x'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('policy checker robustness', () => {
  it('never throws, and every issue has a path and a message', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), policyLike), (doc) => {
      for (const issue of checkPolicyDocument(doc)) {
        expect(issue.code).toBe('policy-invalid');
        expect(Array.isArray(issue.path)).toBe(true);
        expect(issue.message.length).toBeGreaterThan(0);
      }
    }), { numRuns: 500 });
  });

  it('canonical form and permission diff never throw, and the diff of a document with itself is empty', () => {
    fc.assert(fc.property(policyLike, (doc) => {
      const once = canonicalPolicyDocument(doc);
      expect(canonicalPolicyDocument(once)).toEqual(once);
      expect(policyPermissionDiff(doc, doc)).toEqual({ granted: [], removed: [] });
    }), { numRuns: 500 });
  });
});
