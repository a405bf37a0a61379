// Variable substitution: `{{ var.NAME }}` (iotops.yaml `vars:`, overridden by env/NAME.yaml) and
// `{{ env.NAME }}` (process environment). Double braces were chosen because AWS itself uses
// `${...}` (policy variables, IoT SQL substitution templates, job document placeholders): those
// are never touched. Substitution runs on parsed YAML scalars, never on raw text, so a value can
// not inject YAML structure. An unquoted `key: {{ var.x }}` is a YAML flow mapping; it is
// recognised from its source text and treated like the plain scalar the user meant.
import { Scalar, isPair, isScalar, isSeq, visit } from 'yaml';
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

function pathOf(ancestors: readonly unknown[], node: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length; i++) {
    const a = chain[i];
    if (isPair(a) && isScalar(a.key)) out.push(String(a.key.value));
    else if (isSeq(a)) out.push(a.items.indexOf(chain[i + 1] as never));
  }
  return out;
}

export function substituteVariables(d: YamlDocument, scope: VariableScope): VariableProblem[] {
  const problems: VariableProblem[] = [];
  const text = d.source.text;
  const undefinedRef = (node: { range?: unknown }, ancestors: readonly unknown[], ns: string, name: string): void => {
    const start = (node.range as [number, number, number] | undefined)?.[0] ?? 0;
    const where = ns === 'var' ? 'iotops.yaml `vars:` or the --env file' : 'the process environment';
    problems.push({
      at: positionAt(d.source, start),
      path: pathOf(ancestors, node),
      message: `undefined variable ${ns}.${name} (not set in ${where})`,
    });
  };
  visit(d.doc, {
    Map(key, node, ancestors) {
      if (!node.flow || !node.range || key === 'key') return undefined;
      const m = WHOLE_REF.exec(text.slice(node.range[0], node.range[1]).trim());
      if (!m) return undefined;
      const value = lookup(scope, m[1], m[2]);
      if (value === undefined) {
        undefinedRef(node, ancestors, m[1], m[2]);
        return visit.SKIP;
      }
      const scalar = new Scalar(typed(value));
      scalar.range = node.range;
      return scalar;
    },
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('{{')) return undefined;
      const raw = node.value;
      let missing = false;
      const replaced = raw.replace(REF, (_all, ns: string, name: string) => {
        const value = lookup(scope, ns, name);
        if (value === undefined) {
          missing = true;
          undefinedRef(node, ancestors, ns, name);
          return '';
        }
        return value;
      });
      if (missing || replaced === raw) return undefined;
      node.value = node.type === 'PLAIN' && WHOLE_REF.test(raw) ? typed(replaced) : replaced;
      return undefined;
    },
  });
  return problems;
}

