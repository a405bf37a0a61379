// YAML text → plain values per document: the expensive half of loading a fleet. ASTs are not
// kept; positions are recomputed by re-parsing a file only when one of its documents needs a
// diagnostic (see file-view.ts), so large valid fleets stay cheap in memory and GC.
import { parseAllDocuments } from 'yaml';

export interface YamlValueDocument {
  /** 0-based position of the document in its file. */
  readonly index: number;
  readonly errors?: readonly { readonly offset: number; readonly message: string }[];
  readonly empty?: boolean;
  /** Offset of the document's content. */
  readonly start?: number;
  readonly value?: unknown;
  readonly aliasError?: string;
}

export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, logLevel: 'error' } as const;

export function parseYamlValues(text: string): YamlValueDocument[] {
  const parsed = parseAllDocuments(text, YAML_OPTIONS);
  const docs = Array.isArray(parsed) ? parsed : [];
  return docs.map((doc, index): YamlValueDocument => {
    if (doc.errors.length > 0) {
      return { index, errors: doc.errors.map((e) => ({ offset: e.pos[0], message: e.message.split('\n')[0] })) };
    }
    if (doc.contents === null) return { index, empty: true };
    const start = doc.contents.range ? doc.contents.range[0] : 0;
    try {
      return { index, start, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
    } catch (err) {
      // yaml throws when aliases expand too much (a "billion laughs" document).
      return { index, start, aliasError: err instanceof Error ? err.message : String(err) };
    }
  });
}
