import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/manifest/index.js';
import type { TopicRuleSpec } from '../../src/kinds/topic-rule/spec.js';
import { checkRuleAction, checkTopicRuleSql } from '../../src/lang/sql/index.js';

const FLEET = join(import.meta.dirname, '../../fleet');

describe('example fleet topic rules', () => {
  it('pass the SQL and action checkers after variable substitution', async () => {
    const result = await loadFleet({ dir: FLEET, processEnv: {}, env: 'staging' });
    const rules = (result.state?.resources ?? []).filter((r) => r.kind === 'TopicRule');
    expect(rules.map((r) => r.name)).toEqual(['low_battery_alerts', 'my_service_audits']);
    for (const rule of rules) {
      const spec = rule.spec as TopicRuleSpec;
      expect(checkTopicRuleSql(spec.sql, spec.sqlVersion)).toEqual([]);
      for (const action of [...spec.actions, spec.errorAction]) expect(checkRuleAction(action)).toEqual([]);
    }
    const audits = rules.find((r) => r.name === 'my_service_audits')?.spec as TopicRuleSpec;
    expect(audits.actions[0]).toEqual({
      kinesis: { streamName: 'audits-staging', roleArn: 'arn:aws:iam::210987654321:role/iotops-rules', partitionKey: '${newuuid()}' },
    });
  });
});
