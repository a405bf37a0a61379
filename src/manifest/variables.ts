// Variable substitution: `{{ var.NAME }}` (iotops.yaml `vars:`, overridden by env/NAME.yaml) and
// `{{ env.NAME }}` (process environment). Double braces were chosen because AWS itself uses
// `${...}` (policy variables, IoT SQL substitution templates, job document placeholders): those
// are never touched. Substitution runs on parsed YAML scalars, never on raw text, so a value can
// not inject YAML structure. An unquoted `key: {{ var.x }}` is a YAML flow mapping; it is
// recognised from its source text and treated like the plain scalar the user meant.
import { Scalar, isMap, isScalar, isSeq } from 'yaml';
import type { FieldPath } from './diagnostics.js';
import type { Position, YamlDocument } from './yaml-source.js';
import { positionAt } from './yaml-source.js';

export interface VariableScope {
  readonly vars: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface VariableProblem {
  readonly at: Position;
  readonly path: FieldPath;
  readonly message: string;
}

const REF = /\{\{\s*(var|env)\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;
const WHOLE_REF = /^\{\{\s*(var|env)\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}$/;

function lookup(scope: VariableScope, ns: string, name: string): string | undefined {
  return ns === 'var' ? (Object.hasOwn(scope.vars, name) ? scope.vars[name] : undefined) : scope.env[name];
}

/** A whole-value reference in an unquoted position takes the YAML type of its text (e.g. `count`). */
function typed(text: string): string | number | boolean {
  if (/^-?(0|[1-9][0-9]*)$/.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}

export function substituteVariables(d: YamlDocument, scope: VariableScope): VariableProblem[] {
  const problems: VariableProblem[] = [];
  const text = d.source.text;
  const [from, , to] = d.doc.range;
  const first = text.indexOf('{{', from);
  if (first < 0 || first >= to) return problems;
  // A mutable path stack: copied only when a problem is reported (large fleets, few problems).
  const path: (string | number)[] = [];
  const undefinedRef = (start: number, ns: string, name: string): void => {
    const where = ns === 'var' ? 'iotops.yaml `vars:` or the --env file' : 'the process environment';
    problems.push({ at: positionAt(d.source, start), path: [...path], message: `undefined variable ${ns}.${name} (not set in ${where})` });
  };
  /** Returns a replacement node for `node`, or undefined to keep it. */
  const walk = (node: unknown): Scalar | undefined => {
    if (isScalar(node)) {
      if (typeof node.value !== 'string' || !node.value.includes('{{')) return undefined;
      const raw = node.value;
      let missing = false;
      const start = node.range?.[0] ?? 0;
      const replaced = raw.replace(REF, (_all, ns: string, name: string) => {
        const value = lookup(scope, ns, name);
        if (value !== undefined) return value;
        missing = true;
        undefinedRef(start, ns, name);
        return '';
      });
      if (!missing && replaced !== raw) node.value = node.type === 'PLAIN' && WHOLE_REF.test(raw) ? typed(replaced) : replaced;
      return undefined;
    }
    if (isMap(node)) {
      if (node.flow && node.range) {
        const m = WHOLE_REF.exec(text.slice(node.range[0], node.range[1]).trim());
        if (m) {
          const value = lookup(scope, m[1], m[2]);
          if (value === undefined) {
            undefinedRef(node.range[0], m[1], m[2]);
            return undefined;
          }
          const scalar = new Scalar(typed(value));
          scalar.range = node.range;
          return scalar;
        }
      }
      for (const pair of node.items) {
        path.push(isScalar(pair.key) ? String(pair.key.value) : '?');
        const r = walk(pair.value);
        if (r) pair.value = r;
        path.pop();
      }
      return undefined;
    }
    if (isSeq(node)) {
      node.items.forEach((item, i) => {
        path.push(i);
        const r = walk(item);
        if (r) node.items[i] = r;
        path.pop();
      });
    }
    return undefined;
  };
  walk(d.doc.contents);
  return problems;
}
