// Files named by a manifest field (documentFile, certificateFile, csrFile, from): resolved
// relative to the manifest, read from the in-memory FileSet, problems reported at the field.
import type { FieldPath } from './diagnostics.js';
import { diagAt } from './context.js';
import type { NormalizeProps } from './normalize.js';

export interface ReferencedText {
  readonly path: string;
  readonly text: string;
}

export function readReferenced(p: Pick<NormalizeProps, 'file' | 'files' | 'ctx' | 'emit'>, field: FieldPath, ref: string): ReferencedText | undefined {
  const r = p.files.resolve(p.file, ref);
  if (!r.ok) {
    const message =
      r.reason === 'outside'
        ? `${ref} is outside the fleet directory; referenced files must live inside the fleet`
        : `file ${r.path} not found (resolved relative to ${p.file})`;
    p.emit(diagAt(p.ctx, r.reason === 'outside' ? 'file-outside-fleet' : 'file-not-found', field, message));
    return undefined;
  }
  const t = p.files.text(r.file);
  if (!t.ok) {
    p.emit(diagAt(p.ctx, 'binary-file', field, `${r.file.path} is a binary file, expected UTF-8 text`));
    return undefined;
  }
  return { path: r.file.path, text: t.text };
}
