// PKCS#10 CSR checks for CreateCertificateFromCsr. node-forge parses RSA CSRs only, so the CSR is
// walked at the DER level and its signature verified with node:crypto, which handles RSA and EC alike.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { children, content, fromPem, oidString, readTlv, slice } from './der.js';

export interface ParsedCsr {
  /** DER of the subject Name, copied into the issued certificate. */
  readonly subject: Buffer;
  /** DER of the SubjectPublicKeyInfo. */
  readonly spki: Buffer;
}

/** Signature algorithm OID → hash for crypto.verify. */
const SIGNATURE_HASH: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/** AWS IoT accepts RSA ≥ 2048 bits and the NIST curves P-256/384/521. */
const CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

export class CsrError extends Error {}

export function parseCsr(pem: string): ParsedCsr {
  const der = fromPem(pem, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
  if (!der) throw new CsrError('The certificate signing request is not a PEM-encoded PKCS#10 request');
  let subject: Buffer;
  let spki: Buffer;
  let info: Buffer;
  let hash: string | undefined;
  let signature: Buffer;
  try {
    const outer = readTlv(der, 0);
    if (outer.tag !== 0x30 || outer.end !== der.length) throw new CsrError('trailing data');
    const [cri, alg, sig] = children(der, outer);
    const criFields = children(der, cri);
    if (cri.tag !== 0x30 || criFields.length < 3 || criFields[0].tag !== 0x02) throw new CsrError('bad info');
    if (criFields[1].tag !== 0x30 || criFields[2].tag !== 0x30) throw new CsrError('bad info');
    subject = slice(der, criFields[1]);
    spki = slice(der, criFields[2]);
    info = slice(der, cri);
    const [algOid] = children(der, alg);
    hash = SIGNATURE_HASH[oidString(der, algOid)];
    if (sig.tag !== 0x03) throw new CsrError('bad signature');
    signature = content(der, sig).subarray(1);
  } catch {
    throw new CsrError('The certificate signing request could not be parsed');
  }
  if (!hash) throw new CsrError('The certificate signing request uses an unsupported signature algorithm');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    throw new CsrError('The public key in the certificate signing request could not be read');
  }
  checkKey(key);
  if (!verify(hash, info, key, signature)) {
    throw new CsrError('The certificate signing request signature is invalid');
  }
  return { subject, spki };
}

function checkKey(key: KeyObject): void {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new CsrError('RSA keys must be at least 2048 bits');
    return;
  }
  if (key.asymmetricKeyType === 'ec' && CURVES.has(details.namedCurve ?? '')) return;
  throw new CsrError('The key must be RSA (2048 bits or more) or EC on P-256, P-384 or P-521');
}
