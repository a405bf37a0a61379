// Where a resource came from, and how to turn a field path of it into a diagnostic position.
// Generated things (ThingFleet) get locators that point into the generator's template or CSV row.
import type { Diagnostic, DiagnosticCode, FieldPath, Severity } from './diagnostics.js';
import { formatPath } from './diagnostics.js';
import type { Position, SourceFile } from './yaml-source.js';
import { locate } from './yaml-source.js';

export type Locator = (path: FieldPath, key?: boolean) => { readonly file: string; readonly at: Position };

export interface DocContext {
  readonly kind?: string;
  readonly name?: string;
  readonly locate: Locator;
  /**
   * Position of a character inside the string at `path` (SQL and query errors); defaults to the
   * field. With `expected` (the string the offset counts in), falls back to the field when the
   * YAML scalar differs from it (variables were substituted).
   */
  readonly locateInString?: (path: FieldPath, offset: number, expected?: string) => { readonly file: string; readonly at: Position };
}

export function yamlLocator(source: SourceFile, root: unknown): Locator {
  return (path, key) => ({ file: source.file, at: locate(source, root, path, { key }) });
}

export function fixedLocator(file: string, at: Position): Locator {
  return () => ({ file, at });
}

export interface DiagOptions {
  readonly key?: boolean;
  readonly severity?: Severity;
}

export function diagAt(ctx: DocContext, code: DiagnosticCode, path: FieldPath, message: string, opts: DiagOptions = {}): Diagnostic {
  const { file, at } = ctx.locate(path, opts.key);
  return {
    severity: opts.severity ?? 'error',
    code,
    file,
    line: at.line,
    column: at.column,
    ...(ctx.kind === undefined ? {} : { kind: ctx.kind }),
    ...(ctx.name === undefined ? {} : { name: ctx.name }),
    ...(path.length ? { path: formatPath(path) } : {}),
    message,
  };
}

export type Emit = (d: Diagnostic) => void;
