// TopicRule compare (pure). Decisions (docs/kinds-security-rules-jobs.md):
// - SQL: whitespace runs outside quotes collapse to one space and the ends are trimmed (YAML block
//   scalars add newlines); nothing else, because JSON field names in IoT SQL are case-sensitive.
// - sqlVersion: the manifest's default is 2016-03-23; a live rule without one runs 2015-10-08.
// - actions: AWS runs all actions of a rule independently, so their order carries no meaning:
//   compared as a multiset (a reorder alone is no drift; any real change sends the manifest order).
// - action objects and errorAction: deep-equal ignoring key order, after dropping values AWS fills
//   in by default when reading a rule back.
import type { DesiredResourceOf } from '../../model/resource.js';
import type { RuleAction } from './spec.js';
import type { FieldChange } from '../../model/plan.js';
import type { Comparison } from '../types.js';
import { canonicalJson } from '../../model/canonical.js';
import type { TopicRuleLive } from './read.js';

export const DEFAULT_SQL_VERSION = '2016-03-23';

/** Collapses whitespace outside '…' literals and "…" identifiers; trims. */
export function normalizeSql(sql: string): string {
  let out = '';
  let quote: string | undefined;
  let pendingSpace = false;
  for (const ch of sql.trim()) {
    if (quote !== undefined) {
      out += ch;
      if (ch === quote) quote = undefined;
      continue;
    }
    if (/\s/.test(ch)) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    if (ch === "'" || ch === '"') quote = ch;
    out += ch;
  }
  return out;
}

/** Values GetTopicRule may report for members the manifest left out (action type → member → default). */
const ACTION_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  republish: { qos: 0 },
  cloudwatchLogs: { batchMode: false },
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function normalizeAction(action: RuleAction): unknown {
  const out: Record<string, unknown> = {};
  for (const [type, body] of Object.entries(action)) {
    if (body === undefined || body === null) continue;
    const defaults = ACTION_DEFAULTS[type];
    if (!isPlainObject(body) || defaults === undefined) {
      out[type] = body;
      continue;
    }
    out[type] = Object.fromEntries(Object.entries(body).filter(([k, v]) => v !== undefined && !(k in defaults && defaults[k] === v)));
  }
  return out;
}

function actionKeys(actions: readonly RuleAction[]): string[] {
  return actions.map((a) => canonicalJson(normalizeAction(a), 'as-sent')).sort();
}

export function sameActions(a: readonly RuleAction[], b: readonly RuleAction[]): boolean {
  const x = actionKeys(a);
  const y = actionKeys(b);
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

/**
 * An error action with no action in it (`errorAction: {}`, as some endpoints return for a rule
 * without one) is no error action: treating it as one made heal mode replace the rule forever.
 */
function presentAction(a: RuleAction | undefined): RuleAction | undefined {
  return a !== undefined && Object.values(a).some((v) => v !== undefined && v !== null) ? a : undefined;
}

function sameOptionalAction(x: RuleAction | undefined, y: RuleAction | undefined): boolean {
  const a = presentAction(x);
  const b = presentAction(y);
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(normalizeAction(a), 'as-sent') === canonicalJson(normalizeAction(b), 'as-sent');
}

export function compareTopicRule(desired: DesiredResourceOf<'TopicRule'>, live: TopicRuleLive): Comparison {
  const d = desired.spec;
  const l = live.state;
  const fields: FieldChange[] = [];
  if (normalizeSql(d.sql) !== normalizeSql(l.sql)) fields.push({ path: 'sql', before: l.sql, after: d.sql });
  const sqlVersion = d.sqlVersion || DEFAULT_SQL_VERSION;
  if (sqlVersion !== l.sqlVersion) fields.push({ path: 'sqlVersion', before: l.sqlVersion, after: sqlVersion });
  if ((d.description ?? '') !== (l.description ?? '')) {
    fields.push({ path: 'description', ...(l.description ? { before: l.description } : {}), ...(d.description ? { after: d.description } : {}) });
  }
  if (d.enabled !== l.enabled) fields.push({ path: 'enabled', before: l.enabled, after: d.enabled });
  if (!sameActions(d.actions, l.actions)) fields.push({ path: 'actions', before: l.actions, after: d.actions });
  if (!sameOptionalAction(d.errorAction, l.errorAction)) {
    fields.push({
      path: 'errorAction',
      ...(l.errorAction !== undefined ? { before: l.errorAction } : {}),
      ...(d.errorAction !== undefined ? { after: d.errorAction } : {}),
    });
  }
  return { fields };
}
