import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitSource, redactUrl, splitCredentials } from '../../src/source/git.js';
import type { Artifact, Source, SourceError } from '../../src/source/types.js';

const TOKEN = 'tok-Zq9+/s3cr3t';

let tmp: string;
let server: Server | undefined;
const sources: Source[] = [];
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'iotops-gitcred-'));
});
afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
  await rm(tmp, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } }).trim();

/** A smart-HTTP git server (git http-backend as CGI) that demands Basic auth user:password. */
async function authServer(user: string, password: string): Promise<{ base: string; root: string }> {
  const root = join(tmp, 'srv');
  const work = join(tmp, 'work');
  git(tmp, 'init', '--bare', '-b', 'main', join(root, 'repo.git'));
  git(tmp, 'init', '-b', 'main', work);
  await mkdir(join(work, 'fleet'));
  await writeFile(join(work, 'fleet', 'a.yaml'), 'a: 1\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'init');
  git(work, 'push', '-q', join(root, 'repo.git'), 'main');
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(req.url!, 'http://x');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method,
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: user,
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of out.subarray(0, split).toString().split('\r\n')) {
        const [k, ...v] = line.split(':');
        if (k!.toLowerCase() === 'status') status = Number.parseInt(v.join(':').trim(), 10);
        else headers[k!] = v.join(':').trim();
      }
      res.writeHead(status, headers).end(out.subarray(split + 4));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, root };
}

/** A `git` first on PATH that records its argv and traces every process git starts (GIT_TRACE). */
async function argvRecorder(): Promise<{ path: string; log: () => string }> {
  const bin = join(tmp, 'bin');
  await mkdir(bin);
  const log = join(tmp, 'argv.log');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  await writeFile(join(bin, 'git'), `#!/bin/sh\necho "git $*" >> '${log}'\nGIT_TRACE='${log}' exec '${realGit}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  await writeFile(log, '');
  return { path: `${bin}:${process.env.PATH}`, log: () => readFileSync(log, 'utf8') };
}

async function run(url: string, env: Record<string, string | undefined>): Promise<{ artifacts: Artifact[]; errors: SourceError[] }> {
  const artifacts: Artifact[] = [];
  const errors: SourceError[] = [];
  const src = gitSource({ url, branch: 'main', path: 'fleet', cacheDir: join(tmp, 'cache'), env: { HOME: tmp, ...env } });
  sources.push(src);
  await src.start({ artifact: (a) => void artifacts.push(a), error: (e) => void errors.push(e) });
  await src.refresh(); // the fetch path too
  return { artifacts, errors };
}

function gitConfigs(): string {
  const cache = join(tmp, 'cache');
  return execFileSync('sh', ['-c', `cat "${cache}"/*/.git/config`], { encoding: 'utf8' });
}

describe('git credentials', () => {
  it('hands IOTOPS_GIT_TOKEN to git through a helper: never in any argv, never in .git/config', async () => {
    const srv = await authServer('x-access-token', TOKEN);
    const rec = await argvRecorder();
    const out = await run(`${srv.base}/repo.git`, { PATH: rec.path, IOTOPS_GIT_TOKEN: TOKEN });
    expect(out.errors).toEqual([]);
    expect(out.artifacts).toHaveLength(1);
    const argv = rec.log();
    expect(argv).toContain('git clone'); // the recorder saw the calls
    expect(argv).toContain('git-remote-http');
    expect(argv).not.toContain(TOKEN);
    expect(argv).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
    expect(gitConfigs()).not.toContain(TOKEN);
  });

  it('strips user:password from a --git URL before clone and passes it through the helper', async () => {
    const password = 'p@ss:w/rd%';
    const srv = await authServer('bot', password);
    const rec = await argvRecorder();
    const url = `${srv.base.replace('http://', `http://bot:${encodeURIComponent(password)}@`)}/repo.git`;
    const out = await run(url, { PATH: rec.path });
    expect(out.errors).toEqual([]);
    expect(out.artifacts).toHaveLength(1);
    const config = gitConfigs();
    expect(config).toContain(`url = ${srv.base}/repo.git`);
    expect(config).not.toMatch(/bot|p%40ss|p@ss/);
    expect(rec.log()).not.toMatch(/p%40ss|p@ss/);
  });

  it('a wrong token fails with a redacted error', async () => {
    const srv = await authServer('x-access-token', TOKEN);
    const out = await run(`${srv.base}/repo.git`, { PATH: process.env.PATH, IOTOPS_GIT_TOKEN: 'wrong-Zq9-token' });
    expect(out.artifacts).toEqual([]);
    expect(out.errors[0]!.code).toBe('source-unreachable');
    expect(out.errors[0]!.message).not.toContain('wrong-Zq9-token');
  });

  it('redacts every userinfo form', () => {
    expect(redactUrl('https://tok@example.com/x.git')).toBe('https://***@example.com/x.git');
    expect(redactUrl('https://u:p@ss@example.com/x.git')).toBe('https://***@example.com/x.git');
    expect(redactUrl('https://u:p%40ss:x@example.com:8443/x.git')).toBe('https://***@example.com:8443/x.git');
    expect(redactUrl("fatal: 'https://a:b@h1/r' and http://c:d@h2/r failed")).toBe("fatal: 'https://***@h1/r' and http://***@h2/r failed");
    expect(redactUrl('ssh://git:pw@host/r.git')).toBe('ssh://***@host/r.git');
    expect(redactUrl('deploy:hunter2@github.com:org/repo.git')).toBe('***@github.com:org/repo.git');
    expect(redactUrl('git@github.com:org/repo.git')).toBe('git@github.com:org/repo.git');
    expect(redactUrl('https://host/org/repo@v1')).toBe('https://host/org/repo@v1');
  });

  it('splits credentials from http(s) URLs only; the env token wins', () => {
    expect(splitCredentials('https://u:p%40@h/r.git', {})).toEqual({ url: 'https://h/r.git', credentials: { username: 'u', password: 'p@' } });
    expect(splitCredentials('https://u:p@h/r.git', { IOTOPS_GIT_TOKEN: 't' })).toEqual({ url: 'https://h/r.git', credentials: { username: 'x-access-token', password: 't' } });
    expect(splitCredentials('git@github.com:o/r.git', {})).toEqual({ url: 'git@github.com:o/r.git' });
  });
});
