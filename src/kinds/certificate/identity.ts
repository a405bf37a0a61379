// How a Certificate handle maps to an AWS certificate, and the source fingerprints recorded in
// the ledger. Public keys are compared as SHA-256 of their SPKI DER (node:crypto handles RSA and
// the EC curves AWS accepts in CSRs).
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import type { CertificateSource } from './spec.js';

/** SHA-256 (hex) of a public key's SPKI DER; undefined when the PEM is not a key. */
export function publicKeyFingerprint(publicKeyPem: string): string | undefined {
  try {
    const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(der).digest('hex');
  } catch {
    return undefined;
  }
}

/** SHA-256 (hex) of a certificate's public key; undefined when the PEM does not parse. */
export function certificateKeyFingerprint(certificatePem: string): string | undefined {
  try {
    const der = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(der).digest('hex');
  } catch {
    return undefined;
  }
}

/** AWS's certificate id: SHA-256 of the DER. */
export function certificateIdOfPem(certificatePem: string): string | undefined {
  try {
    return createHash('sha256').update(new X509Certificate(certificatePem).raw).digest('hex');
  } catch {
    return undefined;
  }
}

/** The ledger's `source` for a desired source: `pem`, `generate` or `csr:<16 hex>`. */
export function sourceTag(source: CertificateSource): string {
  switch (source.type) {
    case 'pem':
      return 'pem';
    case 'generate':
      return 'generate';
    case 'csr':
      return `csr:${(publicKeyFingerprint(source.publicKeyPem) ?? 'unknown').slice(0, 16)}`;
  }
}

/** Human name of a source tag for plan reasons. */
export function describeSource(tag: string): string {
  if (tag.startsWith('csr:')) return `CSR (public key ${tag.slice(4)})`;
  return tag === 'pem' ? 'PEM' : tag === 'generate' ? 'generated key pair' : 'unknown source';
}

export function shortId(certificateId: string): string {
  return certificateId.slice(0, 12);
}
