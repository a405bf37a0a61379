// Shared shapes of the per-kind normalizers: they turn a schema-valid document into a
// DesiredResource, reading referenced files through the in-memory FileSet and reporting
// problems through `emit`. Cross-resource checks happen later, in ../checks/.
import type { DocContext, Emit } from './context.js';
import type { FileSet } from './file-set.js';
import type { DesiredResource, SourceRef, StringMap } from '../model/resource.js';

/** The content parsers owned by src/lang/policy and src/lang/sql, injected for testability. */
export interface ContentCheckers {
  checkPolicyDocument(doc: unknown): readonly { readonly code: string; readonly path: readonly (string | number)[]; readonly message: string }[];
  checkTopicRuleSql(sql: string, sqlVersion: string): readonly { readonly code: string; readonly message: string; readonly offset: number }[];
  /** Checks one `{ <type>: {...} }` rule action; issue paths are inside the action object. */
  checkRuleAction(action: unknown): readonly { readonly code: string; readonly path: readonly (string | number)[]; readonly message: string }[];
}

// Schema-valid document values are loosely typed JSON; normalizers narrow them field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RawSpec = Record<string, any>;

export interface NormalizeProps {
  readonly file: string;
  readonly name: string;
  readonly tags: StringMap | undefined;
  readonly spec: RawSpec;
  readonly ctx: DocContext;
  readonly source: SourceRef;
  readonly files: FileSet;
  readonly emit: Emit;
  readonly checkers: ContentCheckers;
}

/** A resource plus what checks need to point back at the manifest: its context and raw spec. */
export interface Declared {
  readonly resource: DesiredResource;
  readonly ctx: DocContext;
  readonly raw: RawSpec;
}

export function stringMap(v: unknown): StringMap {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

/** Sorted (code-unit order), de-duplicated. */
export function nameSet(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return [...new Set(v.map(String))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
