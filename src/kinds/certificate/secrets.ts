// The secrets directory: where CreateKeysAndCertificate's private key is written, once, next to
// its certificate PEM (`<handle>.key`, `<handle>.pem`, mode 0600, directory 0700). The key is
// never logged, never put in a plan and never read back by iotops except to recognise, on the same
// machine, a certificate a failed run already created (the PEM's id).
import { chmod, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { certificateIdOfPem, certificateKeyFingerprint, publicKeyFingerprint, shortId } from './identity.js';

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

/** Ids of every certificate PEM in the secrets directory (current and retired files). */
export async function localCertificateIds(secretsDir: string): Promise<Set<string>> {
  let names: string[];
  try {
    names = await readdir(secretsDir);
  } catch {
    return new Set();
  }
  const ids = await Promise.all(
    names.filter((n) => n.endsWith('.pem')).map((n) => readFile(join(secretsDir, n), 'utf8').then(certificateIdOfPem, () => undefined)),
  );
  return new Set(ids.filter((id): id is string => id !== undefined));
}

/**
 * Whether the secrets directory holds the private key of this handle's certificate: as
 * `<handle>.key|pem` or retired `<handle>.<id12>.key|pem`. A write torn between the key and its
 * PEM (a crash inside writeCertificateSecrets) is recognised by the key's public half and
 * completed with the certificate's PEM, so the next create reuses the certificate.
 */
export async function hasLocalKey(
  secretsDir: string,
  handle: string,
  cert: { readonly certificateId: string; readonly certificatePem?: string },
): Promise<boolean> {
  for (const name of [handle, `${handle}.${shortId(cert.certificateId)}`]) {
    const p = paths(secretsDir, name);
    const pemId = await readFile(p.pem, 'utf8').then(certificateIdOfPem, () => undefined);
    if (pemId === cert.certificateId && (await exists(p.key))) return true;
  }
  const p = paths(secretsDir, handle);
  if (cert.certificatePem === undefined || (await exists(p.pem)) || !(await exists(p.key))) return false;
  const keyFingerprint = await readFile(p.key, 'utf8').then(publicKeyFingerprint, () => undefined);
  if (keyFingerprint === undefined || keyFingerprint !== certificateKeyFingerprint(cert.certificatePem)) return false;
  await writeFile(p.pem, cert.certificatePem, { mode: 0o600, flag: 'wx' });
  return true;
}
