import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkRuleAction, checkTopicRuleSql } from '../../src/manifest/sql/index.js';

const RULES = join(import.meta.dirname, '../../fleet/rules');

const rules = readdirSync(RULES)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(readFileSync(join(RULES, f), 'utf8')).map((d) => [f, d.toJS()] as const))
  .filter(([, d]) => d?.kind === 'TopicRule');

describe('example fleet topic rules', () => {
  it('has rules to check', () => {
    expect(rules.length).toBeGreaterThanOrEqual(2);
  });

  it.each(rules)('%s passes the SQL and action checkers', (_file, doc) => {
    expect(checkTopicRuleSql(doc.spec.sql, doc.spec.sqlVersion)).toEqual([]);
    for (const action of [...doc.spec.actions, doc.spec.errorAction]) expect(checkRuleAction(action)).toEqual([]);
  });
});
