import { referencedKeys } from '../../src/kinds/shared/references.js';
import { describe, expect, it } from 'vitest';
import { topicRuleKind, type TopicRuleLive, type TopicRuleLiveState } from '../../src/kinds/topic-rule.js';
import { normalizeSql } from '../../src/kinds/topic-rule/compare.js';
import type { CompareContext } from '../../src/kinds/types.js';
import type { DesiredResourceOf } from '../../src/model/resource.js';
import type { TopicRuleSpec } from '../../src/kinds/topic-rule/spec.js';

const ctx: CompareContext = { desired: { revision: 'r', config: { prune: false, adopt: false, fleetId: 'f', vars: {}, ignore: [] }, resources: [] }, live: new Map(), now: 0 };

const kinesis = { kinesis: { streamName: 's', roleArn: 'arn:aws:iam::123456789012:role/r', partitionKey: '${topic()}' } };
const republish = { republish: { topic: 'out/${topic(2)}', roleArn: 'arn:aws:iam::123456789012:role/r' } };

function desired(spec: Partial<TopicRuleSpec> = {}): DesiredResourceOf<'TopicRule'> {
  return {
    kind: 'TopicRule',
    name: 'telemetry_to_kinesis',
    tags: {},
    spec: { sql: "SELECT * FROM 'telemetry/+'", sqlVersion: '2016-03-23', enabled: true, actions: [kinesis, republish], ...spec },
    source: { file: 'r.yaml', line: 1, column: 1 },
  };
}

function live(state: Partial<TopicRuleLiveState> = {}): TopicRuleLive {
  return {
    kind: 'TopicRule',
    name: 'telemetry_to_kinesis',
    ownership: 'managed',
    tags: {},
    state: {
      arn: 'arn:aws:iot:us-east-1:123456789012:rule/telemetry_to_kinesis',
      sql: "SELECT * FROM 'telemetry/+'",
      sqlVersion: '2016-03-23',
      enabled: true,
      actions: [kinesis, republish],
      ...state,
    },
  };
}

describe('TopicRule compare', () => {
  it('reports no drift for reordered actions, reordered keys, SQL whitespace and AWS-filled defaults', () => {
    const stored = live({
      sql: "  SELECT *\n   FROM 'telemetry/+'\n",
      actions: [
        { republish: { roleArn: 'arn:aws:iam::123456789012:role/r', topic: 'out/${topic(2)}', qos: 0 } },
        { kinesis: { partitionKey: '${topic()}', roleArn: 'arn:aws:iam::123456789012:role/r', streamName: 's' } },
      ],
      description: '',
    });

    expect(topicRuleKind.compare(desired(), stored, ctx).fields).toEqual([]);
  });

  it('keeps whitespace inside quoted topics and literals significant', () => {
    expect(normalizeSql("SELECT  'a  b' AS x FROM  't'")).toBe("SELECT 'a  b' AS x FROM 't'");
    expect(normalizeSql("SELECT 'a  b' FROM 't'")).not.toBe(normalizeSql("SELECT 'a b' FROM 't'"));
  });

  it('sees a live rule without a SQL version as 2015-10-08 and the manifest default as 2016-03-23', () => {
    const result = topicRuleKind.compare(desired({ sqlVersion: '' }), live({ sqlVersion: '2015-10-08' }), ctx);

    expect(result.fields).toEqual([{ path: 'sqlVersion', before: '2015-10-08', after: '2016-03-23' }]);
  });

  it('reports each changed field by its manifest path', () => {
    const result = topicRuleKind.compare(
      desired({ sql: "SELECT temp FROM 'telemetry/+'", enabled: false, description: 'd', errorAction: republish }),
      live({ actions: [kinesis] }),
      ctx,
    );

    expect(result.fields.map((f) => f.path)).toEqual(['sql', 'description', 'enabled', 'actions', 'errorAction']);
    expect(result.fields.find((f) => f.path === 'errorAction')).toEqual({ path: 'errorAction', after: republish });
  });

  it('treats a changed action member, or a non-default qos, as drift', () => {
    const changed = live({ actions: [kinesis, { republish: { ...republish.republish, qos: 1 } }] });

    expect(topicRuleKind.compare(desired(), changed, ctx).fields.map((f) => f.path)).toEqual(['actions']);
  });

  it('reads an empty error action from AWS as none, so a rule without one is in sync', () => {
    expect(topicRuleKind.compare(desired(), live({ errorAction: {} }), ctx).fields).toEqual([]);
    expect(topicRuleKind.compare(desired({ errorAction: {} }), live(), ctx).fields).toEqual([]);
    expect(topicRuleKind.compare(desired({ errorAction: republish }), live({ errorAction: {} }), ctx).fields.map((f) => f.path)).toEqual(['errorAction']);
  });

  it('has no dependencies', () => {
    expect(referencedKeys(topicRuleKind, desired().spec)).toEqual([]);
  });
});
