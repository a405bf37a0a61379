// Helpers for the controller e2e tests: `runController` in-process against an emulator (the
// real SDK over HTTP), /status and /metrics readers, polling, and a scratch git remote.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { captureIo, type CapturedIo } from '../../src/cli/io.js';
import { runController, type RunOptions } from '../../src/cli/run.js';
import type { ControllerStatus } from '../../src/controller/status.js';

export interface RunningController {
  readonly url: string;
  readonly io: CapturedIo;
  /** Log lines (JSON) written so far. */
  logs(): Array<Record<string, unknown>>;
  status(): Promise<ControllerStatus>;
  metrics(): Promise<string>;
  /** Aborts (as SIGTERM does) and resolves with the exit code. */
  stop(): Promise<number>;
  readonly exited: Promise<number>;
}

export async function startController(props: {
  readonly cwd: string;
  readonly endpoint: string;
  readonly options: Partial<RunOptions>;
}): Promise<RunningController> {
  const io = captureIo({ cwd: props.cwd, env: { PATH: process.env.PATH ?? '', HOME: props.cwd } });
  const abort = new AbortController();
  let url: string | undefined;
  let listening!: () => void;
  const ready = new Promise<void>((r) => (listening = r));
  const exited = runController({
    io,
    signal: abort.signal,
    onListening: (u) => {
      url = u;
      listening();
    },
    options: {
      branch: 'main',
      path: '.',
      interval: 2000,
      mode: 'heal',
      secretsDir: '.iotops/secrets',
      listen: '127.0.0.1:0',
      endpoint: props.endpoint,
      logLevel: 'info',
      logFormat: 'json',
      ...props.options,
    },
  });
  await Promise.race([ready, exited.then((code) => Promise.reject(new Error(`controller exited with ${code}: ${io.err.join('')}`)))]);
  const base = url!;
  return {
    url: base,
    io,
    exited,
    logs: () =>
      io.err
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    status: async () => (await (await fetch(`${base}/status`)).json()) as ControllerStatus,
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
    stop: async () => {
      abort.abort();
      return exited;
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Reconciles started between log line `from` and the last line with message `msg`, which must come
 * after it: how many cycles the controller took to handle something that happened at `from`.
 */
export function reconcilesUntil(logs: ReadonlyArray<Record<string, unknown>>, from: number, msg: string): number {
  const to = logs.findLastIndex((l) => l.msg === msg);
  if (to < from) throw new Error(`no '${msg}' logged after line ${from}`);
  return logs.slice(from, to).filter((l) => l.msg === 'reconcile started').length;
}

export function condition(status: ControllerStatus, type: 'Ready' | 'Reconciling' | 'Stalled') {
  return status.conditions.find((c) => c.type === type);
}

/** A bare repository plus a working clone that commits and pushes fleets to it. */
export interface GitRemote {
  readonly bare: string;
  readonly root: string;
  /** Replaces the fleet directory's content with `files`, commits and pushes; returns the sha. */
  commit(files: Readonly<Record<string, string>>, message: string): string;
  /** Pushes `sha` to main with --force (history rewrite). */
  forcePush(sha: string): void;
  remove(): void;
}

export function gitRemote(fleetPath: string): GitRemote {
  const root = mkdtempSync(join(tmpdir(), 'iotops-git-'));
  const bare = join(root, 'remote.git');
  const work = join(root, 'work');
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: root, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 't@example.com' },
    }).trim();
  mkdirSync(work, { recursive: true });
  git(root, 'init', '--bare', '--initial-branch=main', bare);
  git(work, 'init', '--initial-branch=main');
  git(work, 'remote', 'add', 'origin', bare);
  return {
    bare,
    root,
    commit(files, message) {
      rmSync(join(work, fleetPath), { recursive: true, force: true });
      for (const [file, text] of Object.entries(files)) {
        const path = join(work, fleetPath, file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      }
      writeFileSync(join(work, 'README.md'), `fleet repo: ${message}\n`);
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', message);
      git(work, 'push', '-q', '--force', 'origin', 'HEAD:main');
      return git(work, 'rev-parse', 'HEAD');
    },
    forcePush(sha) {
      git(work, 'reset', '-q', '--hard', sha);
      git(work, 'push', '-q', '--force', 'origin', 'HEAD:main');
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
