// Checks one policy statement: its elements, actions, resources, condition, and the
// action/resource pairs that can never match (e.g. iot:Subscribe on topic/… resources).

import { resourceTypeOf } from './catalog.js';
import { checkAction } from './check-action.js';
import { checkCondition, type Path, type Report } from './check-condition.js';
import { checkResource, type ResourceType } from './check-resource.js';
import { suggestion } from './did-you-mean.js';

const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

export interface StatementFacts {
  readonly sid?: string;
  /** True when a resource or condition uses `${...}` (which needs Version 2012-10-17). */
  readonly usesVariables: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Entries of a string-or-list element with the path of each string; reports shape errors. */
function stringEntries(value: unknown, path: Path, element: string, report: Report): [string, Path][] {
  if (typeof value === 'string') return [[value, path]];
  if (!Array.isArray(value)) {
    report(path, `${element} must be a string or a list of strings`);
    return [];
  }
  if (value.length === 0) {
    report(path, `${element} must not be an empty list`);
    return [];
  }
  const out: [string, Path][] = [];
  value.forEach((v, i) => {
    if (typeof v === 'string' && v.length > 0) out.push([v, [...path, i]]);
    else report([...path, i], `${element} entries must be non-empty strings`);
  });
  return out;
}

/** Exactly one of `positive` / `Not<positive>`; returns the key present (or undefined). */
function oneOf(statement: Record<string, unknown>, positive: string, path: Path, report: Report): string | undefined {
  const negative = `Not${positive}`;
  const hasPositive = positive in statement;
  const hasNegative = negative in statement;
  if (hasPositive && hasNegative) {
    report([...path, negative], `a statement has either ${positive} or ${negative}, not both`);
    return undefined;
  }
  if (!hasPositive && !hasNegative) {
    report(path, `statement needs ${positive} (or ${negative})`);
    return undefined;
  }
  return hasPositive ? positive : negative;
}

export function checkStatement(statement: unknown, path: Path, report: Report): StatementFacts {
  if (!isPlainObject(statement)) {
    report(path, 'a statement must be an object with Effect, Action and Resource');
    return { usesVariables: false };
  }
  for (const key of Object.keys(statement)) {
    if (STATEMENT_KEYS.includes(key)) continue;
    if (key === 'Principal' || key === 'NotPrincipal') {
      report([...path, key], `IoT policies have no ${key}: the principal is the certificate, identity or group the policy is attached to`);
      continue;
    }
    report([...path, key], `unknown statement element "${key}"${suggestion(key, STATEMENT_KEYS)}`);
  }

  const effect = statement.Effect;
  if (effect === undefined) report(path, 'statement needs Effect ("Allow" or "Deny")');
  else if (effect !== 'Allow' && effect !== 'Deny') {
    report([...path, 'Effect'], `Effect must be "Allow" or "Deny", not ${JSON.stringify(effect)}`);
  }

  let sid: string | undefined;
  if ('Sid' in statement) {
    if (typeof statement.Sid === 'string') sid = statement.Sid;
    else report([...path, 'Sid'], 'Sid must be a string');
  }

  const actionKey = oneOf(statement, 'Action', path, report);
  const requiredTypes: [string, Path, string][] = [];
  if (actionKey !== undefined) {
    for (const [action, actionPath] of stringEntries(statement[actionKey], [...path, actionKey], actionKey, report)) {
      const checked = checkAction(action);
      if (!checked.ok) {
        report(actionPath, checked.message, checked.code);
        continue;
      }
      const type = checked.prefix === 'iot' && !checked.wildcard ? resourceTypeOf(checked.name) : undefined;
      if (actionKey === 'Action' && type !== undefined) requiredTypes.push([`iot:${checked.name}`, actionPath, type]);
    }
  }

  let usesVariables = false;
  const resourceKey = oneOf(statement, 'Resource', path, report);
  const resourceTypes: ResourceType[] = [];
  if (resourceKey !== undefined) {
    for (const [resource, resourcePath] of stringEntries(statement[resourceKey], [...path, resourceKey], resourceKey, report)) {
      const checked = checkResource(resource);
      for (const message of checked.messages) report(resourcePath, message);
      if (checked.usesVariables) usesVariables = true;
      resourceTypes.push(checked.type);
    }
  }

  if (resourceKey === 'Resource' && resourceTypes.length > 0 && resourceTypes.every((t) => t.kind === 'typed')) {
    const present = new Set(resourceTypes.map((t) => (t.kind === 'typed' ? t.type : '')));
    for (const [action, actionPath, type] of requiredTypes) {
      if (present.has(type)) continue;
      const named = [...present].map((t) => `${t}/`).join(', ');
      const hint = type === 'topicfilter' && present.has('topic') ? ' (Subscribe authorizes topic filters, not topics)' : '';
      report(actionPath, `${action} is authorized against ${type}/ resources, but this statement only names ${named}, so it never applies${hint}`);
    }
  }

  if ('Condition' in statement && checkCondition(statement.Condition, [...path, 'Condition'], report)) {
    usesVariables = true;
  }
  return { sid, usesVariables };
}
