// YAML parsing with positions: every document keeps its AST and the file's LineCounter so any
// field path can be mapped back to `file:line:column` (1-based) when a diagnostic needs it.
// Positions are resolved lazily: valid fleets never pay for them.
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { Diagnostic, FieldPath } from './diagnostics.js';

export interface SourceFile {
  readonly file: string;
  readonly text: string;
  readonly lines: LineCounter;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface YamlDocument {
  readonly source: SourceFile;
  /** 0-based index of the document inside its file. */
  readonly index: number;
  readonly doc: Document.Parsed;
}

export function positionAt(source: SourceFile, offset: number): Position {
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

/**
 * The position of the node at `path` (or of its key with `key: true`). When the path does not
 * exist (a missing required field), the deepest existing ancestor is used.
 */
export function locate(source: SourceFile, root: unknown, path: FieldPath, opts: { key?: boolean } = {}): Position {
  let node: unknown = root;
  let best = rangeStart(root) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && opts.key) {
        best = rangeStart(pair.key) ?? best;
        break;
      }
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      node = item;
    } else {
      break;
    }
    best = rangeStart(node) ?? best;
  }
  return positionAt(source, best);
}

export function parseYaml(file: string, text: string): { documents: YamlDocument[]; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const source: SourceFile = { file, text, lines };
  const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const diagnostics: Diagnostic[] = [];
  const documents: YamlDocument[] = [];
  const docs = Array.isArray(parsed) ? parsed : [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const at = positionAt(source, err.pos[0]);
        const message = err.message.split('\n')[0];
        diagnostics.push({ severity: 'error', code: 'yaml-syntax', file, line: at.line, column: at.column, message });
      }
      return;
    }
    if (doc.contents === null) return;
    documents.push({ source, index, doc });
  });
  return { documents, diagnostics };
}

export function isYamlFile(path: string): boolean {
  return path.endsWith('.yaml') || path.endsWith('.yml');
}


/**
 * Best-effort position of character `offset` of the string scalar at `path`: exact for plain and
 * quoted single-line scalars without escapes and for `|` block scalars; otherwise the scalar's start.
 */
/**
 * `expected`, when given, is the text the offset refers to: if the scalar as written differs (a
 * `{{ var.x }}` was substituted), the offset cannot be mapped and the field's position is returned.
 */
export function locateInScalar(source: SourceFile, root: unknown, path: FieldPath, offset: number, expected?: string): Position {
  const start = locate(source, root, path);
  let node: unknown = root;
  for (const seg of path) {
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg))?.value;
    else if (isSeq(node)) node = node.items[Number(seg)];
    else return start;
  }
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return start;
  const value = node.value;
  if (expected !== undefined && value !== expected) return start;
  // Parsers report "unexpected end" past the trailing newline of a block scalar: clamp to the text.
  const before = value.slice(0, Math.min(offset, value.trimEnd().length));
  offset = before.length;
  const lineIdx = before.split('\n').length - 1;
  const colIdx = offset - (before.lastIndexOf('\n') + 1);
  const raw = source.text.slice(node.range[0], node.range[1]);
  if (node.type === 'BLOCK_LITERAL') {
    const firstContent = source.text.indexOf('\n', node.range[0]) + 1;
    const indent = /^ */.exec(source.text.slice(firstContent))?.[0].length ?? 0;
    return { line: start.line + 1 + lineIdx, column: indent + colIdx + 1 };
  }
  if (value.includes('\n')) return start;
  if (node.type === 'PLAIN' && raw === value) return { line: start.line, column: start.column + offset };
  if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && raw.slice(1, -1) === value) return { line: start.line, column: start.column + 1 + offset };
  return start;
}
