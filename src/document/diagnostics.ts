// Diagnostics: every problem found in a fleet, as data with a stable code and a source position.
// Nothing in src/manifest throws on bad input; it collects diagnostics so one run reports them all.

export type Severity = 'error' | 'warning';

export const DIAGNOSTIC_CODES = [
  'fleet-not-found',
  'empty-fleet',
  'unreadable-file',
  'binary-file',
  'file-not-found',
  'file-outside-fleet',
  'private-key-in-fleet',
  'yaml-syntax',
  'not-a-document',
  'unknown-api-version',
  'unknown-kind',
  'unknown-field',
  'schema',
  'name-pattern',
  'tag-invalid',
  'undefined-variable',
  'env-not-allowed',
  'symlink-outside-fleet',
  'file-too-large',
  'fleet-too-large',
  'too-many-documents',
  'too-many-things',
  'env-not-found',
  'duplicate-resource',
  'reserved-name',
  'unknown-reference',
  'dynamic-group-membership',
  'group-cycle',
  'group-depth',
  'group-hierarchy-conflict',
  'dynamic-group-parent',
  'dynamic-group-policies',
  'dynamic-group-needs-indexing',
  'dynamic-group-query',
  'deprecated-thing-type',
  'too-many-searchable-attributes',
  'too-many-attributes',
  'attribute-value-space',
  'attribute-value-invalid',
  'too-many-groups',
  'too-many-policies',
  'policy-invalid',
  'pattern-too-complex',
  'policy-document-source',
  'sql-invalid',
  'unknown-rule-action',
  'rule-action-invalid',
  'rule-actions-count',
  'job-document-source',
  'job-document-invalid',
  'job-document-too-large',
  'job-targets-empty',
  'too-many-job-targets',
  'certificate-source',
  'certificate-invalid',
  'csr-invalid',
  'thing-fleet-source',
  'thing-fleet-template',
  'csv-invalid',
  'internal-error',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  /** Relative to the fleet root, POSIX separators; `.` when the problem is the fleet directory itself. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly kind?: string;
  readonly name?: string;
  /** Field path inside the document, e.g. `spec.attributes.site` or `spec.groups[2]`. */
  readonly path?: string;
  readonly message: string;
}

export type FieldPath = readonly (string | number)[];

export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

function compare(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/**
 * Sorted by file, line, column; identical diagnostics collapse into one (a ThingFleet template
 * problem is found once per generated thing but is one mistake in one place).
 */
export function finalizeDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of list) {
    const key = `${d.severity}\0${d.code}\0${d.file}\0${d.line}\0${d.column}\0${d.path ?? ''}\0${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort(compare);
}

/** Longest value a message quotes; longer ones are cut (a 10 MB attribute must not make a 10 MB line). */
export const MAX_ECHOED_CHARS = 80;
/** Backstop for a message that quotes a value without double quotes. */
const MAX_MESSAGE_CHARS = 1000;
/** Shorter environment values are not redacted: they would mangle ordinary words of a message. */
const MIN_REDACTED_CHARS = 4;
const REDACTED = '<redacted: value of an environment variable>';
const ALREADY_CUT = /… \(\d+ char(acter)?s\)$/;

export function truncateValue(value: string, max = MAX_ECHOED_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} chars)`;
}

/**
 * What a diagnostic may show: values substituted from the environment are never echoed (they may
 * be secrets the operator allowed into AWS, not into CI logs), and quoted values are truncated.
 */
export function sanitizeDiagnostics(list: readonly Diagnostic[], secrets: readonly string[]): Diagnostic[] {
  const hidden = [...new Set(secrets.filter((s) => s.length >= MIN_REDACTED_CHARS))].sort((a, b) => b.length - a.length);
  const clean = (text: string): string => {
    let out = text;
    for (const s of hidden) if (out.includes(s)) out = out.split(s).join(REDACTED);
    // A value another check already shortened (it ends with its length) is left as it is.
    out = out.replace(/"([^"]{81,})"/g, (all, v: string) => (ALREADY_CUT.test(v) ? all : `"${truncateValue(v)}"`));
    return truncateValue(out, MAX_MESSAGE_CHARS);
  };
  return list.map((d) => {
    const message = clean(d.message);
    const name = d.name === undefined ? undefined : clean(d.name);
    const path = d.path === undefined ? undefined : clean(d.path);
    if (message === d.message && name === d.name && path === d.path) return d;
    return { ...d, message, ...(name === undefined ? {} : { name }), ...(path === undefined ? {} : { path }) };
  });
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}
