// Variable substitution: `{{ var.NAME }}` (iotops.yaml `vars:`, overridden by env/NAME.yaml) and
// `{{ env.NAME }}` (process environment, allow-listed: see envAccess). Double braces were chosen because AWS itself uses
// `${...}` (policy variables, IoT SQL substitution templates, job document placeholders): those
// are never touched. Substitution runs on parsed values, never on raw text, so a value cannot
// inject YAML structure. An unquoted `key: {{ var.x }}` is a YAML flow mapping; it is recognised
// by its shape and treated like the plain scalar the user meant.
import type { FieldPath } from '../document/diagnostics.js';

export interface VariableScope {
  readonly vars: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Names the operator allowed besides `IOTOPS_VAR_*` (--allow-env); never from the fleet repo. */
  readonly allowEnv?: readonly string[];
}

export interface VariableProblem {
  readonly code: 'undefined-variable' | 'env-not-allowed';
  readonly path: FieldPath;
  readonly message: string;
}

/** Environment names a fleet may read without the operator listing them. */
export const ENV_VAR_PREFIX = 'IOTOPS_VAR_';
/** Credentials of the process: never substitutable, whatever the operator lists. */
const NEVER_ENV = /^(AWS_|IOTOPS_GIT_)/;

/**
 * The fleet repo is untrusted (CI plans pull requests): a manifest may read only the variables
 * the operator meant to expose, never the process's credentials.
 */
export function envAccess(name: string, allowEnv: readonly string[] = []): 'allowed' | 'forbidden' | 'not-listed' {
  if (NEVER_ENV.test(name)) return 'forbidden';
  if (name.startsWith(ENV_VAR_PREFIX) || allowEnv.includes(name)) return 'allowed';
  return 'not-listed';
}

const REF = /\{\{\s*(var|env)\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

function lookup(scope: VariableScope, ns: string, name: string): string | undefined {
  if (ns === 'var') return Object.hasOwn(scope.vars, name) ? scope.vars[name] : undefined;
  return envAccess(name, scope.allowEnv) === 'allowed' && Object.hasOwn(scope.env, name) ? scope.env[name] : undefined;
}

function refusal(name: string, allowEnv: readonly string[] | undefined): string | undefined {
  const access = envAccess(name, allowEnv);
  if (access === 'forbidden') return `env.${name} cannot be used: AWS_* and IOTOPS_GIT_* variables are credentials and are never substituted`;
  if (access === 'not-listed') return `env.${name} is not allowed: rename it ${ENV_VAR_PREFIX}${name} (then write {{ env.${ENV_VAR_PREFIX}${name} }}), or have the operator allow it with --allow-env ${name}`;
  return undefined;
}

/** A whole-value reference in an unquoted position takes the YAML type of its text (e.g. `count`). */
function typed(text: string): string | number | boolean {
  if (/^-?(0|[1-9][0-9]*)$/.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}

const FLOW_FORM = /^\{\s*(var|env)\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}$/;

/**
 * `key: {{ var.x }}` unquoted parses as a flow mapping whose only key is the inner mapping
 * `{ var.x }` with a null value; that shape is what the user meant as a whole-value reference.
 */
function flowReference(v: Record<string, unknown>): RegExpExecArray | null {
  const keys = Object.keys(v);
  if (keys.length !== 1 || v[keys[0]] !== null) return null;
  return FLOW_FORM.exec(keys[0]);
}

/**
 * Substitutes variables in a parsed document value (in place where possible) and returns the
 * new value. Only string values are touched, never keys; the whole-value unquoted form takes the
 * type of the variable's text, every other use is text.
 */
export function substituteVariables(
  value: unknown,
  scope: VariableScope,
): { value: unknown; problems: VariableProblem[]; cycle?: FieldPath; substitutedEnv: string[] } {
  const problems: VariableProblem[] = [];
  /** Environment values put into the document: diagnostics must never echo them. */
  const substitutedEnv: string[] = [];
  // A mutable path stack: copied only when a problem is reported (large fleets, few problems).
  const path: (string | number)[] = [];
  const undefinedRef = (ns: string, name: string): void => {
    const refused = ns === 'env' ? refusal(name, scope.allowEnv) : undefined;
    if (refused) {
      problems.push({ code: 'env-not-allowed', path: [...path], message: refused });
      return;
    }
    const where = ns === 'var' ? 'iotops.yaml `vars:` or the --env file' : 'the process environment';
    problems.push({ code: 'undefined-variable', path: [...path], message: `undefined variable ${ns}.${name} (not set in ${where})` });
  };
  const found = (ns: string, name: string): string | undefined => {
    const v = lookup(scope, ns, name);
    if (v !== undefined && ns === 'env') substitutedEnv.push(v);
    return v;
  };
  // YAML aliases can make one object appear twice (walk it once), or contain itself (a cycle,
  // which no manifest field can hold: reported, and the walk stops there).
  const seen = new WeakSet<object>();
  const onPath = new Set<object>();
  let cycle: FieldPath | undefined;
  const walk = (v: unknown): unknown => {
    if (v !== null && typeof v === 'object') {
      if (onPath.has(v)) {
        cycle ??= [...path];
        return v;
      }
      if (seen.has(v)) return v;
      seen.add(v);
      onPath.add(v);
      try {
        return walkObject(v);
      } finally {
        onPath.delete(v);
      }
    }
    return walkScalar(v);
  };
  const walkScalar = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('{{')) return v;
      let missing = false;
      const replaced = v.replace(REF, (all, ns: string, name: string) => {
        const hit = found(ns, name);
        if (hit !== undefined) return hit;
        missing = true;
        undefinedRef(ns, name);
        return all;
      });
      return missing ? v : replaced;
    }
    return v;
  };
  const walkObject = (v: object): unknown => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        v[i] = walk(v[i]);
        path.pop();
      }
      return v;
    }
    const obj = v as Record<string, unknown>;
    const ref = flowReference(obj);
    if (ref) {
      const hit = found(ref[1], ref[2]);
      if (hit === undefined) {
        undefinedRef(ref[1], ref[2]);
        return v;
      }
      return typed(hit);
    }
    for (const key of Object.keys(obj)) {
      path.push(key);
      obj[key] = walk(obj[key]);
      path.pop();
    }
    return v;
  };
  const out = walk(value);
  return { value: out, problems, substitutedEnv, ...(cycle ? { cycle } : {}) };
}
