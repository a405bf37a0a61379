// Saves and loads EmulatorState as JSON. Maps and Sets are tagged ({"$map": [...]}, {"$set": [...]})
// so any field an operation module adds round-trips without a schema here.
// Saves are atomic: write a temp file in the same directory, fsync it, rename over the target,
// fsync the directory. A crash (even kill -9) leaves either the old file or the new one.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { emptyState, type EmulatorState } from './state.js';

const FORMAT = 'iotops-emulator-state';
const VERSION = 1;

export function serializeState(state: EmulatorState): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, state }, (_key, value: unknown) => {
    if (value instanceof Map) return { $map: [...value] };
    if (value instanceof Set) return { $set: [...value] };
    return value;
  });
}

export function deserializeState(text: string): EmulatorState {
  const doc = JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      if (Array.isArray(v.$map) && Object.keys(v).length === 1) return new Map(v.$map as [unknown, unknown][]);
      if (Array.isArray(v.$set) && Object.keys(v).length === 1) return new Set(v.$set);
    }
    return value;
  }) as { format?: string; version?: number; state?: EmulatorState };
  if (doc.format !== FORMAT || doc.version !== VERSION || !doc.state) throw new Error(`not an iotops emulator state file (format ${String(doc.format)} v${String(doc.version)})`);
  // Fill sections added after the file was written, so older files keep loading.
  return { ...emptyState(doc.state.accountId, doc.state.region), ...doc.state };
}

/** Loads the state file, first removing temp files a crashed save left behind. */
export function loadState(path: string): EmulatorState | undefined {
  removeStaleTemps(path);
  if (!existsSync(path)) return undefined;
  return deserializeState(readFileSync(path, 'utf8'));
}

function removeStaleTemps(path: string): void {
  const dir = dirname(path);
  if (!existsSync(dir)) return;
  const prefix = `.${basename(path)}.`;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // another process may be saving right now; its temp file is not ours to fight over
    }
  }
}

export function saveStateAtomic(path: string, state: EmulatorState): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const data = serializeState(state);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temp file is already gone
    }
    throw err;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directory fsync is unsupported on some platforms (Windows); the rename itself is still atomic.
  }
}

export interface Saver {
  /** Schedules a save; several mutations within the debounce window produce one write. */
  markDirty(): void;
  /** Writes now if anything changed since the last save. */
  flush(): void;
  stop(): void;
}

export function createSaver(props: { path: string; state: () => EmulatorState; debounceMs?: number; onError: (err: unknown) => void }): Saver {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    try {
      saveStateAtomic(props.path, props.state());
    } catch (err) {
      dirty = true;
      props.onError(err);
    }
  };
  return {
    markDirty() {
      dirty = true;
      if (timer) return;
      timer = setTimeout(flush, props.debounceMs ?? 250);
      timer.unref();
    },
    flush,
    stop() {
      flush();
    },
  };
}
