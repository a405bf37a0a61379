// Checks a statement's Condition block: operator → condition key → value | values.

import { CONDITION_OPERATORS } from './catalog.js';
import { suggestion } from './did-you-mean.js';
import { variableMessages } from './check-resource.js';

export type Path = readonly (string | number)[];
/** `code` defaults to `policy-invalid`; `pattern-too-complex` marks a wildcard over the limit. */
export type Report = (path: Path, message: string, code?: 'pattern-too-complex') => void;

const SET_PREFIXES = ['ForAllValues:', 'ForAnyValue:'];
const CONDITION_KEY = /^[A-Za-z0-9.-]+:[A-Za-z0-9._\-[\]/:]+$/;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The base operator (`StringLike` for `ForAnyValue:StringLikeIfExists`), or an error message. */
function baseOperator(operator: string): { readonly base: string } | { readonly message: string } {
  let op = operator;
  const prefix = SET_PREFIXES.find((p) => op.startsWith(p));
  if (prefix !== undefined) op = op.slice(prefix.length);
  const ifExists = op.endsWith('IfExists') && op !== 'IfExists';
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  if (!CONDITION_OPERATORS.includes(op)) {
    return { message: `unknown condition operator "${operator}"${suggestion(op, CONDITION_OPERATORS)}` };
  }
  if (op === 'Null' && (ifExists || prefix !== undefined)) {
    return { message: `condition operator "${operator}": Null takes neither IfExists nor a set prefix` };
  }
  return { base: op };
}

function checkValue(base: string, value: unknown, path: Path, report: Report): boolean {
  if (typeof value === 'string') {
    for (const m of variableMessages(value).messages) report(path, m);
    if ((base === 'Bool' || base === 'Null') && value !== 'true' && value !== 'false') {
      report(path, `${base} compares with "true" or "false", not "${value}"`);
    }
    if (base.startsWith('Numeric') && !/^-?\d+(\.\d+)?$/.test(value) && !value.includes('${')) {
      report(path, `${base} needs a number, not "${value}"`);
    }
    return value.includes('${');
  }
  if (typeof value === 'number') {
    if (base === 'Bool' || base === 'Null') report(path, `${base} compares with true or false, not ${value}`);
    return false;
  }
  if (typeof value === 'boolean') {
    if (base.startsWith('Numeric')) report(path, `${base} needs a number, not ${value}`);
    return false;
  }
  report(path, 'condition values must be strings, numbers or booleans');
  return false;
}

/** Reports problems; returns true when a value uses a policy variable. */
export function checkCondition(condition: unknown, path: Path, report: Report): boolean {
  if (!isPlainObject(condition)) {
    report(path, 'Condition must be an object of operator → { key: value }');
    return false;
  }
  let usesVariables = false;
  for (const [operator, block] of Object.entries(condition)) {
    const opPath = [...path, operator];
    const op = baseOperator(operator);
    if ('message' in op) {
      report(opPath, op.message);
      continue;
    }
    if (!isPlainObject(block) || Object.keys(block).length === 0) {
      report(opPath, `"${operator}" must map condition keys to values, e.g. { "iot:ClientId": "sensor-*" }`);
      continue;
    }
    for (const [key, value] of Object.entries(block)) {
      const keyPath = [...opPath, key];
      if (!CONDITION_KEY.test(key)) {
        report(keyPath, `condition key "${key}" is not of the form service:Key (e.g. iot:Connection.Thing.IsAttached)`);
      }
      if (Array.isArray(value)) {
        if (value.length === 0) report(keyPath, `condition key "${key}" has an empty list of values`);
        value.forEach((v, i) => {
          if (checkValue(op.base, v, [...keyPath, i], report)) usesVariables = true;
        });
      } else if (checkValue(op.base, value, keyPath, report)) {
        usesVariables = true;
      }
    }
  }
  return usesVariables;
}
