// The secrets directory: where CreateKeysAndCertificate's private key is written, once, next to
// its certificate PEM (`<handle>.key`, `<handle>.pem`, mode 0600, directory 0700). The key is
// never logged, never put in a plan and never read back by iotops except to recognise, on the same
// machine, a certificate a failed run already created (the PEM's id).
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { certificateIdOfPem, shortId } from './identity.js';

const HANDLE = /^[a-zA-Z0-9:_.-]+$/;

function paths(secretsDir: string, handle: string): { key: string; pem: string } {
  // Handles follow the manifest pattern; refuse anything that could escape the directory.
  if (!HANDLE.test(handle) || handle === '.' || handle === '..') throw new Error(`unsafe certificate handle for a file name: ${handle}`);
  return { key: join(secretsDir, `${handle}.key`), pem: join(secretsDir, `${handle}.pem`) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The certificate id recorded locally for a handle (from `<handle>.pem`), if any. */
export async function localCertificateId(secretsDir: string, handle: string): Promise<string | undefined> {
  const { pem } = paths(secretsDir, handle);
  try {
    return certificateIdOfPem(await readFile(pem, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function ensureSecretsDir(secretsDir: string): Promise<void> {
  await mkdir(secretsDir, { recursive: true, mode: 0o700 });
  await chmod(secretsDir, 0o700);
}

/**
 * Writes the key and certificate of a new certificate. Files of an earlier certificate of the same
 * handle (one AWS no longer has, or one being replaced) are kept, renamed `<handle>.<id12>.key|pem`.
 */
export async function writeCertificateSecrets(
  secretsDir: string,
  handle: string,
  material: { readonly certificatePem: string; readonly privateKeyPem: string },
): Promise<void> {
  await ensureSecretsDir(secretsDir);
  const p = paths(secretsDir, handle);
  if ((await exists(p.key)) || (await exists(p.pem))) {
    const oldId = (await localCertificateId(secretsDir, handle)) ?? 'previous';
    const retired = paths(secretsDir, `${handle}.${shortId(oldId)}`);
    if (await exists(p.key)) await rename(p.key, retired.key);
    if (await exists(p.pem)) await rename(p.pem, retired.pem);
  }
  // 'wx': never overwrite; a key AWS returned once must not be lost to a race.
  await writeFile(p.key, material.privateKeyPem, { mode: 0o600, flag: 'wx' });
  await writeFile(p.pem, material.certificatePem, { mode: 0o600, flag: 'wx' });
}
