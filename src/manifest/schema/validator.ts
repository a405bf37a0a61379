// Compiles the schemas once per validator (ajv compilation dominates small runs) and turns ajv's
// errors into problems with a field path, a flag saying whether the key (not the value) is at
// fault, and a diagnostic code.
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { DiagnosticCode, FieldPath } from '../../document/diagnostics.js';
import type { JsonSchema, NameRule } from '../../document/schema.js';
import { escapeAndTruncate } from '../../model/escape.js';
import { kindRegistry, type KindRegistry } from '../../kinds/registry.js';
import { CONFIG_SCHEMA, ENV_SCHEMA, documentSchemas } from './kinds.js';

export interface SchemaProblem {
  readonly code: DiagnosticCode;
  readonly path: FieldPath;
  /** The offending thing is the key at `path` (unknown field, bad property name). */
  readonly key: boolean;
  readonly message: string;
}

export interface SchemaValidator {
  /** The document kinds it knows: the registered kinds, then the generators. */
  readonly kinds: readonly string[];
  /** Validates a document of one of `kinds`. */
  validateKind(kind: string, value: unknown): SchemaProblem[];
  validateConfig(value: unknown): SchemaProblem[];
  validateEnv(value: unknown): SchemaProblem[];
}

const TAGGABLE_HINT = 'AWS cannot tag this kind';
const TAG_KEY_RULE = 'AWS requires 1–128 letters, digits, spaces or _ . : / = + - @, not starting with aws:';

/** A key or value from the fleet inside a message: JSON-quoted, control characters escaped, shortened when long. */
function quote(s: string): string {
  const q = escapeAndTruncate(JSON.stringify(s), 66);
  return q.endsWith('"') ? q : `${q}"`;
}

function parsePointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function show(path: FieldPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? escapeAndTruncate(s, 64) : `.${escapeAndTruncate(s, 64)}`)).join('') || 'document';
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v === 'string' ? `string ${quote(v)}` : `${typeof v} ${JSON.stringify(v)}`;
}

function toProblem(kind: { readonly name: string; readonly rule: NameRule } | undefined, e: ErrorObject): SchemaProblem | undefined {
  const path = parsePointer(e.instancePath);
  const where = show(path);
  const params = e.params as Record<string, unknown>;
  // Errors raised inside a propertyNames subschema (ajv marks them with `propertyName`) repeat the
  // propertyNames error itself.
  if ((e.propertyName !== undefined || params.propertyName !== undefined) && e.keyword !== 'propertyNames') return undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const full = [...path, field];
      if (field === 'tags' && where === 'metadata') {
        return { code: 'unknown-field', path: full, key: true, message: `unknown field "tags": ${TAGGABLE_HINT} (${kind?.name})` };
      }
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = allowed.length ? ` (allowed: ${allowed.join(', ')})` : '';
      return { code: 'unknown-field', path: full, key: true, message: `unknown field ${quote(field)} in ${where}${hint}` };
    }
    case 'required': {
      const field = String(params.missingProperty);
      return { code: 'schema', path: [...path, field], key: false, message: `missing required field ${show([...path, field])}` };
    }
    case 'propertyNames':
      if (where === 'metadata.tags') {
        return { code: 'tag-invalid', path: [...path, String(params.propertyName)], key: true, message: `invalid tag key ${quote(String(params.propertyName))}: ${TAG_KEY_RULE}` };
      }
      return { code: 'schema', path: [...path, String(params.propertyName)], key: true, message: `invalid key ${quote(String(params.propertyName))} in ${where}` };
    case 'not': {
      const field = path[path.length - 1];
      const code: DiagnosticCode = field === 'parent' ? 'dynamic-group-parent' : field === 'policies' ? 'dynamic-group-policies' : 'schema';
      const why = field === 'parent' ? 'a dynamic thing group cannot have a parent (AWS forbids hierarchies for dynamic groups)' : field === 'policies' ? 'policies cannot be attached to a dynamic thing group (AWS forbids it)' : `${where} is not allowed`;
      return { code, path, key: true, message: why };
    }
    case 'const':
      if (where === 'apiVersion') return { code: 'unknown-api-version', path, key: false, message: `unsupported apiVersion ${describeValue(e.data)}; expected "${String(params.allowedValue)}"` };
      return { code: 'schema', path, key: false, message: `${where} must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum':
      return { code: 'schema', path, key: false, message: `${where} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}, got ${describeValue(e.data)}` };
    case 'type':
      return { code: 'schema', path, key: false, message: `${where} must be ${String(params.type).replace(/,/g, ' or ')}, got ${describeValue(e.data)}` };
    default:
      break;
  }
  if (kind && where === 'metadata.name' && (e.keyword === 'pattern' || e.keyword === 'minLength' || e.keyword === 'maxLength')) {
    const { rule } = kind;
    return { code: 'name-pattern', path, key: false, message: `${kind.name} name ${quote(String(e.data))} is invalid: AWS requires 1–${rule.maxLength} characters matching ${rule.pattern}` };
  }
  return { code: 'schema', path, key: false, message: `${where} ${e.message ?? 'is invalid'}` };
}

function run(validate: ValidateFunction, kind: { readonly name: string; readonly rule: NameRule } | undefined, value: unknown): SchemaProblem[] {
  if (validate(value)) return [];
  const out: SchemaProblem[] = [];
  for (const e of validate.errors ?? []) {
    const p = toProblem(kind, e);
    if (p) out.push(p);
  }
  return out;
}

export function createSchemaValidator(registry: KindRegistry = kindRegistry): SchemaValidator {
  const documents = documentSchemas(registry);
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true });
  // Compiled on first use: a small fleet only pays for the kinds it declares.
  const compiled = new Map<string, ValidateFunction>();
  const get = (key: string, schema: JsonSchema): ValidateFunction => {
    let fn = compiled.get(key);
    if (!fn) {
      fn = ajv.compile(schema as object);
      compiled.set(key, fn);
    }
    return fn;
  };
  return {
    kinds: [...documents.keys()],
    validateKind: (kind, value) => {
      const d = documents.get(kind);
      if (!d) throw new Error(`no schema for kind ${kind}`);
      return run(get(kind, d.schema), { name: kind, rule: d.name }, value);
    },
    validateConfig: (value) => run(get('config', CONFIG_SCHEMA), undefined, value),
    validateEnv: (value) => run(get('env', ENV_SCHEMA), undefined, value),
  };
}
