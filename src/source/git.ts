// A branch of a git repository: shallow clone, then fetch on an interval. A force-push is
// followed (the checkout is reset to whatever the branch points at). Credentials come from
// the environment and never appear in logs, errors or /status:
//   IOTOPS_GIT_TOKEN (+ IOTOPS_GIT_USERNAME, default x-access-token) for HTTPS,
//   IOTOPS_GIT_SSH_KEY_FILE for SSH (StrictHostKeyChecking=accept-new unless GIT_SSH_COMMAND is set).
import { createHash } from 'node:crypto';
import { cp, lstat, mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { SourceError, type Source, type SourceListener } from './types.js';

/** What git says when the remote has no such branch (clone --branch, fetch of a ref). */
const MISSING_BRANCH = /Remote branch \S+ not found|couldn't find remote ref/i;

export interface GitSourceProps {
  readonly url: string;
  readonly branch: string;
  /** Fleet directory inside the repository ('' or '.' for the root). */
  readonly path?: string;
  /** Where checkouts live; one folder per (url, branch). */
  readonly cacheDir: string;
  /** How often to fetch (ms); 0 disables polling (refresh() still works). */
  readonly pollMs?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Revisions whose fleet copy is kept: the current one and those a running reconcile may still read. */
const KEEP_ARTIFACTS = 3;

export function gitSource(props: GitSourceProps): Source {
  const env = props.env ?? process.env;
  const { url: remoteUrl, credentials } = splitCredentials(props.url, env);
  const secrets = credentials
    ? [credentials.password, encodeURIComponent(credentials.password), Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')]
    : [];
  const safeUrl = redactUrl(props.url);
  const checkout = resolve(props.cacheDir, createHash('sha256').update(`${props.url}#${props.branch}`).digest('hex').slice(0, 16));
  let listener: SourceListener | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastRevision: string | undefined;
  let running: Promise<void> = Promise.resolve();

  const git = (cwd?: string): SimpleGit => {
    const g = simpleGit({
      baseDir: cwd,
      config: credentials ? CREDENTIAL_HELPER_CONFIG : [],
      // The helper is our fixed script (no secret in it); simple-git blocks helpers by default.
      unsafe: { allowUnsafeCredentialHelper: true },
      allowEnvironment: ['GIT_TERMINAL_PROMPT', 'GIT_SSH_COMMAND'],
      // A remote that stops answering must not wedge the controller: give up and retry next poll.
      timeout: { block: 120_000 },
    });
    return g.env({ ...gitEnv(env), ...(credentials ? { IOTOPS_GIT_HELPER_USERNAME: credentials.username, IOTOPS_GIT_HELPER_PASSWORD: credentials.password } : {}) });
  };
  const redact = (message: string): string =>
    redactUrl(secrets.filter(Boolean).reduce((m, s) => m.split(s).join('***'), message.split(props.url).join(safeUrl)));

  const sync = async (): Promise<void> => {
    if (!listener) return;
    try {
      const cloned = await stat(join(checkout, '.git')).then(
        () => true,
        () => false,
      );
      if (!cloned) {
        await rm(checkout, { recursive: true, force: true });
        await mkdir(props.cacheDir, { recursive: true });
        await git().clone(remoteUrl, checkout, ['--depth', '1', '--branch', props.branch, '--single-branch']);
      } else {
        const repo = git(checkout);
        // Checkouts made by older versions stored user:password in .git/config: overwrite it.
        await repo.remote(['set-url', 'origin', remoteUrl]);
        await repo.fetch(['--depth', '1', 'origin', `+refs/heads/${props.branch}:refs/remotes/origin/${props.branch}`]);
        await repo.reset(['--hard', `origin/${props.branch}`]);
        await repo.clean('f', ['-d', '-x']);
      }
      const revision = (await git(checkout).revparse(['HEAD'])).trim();
      if (revision === lastRevision) {
        listener.checked?.(revision);
        return;
      }
      const dir = join(checkout, props.path ?? '');
      const exists = await stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!exists) throw new SourceError('source-not-found', `path '${props.path}' does not exist in ${safeUrl}@${props.branch} (${revision.slice(0, 12)})`);
      // The repository is untrusted: a --path that is (or passes through) a symbolic link must not lead out of the checkout.
      if (!inside(await realpath(checkout), await realpath(dir))) {
        throw new SourceError('source-not-found', `path '${props.path}' in ${safeUrl}@${props.branch} (${revision.slice(0, 12)}) is a symbolic link to outside the repository; refused`);
      }
      const artifactDir = await snapshot(dir, revision);
      lastRevision = revision;
      listener.checked?.(revision);
      listener.artifact({ revision, dir: artifactDir, ...(props.path && props.path !== '.' ? { path: props.path } : {}) });
    } catch (err) {
      const message = oneLine(redact((err as Error).message));
      if (err instanceof SourceError) listener.error(err);
      // The server answered, but has no such branch: not a network problem that a retry may fix.
      else if (MISSING_BRANCH.test(message)) listener.error(new SourceError('source-not-found', `git ${safeUrl}: branch '${props.branch}' does not exist (${message})`));
      else listener.error(new SourceError('source-unreachable', `git ${safeUrl}@${props.branch}: ${message}`));
    }
  };
  const serialSync = (): Promise<void> => (running = running.then(sync));

  // Artifacts are immutable: the next fetch resets the checkout while a reconcile may still be
  // reading the previous revision's files, so each revision's fleet is copied into a folder of
  // its own (written under a temporary name, then renamed). The newest few are kept.
  const artifacts = join(checkout + '-artifacts');
  const snapshot = async (dir: string, revision: string): Promise<string> => {
    const target = join(artifacts, revision);
    const present = await stat(target).then(
      () => true,
      () => false,
    );
    if (!present) {
      const tmp = `${target}.tmp-${process.pid}`;
      await rm(tmp, { recursive: true, force: true });
      const root = await realpath(dir);
      // Links are resolved into plain files; a link that leaves the fleet (or names a directory) is not copied.
      await cp(dir, tmp, { recursive: true, dereference: true, filter: (src) => !src.split(/[\\/]/).includes('.git') && keptLink(root, src) });
      await rename(tmp, target);
    }
    const kept = [revision, ...recent.filter((r) => r !== revision)].slice(0, KEEP_ARTIFACTS);
    recent.splice(0, recent.length, ...kept);
    for (const name of await readdir(artifacts)) if (!kept.includes(name)) await rm(join(artifacts, name), { recursive: true, force: true });
    return target;
  };
  const recent: string[] = [];

  return {
    description: `git ${safeUrl}@${props.branch}${props.path ? `/${props.path}` : ''}`,
    async start(l) {
      listener = l;
      await serialSync();
      if (props.pollMs && props.pollMs > 0) timer = setInterval(() => void serialSync(), props.pollMs);
    },
    refresh: serialSync,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
      listener = undefined;
    },
  };
}

function inside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** True for anything but a symbolic link that leaves `root` or points at a directory. */
async function keptLink(root: string, src: string): Promise<boolean> {
  const info = await lstat(src);
  if (!info.isSymbolicLink()) return true;
  try {
    return inside(root, await realpath(src)) && (await stat(src)).isFile();
  } catch {
    return false;
  }
}

/** git's multi-line stderr as one line, for /status and one-line logs. */
function oneLine(message: string): string {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

/**
 * Removes userinfo from every URL in a message: `scheme://user:pass@host` (the userinfo may
 * itself contain '@', ':' or %-escapes; it ends at the last '@' before the host) and scp-like
 * `user:pass@host:path`. A bare user name in scp-like form (`git@github.com:org/repo`) is no
 * secret and stays.
 */
export function redactUrl(message: string): string {
  return message
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1***@')
    .replace(/(^|[\s'"(])[^\s/@:'"()]+:[^\s/'"()]*@(?=[^\s/@:]+:)/g, '$1***@');
}

export interface GitCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * The URL git is given (userinfo removed from http(s) URLs) and the credentials to hand over
 * through the helper: IOTOPS_GIT_TOKEN wins over a password in the URL.
 */
export function splitCredentials(url: string, env: Readonly<Record<string, string | undefined>>): { url: string; credentials?: GitCredentials } {
  let clean = url;
  let fromUrl: GitCredentials | undefined;
  if (/^https?:\/\//i.test(url)) {
    const m = /^(https?:\/\/)([^/?#]*)@([^@/?#]*)(.*)$/is.exec(url);
    if (m) {
      clean = `${m[1]}${m[3]}${m[4]}`;
      const userinfo = m[2]!;
      const colon = userinfo.indexOf(':');
      const decode = (s: string): string => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      };
      if (colon >= 0) fromUrl = { username: decode(userinfo.slice(0, colon)), password: decode(userinfo.slice(colon + 1)) };
      else if (!env.IOTOPS_GIT_TOKEN) clean = url; // a user name alone is no secret; git asks the helper for nothing
    }
  }
  if (env.IOTOPS_GIT_TOKEN) return { url: clean, credentials: { username: env.IOTOPS_GIT_USERNAME ?? 'x-access-token', password: env.IOTOPS_GIT_TOKEN } };
  return fromUrl ? { url: clean, credentials: fromUrl } : { url: clean };
}

/**
 * `-c` settings for every git call. The first empty helper drops helpers from the user's and
 * system config; ours answers `get` from the environment, so only variable names are in argv.
 */
const CREDENTIAL_HELPER_CONFIG = [
  'credential.helper=',
  'credential.helper=!f() { test "$1" = get || exit 0; echo "username=$IOTOPS_GIT_HELPER_USERNAME"; echo "password=$IOTOPS_GIT_HELPER_PASSWORD"; }; f',
];

function gitEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'SSH_AUTH_SOCK', 'GIT_SSH_COMMAND', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'SSL_CERT_FILE']) {
    const v = env[key];
    if (v !== undefined) out[key] = v;
  }
  out.GIT_TERMINAL_PROMPT = '0';
  if (env.IOTOPS_GIT_SSH_KEY_FILE && !env.GIT_SSH_COMMAND) {
    out.GIT_SSH_COMMAND = `ssh -i '${env.IOTOPS_GIT_SSH_KEY_FILE}' -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new -o BatchMode=yes`;
  }
  return out;
}
