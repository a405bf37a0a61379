// The only file-system code of src/manifest: walks a fleet directory and reads every file into
// memory. Everything after this (parsing, validation, expansion) is pure over the returned list,
// which also makes referenced files (documentFile, csrFile, CSV sources) resolvable without I/O.
import type { FleetFile } from '../document/file-set.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../document/diagnostics.js';


export interface ReadFleetResult {
  /** Sorted by path (code-unit order) so every later step is deterministic. */
  readonly files: readonly FleetFile[];
  readonly diagnostics: readonly Diagnostic[];
}

const READ_CONCURRENCY = 32;

/** Dotfiles/dot-directories (.git, .iotops) and node_modules are never part of a fleet. */
export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'it disappeared or is a dangling symbolic link',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
};

function unreadable(path: string, err: unknown): Diagnostic {
  const code = err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : '';
  const reason = REASONS[code] ?? (code || String(err));
  return { severity: 'error', code: 'unreadable-file', file: path, line: 1, column: 1, message: `cannot read ${path}: ${reason}` };
}

async function walk(root: string, rel: string, out: string[], diagnostics: Diagnostic[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(join(root, rel), { withFileTypes: true });
  } catch (err) {
    diagnostics.push(unreadable(rel === '' ? '.' : rel, err));
    return;
  }
  for (const entry of entries) {
    if (isSkippedName(entry.name)) continue;
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      await walk(root, child, out, diagnostics);
    } else if (entry.isFile()) {
      out.push(child);
    } else if (entry.isSymbolicLink()) {
      // Linked files are followed; linked directories are not (they could loop or leave the fleet).
      try {
        if ((await stat(join(root, child))).isFile()) out.push(child);
      } catch (err) {
        diagnostics.push(unreadable(child, err));
      }
    }
  }
}

export async function readFleetFiles(dir: string): Promise<ReadFleetResult> {
  const diagnostics: Diagnostic[] = [];
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) {
      return { files: [], diagnostics: [{ severity: 'error', code: 'fleet-not-found', file: '.', line: 1, column: 1, message: `fleet path ${dir} is not a directory` }] };
    }
  } catch {
    return { files: [], diagnostics: [{ severity: 'error', code: 'fleet-not-found', file: '.', line: 1, column: 1, message: `fleet directory ${dir} does not exist` }] };
  }
  const paths: string[] = [];
  await walk(dir, '', paths, diagnostics);
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files: (FleetFile | undefined)[] = new Array(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      const path = paths[i];
      try {
        files[i] = { path, bytes: await readFile(join(dir, path)) };
      } catch (err) {
        diagnostics.push(unreadable(path, err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
  return { files: files.filter((f): f is FleetFile => f !== undefined), diagnostics };
}
