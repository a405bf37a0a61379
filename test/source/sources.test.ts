import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dirSource } from '../../src/source/dir.js';
import { gitSource, redactUrl } from '../../src/source/git.js';
import type { Artifact, Source, SourceError } from '../../src/source/types.js';

function recorder() {
  const artifacts: Artifact[] = [];
  const errors: SourceError[] = [];
  return { artifacts, errors, listener: { artifact: (a: Artifact) => void artifacts.push(a), error: (e: SourceError) => void errors.push(e) } };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let tmp: string;
let sources: Source[];
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'iotops-source-'));
  sources = [];
});
afterEach(async () => {
  for (const s of sources) await s.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('dir source', () => {
  it('emits the directory content digest, then one artifact per debounced burst of edits', async () => {
    const dir = join(tmp, 'fleet');
    await mkdir(dir);
    await writeFile(join(dir, 'a.yaml'), 'a: 1\n');
    const rec = recorder();
    const src = dirSource({ dir, debounceMs: 150 });
    sources.push(src);
    await src.start(rec.listener);
    expect(rec.artifacts).toHaveLength(1);
    expect(rec.artifacts[0]!.revision).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(rec.artifacts[0]!.dir).toBe(dir);

    for (let i = 0; i < 5; i++) await writeFile(join(dir, 'a.yaml'), `a: ${i + 2}\n`);
    await until(() => rec.artifacts.length === 2);
    await new Promise((r) => setTimeout(r, 400));
    expect(rec.artifacts).toHaveLength(2);
    expect(rec.artifacts[1]!.revision).not.toBe(rec.artifacts[0]!.revision);
  });

  it('ignores dotfiles and does not re-emit an unchanged revision', async () => {
    const dir = join(tmp, 'fleet');
    await mkdir(dir);
    await writeFile(join(dir, 'a.yaml'), 'a: 1\n');
    const rec = recorder();
    const src = dirSource({ dir, watch: false });
    sources.push(src);
    await src.start(rec.listener);
    await writeFile(join(dir, '.swap'), 'x');
    await src.refresh();
    expect(rec.artifacts).toHaveLength(1);
  });

  it('announces the same content again after the directory was gone', async () => {
    const rec = recorder();
    const dir = join(tmp, 'fleet');
    await mkdir(dir);
    await writeFile(join(dir, 'a.yaml'), 'a: 1\n');
    const src = dirSource({ dir, watch: false });
    sources.push(src);
    await src.start(rec.listener);
    await rename(dir, `${dir}.away`);
    await src.refresh();
    expect(rec.errors.map((e) => e.code)).toEqual(['source-not-found']);
    await rename(`${dir}.away`, dir);
    await src.refresh();
    expect(rec.artifacts.map((a) => a.revision)).toEqual([rec.artifacts[0]!.revision, rec.artifacts[0]!.revision]);
  });

  it('reports a missing directory as an error, never as an empty fleet', async () => {
    const rec = recorder();
    const src = dirSource({ dir: join(tmp, 'nope'), watch: false });
    sources.push(src);
    await src.start(rec.listener);
    expect(rec.artifacts).toHaveLength(0);
    expect(rec.errors.map((e) => e.code)).toEqual(['source-not-found']);
  });
});

describe('git source', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } }).trim();

  async function repo(): Promise<{ bare: string; work: string; commit: (file: string, body: string) => string }> {
    const bare = join(tmp, 'remote.git');
    const work = join(tmp, 'work');
    git(tmp, 'init', '--bare', '-b', 'main', bare);
    git(tmp, 'init', '-b', 'main', work);
    git(work, 'remote', 'add', 'origin', bare);
    const commit = (file: string, body: string) => {
      execFileSync('mkdir', ['-p', join(work, 'fleet')]);
      execFileSync('sh', ['-c', `printf '%s' "$1" > "$2"`, 'sh', body, join(work, 'fleet', file)]);
      git(work, 'add', '-A');
      git(work, 'commit', '-qm', `edit ${file}`);
      git(work, 'push', '-q', '-f', 'origin', 'main');
      return git(work, 'rev-parse', 'HEAD');
    };
    return { bare, work, commit };
  }

  it('checks out the branch, follows new commits and force-pushes back to an older commit', async () => {
    const r = await repo();
    const first = r.commit('a.yaml', 'a: 1\n');
    const rec = recorder();
    const src = gitSource({ url: r.bare, branch: 'main', path: 'fleet', cacheDir: join(tmp, 'cache') });
    sources.push(src);
    await src.start(rec.listener);
    expect(rec.errors).toEqual([]);
    expect(rec.artifacts.map((a) => a.revision)).toEqual([first]);
    expect(readdirSync(rec.artifacts[0]!.dir)).toEqual(['a.yaml']);

    const second = r.commit('b.yaml', 'b: 2\n');
    await src.refresh();
    expect(rec.artifacts.map((a) => a.revision)).toEqual([first, second]);
    // Each artifact is a snapshot of its revision: a reconcile still reading the first revision
    // never sees files of the second.
    expect(readdirSync(rec.artifacts[0]!.dir)).toEqual(['a.yaml']);
    expect(readdirSync(rec.artifacts[1]!.dir).sort()).toEqual(['a.yaml', 'b.yaml']);

    git(r.work, 'reset', '-q', '--hard', first);
    git(r.work, 'push', '-q', '-f', 'origin', 'main');
    await src.refresh();
    expect(rec.artifacts.map((a) => a.revision)).toEqual([first, second, first]);
    await src.refresh();
    expect(rec.artifacts).toHaveLength(3);
  });

  it('fetches once per pollMs: the next poll announces a push, an unchanged branch is only checked', async () => {
    const r = await repo();
    const first = r.commit('a.yaml', 'a: 1\n');
    const rec = recorder();
    const checked: string[] = [];
    // Only the poll timer is fake: git itself runs for real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const src = gitSource({ url: r.bare, branch: 'main', path: 'fleet', cacheDir: join(tmp, 'cache'), pollMs: 60_000 });
    try {
      await src.start({ ...rec.listener, checked: (revision) => void checked.push(revision) });
      vi.advanceTimersByTime(59_999);
      await src.refresh(); // after any poll in progress; itself one check
      expect(checked).toEqual([first, first]);

      const second = r.commit('b.yaml', 'b: 2\n');
      vi.advanceTimersByTime(1);
      await until(() => rec.artifacts.length === 2);
      expect(rec.artifacts.map((a) => a.revision)).toEqual([first, second]);
      vi.advanceTimersByTime(60_000);
      await until(() => checked.length === 4);
      expect(checked).toEqual([first, first, second, second]);
      expect(rec.artifacts).toHaveLength(2);
    } finally {
      await src.stop();
      vi.useRealTimers();
    }
  });

  it('keeps the last artifact and reports an error when the remote becomes unreachable', async () => {
    const r = await repo();
    const first = r.commit('a.yaml', 'a: 1\n');
    const rec = recorder();
    const src = gitSource({ url: r.bare, branch: 'main', path: 'fleet', cacheDir: join(tmp, 'cache') });
    sources.push(src);
    await src.start(rec.listener);
    await rename(r.bare, `${r.bare}.gone`);
    await src.refresh();
    expect(rec.artifacts.map((a) => a.revision)).toEqual([first]);
    expect(rec.errors.map((e) => e.code)).toEqual(['source-unreachable']);
  });

  it('reports a fleet path missing from the repository', async () => {
    const r = await repo();
    r.commit('a.yaml', 'a: 1\n');
    const rec = recorder();
    const src = gitSource({ url: r.bare, branch: 'main', path: 'elsewhere', cacheDir: join(tmp, 'cache') });
    sources.push(src);
    await src.start(rec.listener);
    expect(rec.artifacts).toEqual([]);
    expect(rec.errors[0]!.code).toBe('source-not-found');
  });

  it('reports a branch the repository does not have as not found, not as an unreachable remote', async () => {
    const r = await repo();
    r.commit('a.yaml', 'a: 1\n');
    const rec = recorder();
    const src = gitSource({ url: r.bare, branch: 'no-such-branch', path: '.', cacheDir: join(tmp, 'cache') });
    sources.push(src);
    await src.start(rec.listener);
    expect(rec.artifacts).toEqual([]);
    expect(rec.errors[0]!.code).toBe('source-not-found');
    expect(rec.errors[0]!.message).toContain("branch 'no-such-branch' does not exist");
  });

  it('never shows credentials from the URL or the token in errors or descriptions', async () => {
    const rec = recorder();
    const src = gitSource({
      url: 'http://user:hunter2@127.0.0.1:9/repo.git',
      branch: 'main',
      cacheDir: join(tmp, 'cache'),
      env: { PATH: process.env.PATH, IOTOPS_GIT_TOKEN: 's3cr3t-token' },
    });
    sources.push(src);
    await src.start(rec.listener);
    expect(src.description).toBe('git http://***@127.0.0.1:9/repo.git@main');
    expect(rec.errors).toHaveLength(1);
    expect(rec.errors[0]!.message).not.toMatch(/hunter2|s3cr3t-token/);
    expect(redactUrl('https://tok@example.com/x.git')).toBe('https://***@example.com/x.git');
  });
});
