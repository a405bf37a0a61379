import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRuleAction, checkTopicRuleSql } from '../../src/lang/sql/index.js';

const FRAGMENTS = ['SELECT', 'VALUE', '*', 'a', 'b.c', 'FROM', "'t/+/x'", "'#'", 'WHERE', 'AND', 'OR', 'NOT', '=', '<>', '(', ')', ',', '[', ']', '{', '}', ':', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'IS', 'NULL', 'AS', 'SET', '@v', '1', '-', "'s", '"', '${', 'topic()', 'upper(', '.'];

describe('SQL checker robustness', () => {
  it('never throws and keeps offsets inside the statement, for arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), fc.constantFrom('2015-10-08', '2016-03-23', 'beta'), (sql, version) => {
      for (const issue of checkTopicRuleSql(sql, version)) {
        expect(issue.offset).toBeGreaterThanOrEqual(0);
        expect(issue.offset).toBeLessThanOrEqual(sql.length);
      }
    }), { numRuns: 300 });
  });

  it('never throws on token soup close to real SQL', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 25 }), (parts) => {
      const sql = parts.join(' ');
      const issues = checkTopicRuleSql(sql, '2016-03-23');
      for (const issue of issues) expect(issue.offset).toBeLessThanOrEqual(sql.length);
    }), { numRuns: 500 });
  });

  it('never throws on arbitrary action values', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(Array.isArray(checkRuleAction(value))).toBe(true);
    }), { numRuns: 300 });
  });
});
