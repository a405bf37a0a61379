// In-memory view of the fleet's files: text decoding with binary detection, and resolution of
// paths referenced by manifests (relative to the manifest, never outside the fleet root).
import { posix } from 'node:path';

export type TextResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'binary' };

export type ResolveResult =
  | { readonly ok: true; readonly file: FleetFile }
  | { readonly ok: false; readonly reason: 'outside' | 'missing'; readonly path: string };

export interface FileSet {
  readonly files: readonly FleetFile[];
  text(file: FleetFile): TextResult;
  /** `ref` is relative to the directory of `from` (a fleet-relative path). */
  resolve(from: string, ref: string): ResolveResult;
}

export function createFileSet(files: readonly FleetFile[]): FileSet {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const cache = new Map<string, TextResult>();
  return {
    files,
    text(file) {
      const hit = cache.get(file.path);
      if (hit) return hit;
      let result: TextResult;
      if (file.bytes.includes(0)) {
        result = { ok: false, reason: 'binary' };
      } else {
        try {
          result = { ok: true, text: decoder.decode(file.bytes).replace(/^\uFEFF/, '') };
        } catch {
          result = { ok: false, reason: 'binary' };
        }
      }
      cache.set(file.path, result);
      return result;
    },
    resolve(from, ref) {
      const joined = posix.normalize(posix.join(posix.dirname(from), ref.replace(/\\/g, '/')));
      if (posix.isAbsolute(ref) || joined === '..' || joined.startsWith('../')) return { ok: false, reason: 'outside', path: ref };
      const file = byPath.get(joined);
      return file ? { ok: true, file } : { ok: false, reason: 'missing', path: joined };
    },
  };
}

/** One file of the fleet, as the loader read it. */
export interface FleetFile {
  /** Relative to the fleet root, POSIX separators. */
  readonly path: string;
  readonly bytes: Uint8Array;
}
