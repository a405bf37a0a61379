// TopicRule: SQL checked by the SQL parser (errors placed at the offending character when the
// YAML scalar allows it), action types checked against the known AWS rule actions.
import type { FieldPath } from '../diagnostics.js';
import { diagAt } from '../context.js';
import type { DesiredResource, RuleAction } from '../../model/resource.js';
import type { NormalizeProps } from './types.js';

export const DEFAULT_SQL_VERSION = '2016-03-23';
const MAX_ACTIONS = 10;

function checkAction(p: NormalizeProps, action: Record<string, unknown>, path: FieldPath): boolean {
  const issues = p.checkers.checkRuleAction(action);
  for (const issue of issues) {
    const unknown = issue.code === 'unknown-rule-action';
    p.emit(diagAt(p.ctx, unknown ? 'unknown-rule-action' : 'rule-action-invalid', [...path, ...issue.path], issue.message, { key: unknown }));
  }
  return issues.length === 0;
}

export function normalizeTopicRule(p: NormalizeProps): DesiredResource | undefined {
  const s = p.spec;
  const sql = String(s.sql);
  const sqlVersion = String(s.sqlVersion ?? DEFAULT_SQL_VERSION);
  let ok = true;
  for (const issue of p.checkers.checkTopicRuleSql(sql, sqlVersion)) {
    ok = false;
    const where = p.ctx.locateInString?.(['spec', 'sql'], issue.offset) ?? p.ctx.locate(['spec', 'sql']);
    p.emit({ ...diagAt(p.ctx, 'sql-invalid', ['spec', 'sql'], `SQL: ${issue.message} (${issue.code} at offset ${issue.offset})`), file: where.file, line: where.at.line, column: where.at.column });
  }
  const actions = (s.actions ?? []) as Record<string, unknown>[];
  if (actions.length < 1 || actions.length > MAX_ACTIONS) {
    ok = false;
    p.emit(diagAt(p.ctx, 'rule-actions-count', ['spec', 'actions'], `a topic rule needs 1–${MAX_ACTIONS} actions, found ${actions.length}`));
  }
  actions.forEach((a, i) => {
    ok = checkAction(p, a, ['spec', 'actions', i]) && ok;
  });
  if (s.errorAction !== undefined) ok = checkAction(p, s.errorAction as Record<string, unknown>, ['spec', 'errorAction']) && ok;
  if (!ok) return undefined;
  return {
    kind: 'TopicRule',
    name: p.name,
    ...(p.tags ? { tags: p.tags } : {}),
    source: p.source,
    spec: {
      sql,
      sqlVersion,
      ...(s.description === undefined ? {} : { description: String(s.description) }),
      enabled: s.enabled !== false,
      actions: actions as RuleAction[],
      ...(s.errorAction === undefined ? {} : { errorAction: s.errorAction as RuleAction }),
    },
  };
}
