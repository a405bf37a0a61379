// Positions for one manifest file without keeping its YAML AST: offsets map to line/column with
// a line index, and a field path maps to a position by re-parsing the file the first time one of
// its documents needs a diagnostic. Valid fleets never pay for ASTs (memory and GC in large fleets).
import type { DocContext } from '../document/context.js';
import type { Position, YamlDocument } from '../document/yaml-source.js';
import { locate, locateInScalar, parseYaml } from '../document/yaml-source.js';

export interface FileView {
  readonly file: string;
  position(offset: number): Position;
  /** Context of the document with this index; `start` is used if the document cannot be re-parsed. */
  context(index: number, start: Position, kind?: string, name?: string): DocContext;
}

export function createFileView(file: string, text: string): FileView {
  let lineStarts: number[] | undefined;
  let docs: Map<number, YamlDocument> | undefined;
  const position = (offset: number): Position => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  const doc = (index: number): YamlDocument | undefined => {
    docs ??= new Map(parseYaml(file, text).documents.map((d) => [d.index, d]));
    return docs.get(index);
  };
  return {
    file,
    position,
    context(index, start, kind, name) {
      return {
        ...(kind === undefined ? {} : { kind }),
        ...(name === undefined ? {} : { name }),
        locate: (path, key) => {
          const d = doc(index);
          return { file, at: d ? locate(d.source, d.doc.contents, path, { key }) : start };
        },
        locateInString: (path, offset, expected) => {
          const d = doc(index);
          return { file, at: d ? locateInScalar(d.source, d.doc.contents, path, offset, expected) : start };
        },
      };
    },
  };
}
