// A fleet directory on disk, watched with chokidar. An editor's burst of writes (save, rename,
// backup file) becomes one artifact: events are debounced, and an artifact is emitted only
// when the content digest changed.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { directoryDigest } from './digest.js';
import { SourceError, type Source, type SourceListener } from './types.js';

export interface DirSourceProps {
  readonly dir: string;
  /** Quiet time after the last file event before re-reading (ms). */
  readonly debounceMs?: number;
  /** Watch for changes (default true); false gives a source that only refreshes on demand. */
  readonly watch?: boolean;
}

export function dirSource(props: DirSourceProps): Source {
  const dir = resolve(props.dir);
  const debounceMs = props.debounceMs ?? 300;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let listener: SourceListener | undefined;
  let lastRevision: string | undefined;
  let running: Promise<void> = Promise.resolve();

  const check = async (): Promise<void> => {
    if (!listener) return;
    try {
      const info = await stat(dir).catch(() => undefined);
      if (!info?.isDirectory()) throw new SourceError('source-not-found', `fleet directory ${dir} does not exist`);
      const revision = await directoryDigest(dir);
      listener.checked?.(revision);
      if (revision === lastRevision) return;
      lastRevision = revision;
      listener.artifact({ revision, dir });
    } catch (err) {
      // The artifact dir is the live directory, so after it was gone (or unreadable) the same
      // content coming back must be announced again: the controller may have stalled on it.
      lastRevision = undefined;
      listener.error(err instanceof SourceError ? err : new SourceError('source-checkout-failed', `cannot read ${dir}: ${(err as Error).message}`));
    }
  };
  // Checks never overlap, so artifacts arrive in order.
  const serialCheck = (): Promise<void> => (running = running.then(check));

  return {
    description: `dir ${dir}`,
    async start(l) {
      listener = l;
      await serialCheck();
      if (props.watch === false) return;
      watcher = watch(dir, {
        ignoreInitial: true,
        ignored: (path) => /(^|[\\/])(\.[^\\/]+|node_modules)([\\/]|$)/.test(path.slice(dir.length)),
        awaitWriteFinish: false,
      });
      watcher.on('all', () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => void serialCheck(), debounceMs);
      });
      await new Promise<void>((ready) => watcher!.once('ready', () => ready()));
    },
    refresh: serialCheck,
    async stop() {
      if (timer) clearTimeout(timer);
      await watcher?.close();
      await running;
      listener = undefined;
    },
  };
}
