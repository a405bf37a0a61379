// checkTopicRuleSql: tokenizer + parser + FROM topic filter checks for one topic rule.

import { parseIotSql } from './parser.js';
import { tokenize } from './tokenizer.js';
import { checkTopicFilter } from './topic-filter.js';

export interface SqlIssue {
  readonly code: 'sql-invalid';
  readonly message: string;
  /** UTF-16 offset into the SQL text of the offending token. */
  readonly offset: number;
}

export const SQL_VERSIONS: readonly string[] = ['2015-10-08', '2016-03-23', 'beta'];

/** All problems of a rule's SQL statement, sorted by offset (at most one syntax error). */
export function checkTopicRuleSql(sql: string, sqlVersion: string): SqlIssue[] {
  const issues: SqlIssue[] = [];
  const add = (message: string, offset: number): void => {
    issues.push({ code: 'sql-invalid', message, offset });
  };
  if (!SQL_VERSIONS.includes(sqlVersion)) {
    add(`sqlVersion must be one of ${SQL_VERSIONS.join(', ')}, not "${sqlVersion}"`, 0);
  }
  if (sql.trim() === '') {
    add('the SQL statement is empty', 0);
    return issues;
  }
  const lexed = tokenize(sql);
  if (!lexed.ok) {
    add(lexed.error.message, lexed.error.offset);
    return issues;
  }
  const parsed = parseIotSql(lexed.tokens, sqlVersion);
  for (const issue of parsed.issues) add(issue.message, issue.offset);
  if (parsed.from !== undefined) {
    for (const issue of checkTopicFilter(parsed.from.value)) add(issue.message, issue.at === undefined ? parsed.from.offset : parsed.from.offset + 1 + issue.at);
  }
  return issues.sort((a, b) => a.offset - b.offset);
}
