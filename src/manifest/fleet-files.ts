// The only file-system code of src/manifest: walks a fleet directory and reads every file into
// memory. Everything after this (parsing, validation, expansion) is pure over the returned list,
// which also makes referenced files (documentFile, csrFile, CSV sources) resolvable without I/O.
import type { FleetFile } from '../document/file-set.js';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Diagnostic } from '../document/diagnostics.js';
import { withDefaults, type LoadLimits } from './limits.js';


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

interface Found {
  readonly path: string;
  /** A symbolic link: its target must stay inside the fleet. */
  readonly link: boolean;
}

/** True when `real` (a resolved path) is `root` or below it. */
export function isInside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function walk(root: string, rel: string, out: Found[], diagnostics: Diagnostic[]): Promise<void> {
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
      out.push({ path: child, link: false });
    } else if (entry.isSymbolicLink()) {
      // Linked files are followed; linked directories are not (they could loop or leave the fleet).
      try {
        if ((await stat(join(root, child))).isFile()) out.push({ path: child, link: true });
      } catch (err) {
        diagnostics.push(unreadable(child, err));
      }
    }
  }
}

function at(file: string, code: Diagnostic['code'], message: string): Diagnostic {
  return { severity: 'error', code, file, line: 1, column: 1, message };
}

/**
 * Reads every file of the fleet, within the operator's size limits. A symbolic link is read only
 * if its real path stays inside the fleet: a fleet repo linking `doc.json` to
 * /var/run/secrets/... must not get that file into a plan or into AWS.
 */
export async function readFleetFiles(dir: string, limitsIn?: Partial<LoadLimits>): Promise<ReadFleetResult> {
  const limits = withDefaults(limitsIn);
  const diagnostics: Diagnostic[] = [];
  let root: string;
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) {
      return { files: [], diagnostics: [{ severity: 'error', code: 'fleet-not-found', file: '.', line: 1, column: 1, message: `fleet path ${dir} is not a directory` }] };
    }
    root = await realpath(dir);
  } catch {
    return { files: [], diagnostics: [{ severity: 'error', code: 'fleet-not-found', file: '.', line: 1, column: 1, message: `fleet directory ${dir} does not exist` }] };
  }
  const found: Found[] = [];
  await walk(dir, '', found, diagnostics);
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Check every file (link target, size) before reading any, so an oversized fleet reads nothing.
  const sizes: (number | undefined)[] = new Array(found.length);
  await eachConcurrently(found.length, async (i) => {
    const { path, link } = found[i];
    try {
      if (link && !isInside(root, await realpath(join(dir, path)))) {
        diagnostics.push(at(path, 'symlink-outside-fleet', `${path} is a symbolic link to a file outside the fleet directory; fleet files must live inside the fleet (replace the link with the file)`));
        return;
      }
      const size = (await stat(join(dir, path))).size;
      if (size > limits.maxFileBytes) {
        diagnostics.push(at(path, 'file-too-large', `${path} is ${size} bytes, more than the limit of ${limits.maxFileBytes} bytes per file; the operator can raise it with --max-file-bytes <n>`));
        return;
      }
      sizes[i] = size;
    } catch (err) {
      diagnostics.push(unreadable(path, err));
    }
  });
  const total = sizes.reduce<number>((sum, n) => sum + (n ?? 0), 0);
  if (total > limits.maxFleetBytes) {
    diagnostics.push(at('.', 'fleet-too-large', `the fleet's files total ${total} bytes, more than the limit of ${limits.maxFleetBytes} bytes; the operator can raise it with --max-fleet-bytes <n>`));
    return { files: [], diagnostics };
  }
  const files: (FleetFile | undefined)[] = new Array(found.length);
  await eachConcurrently(found.length, async (i) => {
    if (sizes[i] === undefined) return;
    const path = found[i].path;
    try {
      const bytes = await readFile(join(dir, path));
      // The file may have grown between stat and read.
      if (bytes.length > limits.maxFileBytes) diagnostics.push(at(path, 'file-too-large', `${path} is ${bytes.length} bytes, more than the limit of ${limits.maxFileBytes} bytes per file; the operator can raise it with --max-file-bytes <n>`));
      else files[i] = { path, bytes };
    } catch (err) {
      diagnostics.push(unreadable(path, err));
    }
  });
  return { files: files.filter((f): f is FleetFile => f !== undefined), diagnostics };
}

async function eachConcurrently(n: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, n) }, worker));
}
