// Policy: the document comes inline (YAML/JSON object or JSON text) or from documentFile. It is
// checked with the policy parser; issue paths are mapped onto YAML/JSON positions, including in
// the referenced file (JSON is parsed a second time as YAML purely for positions).
import { LineCounter, parseDocument } from 'yaml';
import type { FieldPath } from '../../document/diagnostics.js';
import type { DocContext } from '../../document/context.js';
import { diagAt, fixedLocator, yamlLocator } from '../../document/context.js';
import type { DesiredResourceOf } from '../../model/resource.js';
import { NAME_RULES, object, str } from '../../document/schema.js';
import type { KindManifest } from '../types.js';
import type { Position, SourceFile } from '../../document/yaml-source.js';
import { positionAt } from '../../document/yaml-source.js';
import { readReferenced } from '../../document/referenced-file.js';
import type { NormalizeProps } from '../../document/normalize.js';

interface Parsed {
  readonly value?: unknown;
  readonly error?: { readonly at?: Position; readonly message: string };
  readonly ctx?: DocContext;
}

/** Parses JSON (or YAML by extension) keeping a locator for positions inside the file. */
export function parseStructuredFile(path: string, text: string, base: DocContext): Parsed {
  const lines = new LineCounter();
  const source: SourceFile = { file: path, text, lines };
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const isYaml = path.endsWith('.yaml') || path.endsWith('.yml');
  const ctx: DocContext = { kind: base.kind, name: base.name, locate: yamlLocator(source, doc.contents) };
  if (isYaml) {
    if (doc.errors.length) return { error: { at: positionAt(source, doc.errors[0].pos[0]), message: doc.errors[0].message.split('\n')[0] } };
    return { value: doc.toJS() as unknown, ctx };
  }
  try {
    return { value: JSON.parse(text) as unknown, ctx };
  } catch (err) {
    const m = /position (\d+)/.exec(String(err));
    const offset = doc.errors[0]?.pos[0] ?? (m ? Number(m[1]) : 0);
    return { error: { at: positionAt(source, offset), message: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

export function normalizePolicy(p: NormalizeProps): DesiredResourceOf<'Policy'> | undefined {
  const s = p.spec;
  const hasDoc = s.document !== undefined;
  const hasFile = s.documentFile !== undefined;
  if (hasDoc === hasFile) {
    p.emit(diagAt(p.ctx, 'policy-document-source', ['spec'], hasDoc ? 'give either document or documentFile, not both' : 'a Policy needs spec.document or spec.documentFile'));
    return undefined;
  }
  let document: unknown;
  let issueCtx: DocContext = p.ctx;
  let prefix: FieldPath = ['spec', 'document'];
  if (hasFile) {
    const ref = readReferenced(p, ['spec', 'documentFile'], String(s.documentFile));
    if (!ref) return undefined;
    const parsed = parseStructuredFile(ref.path, ref.text, p.ctx);
    if (parsed.error) {
      const locate = fixedLocator(ref.path, parsed.error.at ?? { line: 1, column: 1 });
      p.emit(diagAt({ kind: p.ctx.kind, name: p.ctx.name, locate }, 'policy-invalid', [], `policy document: ${parsed.error.message}`));
      return undefined;
    }
    document = parsed.value;
    issueCtx = parsed.ctx ?? p.ctx;
    prefix = [];
  } else if (typeof s.document === 'string') {
    try {
      document = JSON.parse(s.document) as unknown;
    } catch (err) {
      p.emit(diagAt(p.ctx, 'policy-invalid', ['spec', 'document'], `policy document is not valid JSON: ${err instanceof Error ? err.message : String(err)}`));
      return undefined;
    }
    // Positions inside a JSON string are not mapped: issues point at the string itself.
    issueCtx = { ...p.ctx, locate: (_path, key) => p.ctx.locate(['spec', 'document'], key) };
  } else {
    document = s.document;
  }
  const issues = p.checkers.checkPolicyDocument(document);
  for (const issue of issues) {
    const code = issue.code === 'pattern-too-complex' ? 'pattern-too-complex' : 'policy-invalid';
    p.emit(diagAt(issueCtx, code, [...prefix, ...issue.path], `policy document: ${issue.message} (${issue.code})`));
  }
  if (issues.length || typeof document !== 'object' || document === null || Array.isArray(document)) {
    if (!issues.length) p.emit(diagAt(issueCtx, 'policy-invalid', prefix, 'policy document must be a JSON object'));
    return undefined;
  }
  return { kind: 'Policy', name: p.name, ...(p.tags ? { tags: p.tags } : {}), source: p.source, spec: { document: document as Record<string, unknown> } };
}

export const policyManifest: KindManifest<'Policy'> = {
  name: NAME_RULES.PolicyName,
  schema: {
    file: 'policy.schema.json',
    title: 'iotops Policy',
    description: 'An IoT policy. A changed document becomes a new default version (at most 5 are kept)',
    nameDescription: 'Policy name: 1–128 of [\\w+=,.@-]',
    spec: object('Exactly one of document or documentFile', {
      document: { type: ['object', 'string'], description: 'The policy document (YAML/JSON object, or JSON text)' },
      documentFile: str('JSON (or YAML) file with the document, relative to this manifest', { minLength: 1 }),
    }),
  },
  normalize: normalizePolicy,
};
