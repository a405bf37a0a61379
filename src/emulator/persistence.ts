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
  return JSON.stringify({ format: FORMAT, version: VERSION, state: encode(state) });
}

export function deserializeState(text: string): EmulatorState {
  const doc = decode(JSON.parse(text)) as { format?: string; version?: number; state?: EmulatorState };
  if (doc.format !== FORMAT || doc.version !== VERSION || !doc.state) throw new Error(`not an iotops emulator state file (format ${String(doc.format)} v${String(doc.version)})`);
  // Fill sections added after the file was written, so older files keep loading.
  return { ...emptyState(doc.state.accountId, doc.state.region), ...doc.state };
}

/**
 * Maps/Sets → tagged plain data. A walk plus a replacer-free JSON.stringify is several times
 * faster than a JSON.stringify replacer at 100,000 things; objects without Maps or Sets inside are
 * reused as they are, not copied.
 */
function encode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map) {
    const entries: [unknown, unknown][] = [];
    for (const [k, v] of value) entries.push([k, encode(v)]);
    return { $map: entries };
  }
  if (value instanceof Set) return { $set: [...value].map(encode) };
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const e = encode(value[i]);
      if (e !== value[i]) (out ??= value.slice())[i] = e;
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    const e = encode(obj[k]);
    if (e !== obj[k]) (out ??= { ...obj })[k] = e;
  }
  return out ?? value;
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decode(value[i]);
    return value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === '$map' && Array.isArray(obj.$map)) {
    return new Map((obj.$map as [unknown, unknown][]).map(([k, v]) => [k, decode(v)]));
  }
  if (keys.length === 1 && keys[0] === '$set' && Array.isArray(obj.$set)) return new Set((obj.$set as unknown[]).map(decode));
  for (const k of keys) obj[k] = decode(obj[k]);
  return obj;
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

/**
 * Saves at most once per window: `debounceMs`, stretched to 10× the last save's duration so that
 * serializing a large state (≈0.5 s at 100,000 things) never takes more than ~10% of the time.
 */
export function createSaver(props: { path: string; state: () => EmulatorState; debounceMs?: number; onError: (err: unknown) => void }): Saver {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let lastDurationMs = 0;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    const started = performance.now();
    try {
      saveStateAtomic(props.path, props.state());
    } catch (err) {
      dirty = true;
      props.onError(err);
    }
    lastDurationMs = performance.now() - started;
  };
  return {
    markDirty() {
      dirty = true;
      if (timer) return;
      timer = setTimeout(flush, Math.max(props.debounceMs ?? 250, lastDurationMs * 10));
      timer.unref();
    },
    flush,
    stop() {
      flush();
    },
  };
}
