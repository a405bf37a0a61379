// Property tests: a live resource that says the same thing as the manifest, however it is
// written (key order, action order, whitespace, formatting, set order), is never drift.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topicRuleKind } from '../../src/kinds/topic-rule.js';
import type { CompareContext } from '../../src/kinds/types.js';
import type { RuleAction } from '../../src/kinds/topic-rule/spec.js';

const ctx: CompareContext = { desired: { revision: 'r', config: { prune: false, adopt: false, fleetId: 'f', vars: {}, ignore: [] }, resources: [] }, live: new Map(), now: 0 };
const source = { file: 'x.yaml', line: 1, column: 1 };

/** The same object with its keys in reverse order, recursively. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const action: fc.Arbitrary<RuleAction> = fc
  .tuple(fc.constantFrom('kinesis', 'sqs', 'lambda', 'republish', 's3'), fc.dictionary(name, fc.string({ maxLength: 8 }), { minKeys: 1, maxKeys: 4 }))
  .map(([type, body]) => ({ [type]: body }));
const sqlWord = fc.stringMatching(/^[a-zA-Z0-9_*(),.]{1,8}$/);
const whitespace = fc.constantFrom(' ', '  ', '\n', '\t', ' \n  ');

describe('no false drift (properties)', () => {
  it('TopicRule: reordered actions and keys, re-spaced SQL', () => {
    fc.assert(
      fc.property(fc.array(sqlWord, { minLength: 1, maxLength: 6 }), fc.array(whitespace, { minLength: 6, maxLength: 6 }), fc.uniqueArray(action, { minLength: 1, maxLength: 5, selector: (a) => JSON.stringify(a) }), (words, spaces, actions) => {
        const sql = words.join(' ');
        const respaced = `${spaces[0]}${words.map((w, i) => w + (spaces[i % spaces.length] ?? ' ')).join('')}`;
        const spec = { sql, sqlVersion: '2016-03-23', enabled: true, actions };
        const live = { arn: 'arn', sql: respaced, sqlVersion: '2016-03-23', enabled: true, actions: [...actions].reverse().map((a) => reverseKeys(a) as RuleAction) };
        const result = topicRuleKind.compare({ kind: 'TopicRule', name: 'r', tags: {}, spec, source }, { kind: 'TopicRule', name: 'r', ownership: 'managed', tags: {}, state: live }, ctx);
        expect(result.fields).toEqual([]);
      }),
    );
  });
});
