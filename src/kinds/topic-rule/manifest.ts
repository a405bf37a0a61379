// TopicRule: SQL checked by the SQL parser (errors placed at the offending character when the
// YAML scalar allows it), action types checked against the known AWS rule actions.
import type { FieldPath } from '../../document/diagnostics.js';
import { diagAt } from '../../document/context.js';
import type { DesiredResourceOf } from '../../model/resource.js';
import { NAME_RULES, descriptionSchema, object, str, type JsonSchema } from '../../document/schema.js';
import type { KindManifest } from '../types.js';
import type { RuleAction } from './spec.js';
import type { NormalizeProps } from '../../document/normalize.js';

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

export function normalizeTopicRule(p: NormalizeProps): DesiredResourceOf<'TopicRule'> | undefined {
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

const ruleAction: JsonSchema = {
  type: 'object',
  description: 'One AWS IoT rule action keyed by its type, e.g. `{ lambda: { functionArn: ... } }`',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: { type: 'object' },
};

export const topicRuleManifest: KindManifest<'TopicRule'> = {
  name: NAME_RULES.RuleName,
  schema: {
    file: 'topic-rule.schema.json',
    title: 'iotops TopicRule',
    description: 'An IoT topic rule. Every change is a ReplaceTopicRule of the whole payload',
    nameDescription: 'Rule name: 1–128 of [a-zA-Z0-9_] (no hyphens, no dots)',
    spec: object('Rule', {
      sql: str('IoT SQL statement', { minLength: 1 }),
      sqlVersion: { enum: ['2015-10-08', '2016-03-23', 'beta'], description: 'IoT SQL version (default 2016-03-23; always sent explicitly)' },
      description: descriptionSchema,
      enabled: { type: 'boolean', description: 'Rule enabled (default true)' },
      actions: { type: 'array', description: '1–10 actions', items: ruleAction },
      errorAction: ruleAction,
    }, ['sql', 'actions']),
  },
  normalize: normalizeTopicRule,
};
