// Issue #11: a repository's symbolic links must not lead the controller out of the checkout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitSource } from '../../src/source/git.js';
import type { Artifact, Source, SourceError } from '../../src/source/types.js';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } }).trim();

const sources: Source[] = [];
const temps: string[] = [];
afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A remote whose one commit holds the files written by `fill` into the work tree. */
function remote(fill: (work: string) => void): { tmp: string; bare: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'iotops-git-links-'));
  temps.push(tmp);
  const bare = join(tmp, 'remote.git');
  const work = join(tmp, 'work');
  git(tmp, 'init', '--bare', '-b', 'main', bare);
  git(tmp, 'init', '-b', 'main', work);
  git(work, 'remote', 'add', 'origin', bare);
  fill(work);
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'fleet');
  git(work, 'push', '-q', 'origin', 'main');
  return { tmp, bare };
}

async function start(bare: string, tmp: string, path: string): Promise<{ artifacts: Artifact[]; errors: SourceError[] }> {
  const artifacts: Artifact[] = [];
  const errors: SourceError[] = [];
  const src = gitSource({ url: bare, branch: 'main', path, cacheDir: join(tmp, 'cache'), env: { PATH: process.env.PATH } });
  sources.push(src);
  await src.start({ artifact: (a) => void artifacts.push(a), error: (e) => void errors.push(e) });
  return { artifacts, errors };
}

describe('git source and symbolic links', () => {
  it('does not copy links that leave the fleet into the snapshot; links inside become plain files', async () => {
    const secret = mkdtempSync(join(tmpdir(), 'iotops-secret-'));
    temps.push(secret);
    writeFileSync(join(secret, 'token'), 'k8s-service-account-token');
    const { tmp, bare } = remote((work) => {
      mkdirSync(join(work, 'fleet'));
      writeFileSync(join(work, 'fleet', 'a.yaml'), 'a: 1\n');
      symlinkSync(join(secret, 'token'), join(work, 'fleet', 'doc.json'));
      symlinkSync('../README', join(work, 'fleet', 'readme.txt'));
      symlinkSync('a.yaml', join(work, 'fleet', 'b.yaml'));
      writeFileSync(join(work, 'README'), 'outside the fleet, inside the repo\n');
    });
    const r = await start(bare, tmp, 'fleet');
    expect(r.errors).toEqual([]);
    const dir = r.artifacts[0]!.dir;
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml']);
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe('a: 1\n');
  });

  it('refuses a --path that is a link out of the repository', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'iotops-outside-'));
    temps.push(outside);
    writeFileSync(join(outside, 'a.yaml'), 'a: 1\n');
    const { tmp, bare } = remote((work) => {
      writeFileSync(join(work, 'README'), 'x\n');
      symlinkSync(outside, join(work, 'fleet'));
    });
    const r = await start(bare, tmp, 'fleet');
    expect(r.artifacts).toEqual([]);
    expect(r.errors.map((e) => [e.code, e.message])).toEqual([
      ['source-not-found', expect.stringMatching(/^path 'fleet' in .* is a symbolic link to outside the repository; refused$/)],
    ]);
  });
});
