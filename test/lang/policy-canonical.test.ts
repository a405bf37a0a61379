import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPolicyDocument, policyPermissionDiff } from '../../src/lang/policy/index.js';

const ARN = 'arn:aws:iot:eu-central-1:123456789012';

const actionArb = fc.constantFrom('iot:Connect', 'iot:Publish', 'iot:Receive', 'iot:Subscribe', 'iot:GetThingShadow', 'iot:*');
const resourceArb = fc.constantFrom('*', `${ARN}:topic/a`, `${ARN}:topic/b/*`, `${ARN}:topicfilter/c/#`, `${ARN}:client/\${iot:ClientId}`);
const listArb = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.uniqueArray(arb, { minLength: 1, maxLength: 4 });

const statementArb = fc.record({
  Effect: fc.constantFrom('Allow', 'Deny'),
  Action: listArb(actionArb),
  Resource: listArb(resourceArb),
});
const docArb = fc.record({
  Version: fc.constantFrom('2012-10-17', '2008-10-17'),
  Statement: fc.array(statementArb, { minLength: 1, maxLength: 5 }),
});

type Doc = { Version: string; Statement: { Effect: string; Action: string[]; Resource: string[] }[] };

/** A document with a permutation of its statement indices. */
const docWithOrderArb = docArb.chain((doc) => {
  const indices = doc.Statement.map((_, i) => i);
  return fc.tuple(fc.constant(doc), fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }));
});

/** The same document written differently: statements permuted, one-element lists as strings, keys reordered, lists reversed. */
function rewrite(doc: Doc, order: number[]): unknown {
  return {
    Statement: order.map((i) => doc.Statement[i]).map((s) => ({
      Resource: s.Resource.length === 1 ? s.Resource[0] : [...s.Resource].reverse(),
      Action: s.Action.length === 1 ? s.Action[0] : [...s.Action].reverse(),
      Effect: s.Effect,
    })),
    Version: doc.Version,
  };
}

describe('canonicalPolicyDocument', () => {
  it('is idempotent', () => {
    fc.assert(fc.property(docArb, (doc) => {
      const once = canonicalPolicyDocument(doc);
      expect(canonicalPolicyDocument(once)).toEqual(once);
    }));
  });

  it('is invariant under statement shuffling, key order and string ↔ [string]', () => {
    fc.assert(fc.property(docWithOrderArb, ([doc, order]) => {
      expect(JSON.stringify(canonicalPolicyDocument(rewrite(doc, order)))).toBe(JSON.stringify(canonicalPolicyDocument(doc)));
    }));
  });

  it('sorts and dedupes lists, adds the default Version and normalizes action spelling', () => {
    const canonical = canonicalPolicyDocument({
      Statement: { Effect: 'Allow', Action: ['iot:publish', 'iot:Connect', 'iot:Publish'], Resource: '*' },
    });
    expect(canonical).toEqual({
      Statement: [{ Action: ['iot:Connect', 'iot:Publish'], Effect: 'Allow', Resource: ['*'] }],
      Version: '2008-10-17',
    });
  });

  it('treats condition values as strings in sorted lists', () => {
    const a = canonicalPolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition: { Bool: { 'iot:Connection.Thing.IsAttached': true } } }] });
    const b = canonicalPolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition: { Bool: { 'iot:Connection.Thing.IsAttached': ['true'] } } }] });
    expect(a).toEqual(b);
  });

  it('keeps documents that differ in meaning apart', () => {
    const base = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/a` }] };
    const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}:topic/a` }] };
    expect(canonicalPolicyDocument(base)).not.toEqual(canonicalPolicyDocument(deny));
  });
});

describe('policyPermissionDiff', () => {
  const v1 = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/telemetry/*` },
    ],
  };
  const v2 = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['iot:Connect'], Resource: [`${ARN}:client/\${iot:Connection.Thing.ThingName}`] },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}:topic/telemetry/\${iot:Connection.Thing.ThingName}` },
    ],
  };

  it('lists granted and removed permissions with short resource names', () => {
    expect(policyPermissionDiff(v1, v2)).toEqual({
      granted: [
        'Allow iot:Publish on topic/telemetry/${iot:Connection.Thing.ThingName}',
        'Allow iot:Receive on topic/telemetry/${iot:Connection.Thing.ThingName}',
      ],
      removed: ['Allow iot:Publish on topic/telemetry/*'],
    });
  });

  it('is empty for the same permissions written differently', () => {
    fc.assert(fc.property(docWithOrderArb, ([doc, order]) => {
      expect(policyPermissionDiff(doc, rewrite(doc, order))).toEqual({ granted: [], removed: [] });
    }));
  });

  it('shows full ARNs when only the account changes', () => {
    const other = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:eu-central-1:999999999999:topic/telemetry/*' }] };
    const diff = policyPermissionDiff(v1, other);
    expect(diff.granted).toEqual(['Allow iot:Publish on arn:aws:iot:eu-central-1:999999999999:topic/telemetry/*']);
    expect(diff.removed).toContain(`Allow iot:Publish on ${ARN}:topic/telemetry/*`);
  });

  it('describes NotAction, NotResource and conditions', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: 'iot:Connect', NotResource: `${ARN}:topic/ok`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'false' } } }] };
    expect(policyPermissionDiff({ Version: '2012-10-17', Statement: [] }, doc).granted).toEqual([
      'Deny every action except iot:Connect on everything except topic/ok when {"Bool":{"iot:Connection.Thing.IsAttached":["false"]}}',
    ]);
  });
});
