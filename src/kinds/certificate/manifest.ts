// Certificate: exactly one source. Identities are computed locally so plan can match live
// certificates without AWS: certificateId = SHA-256 of the certificate's DER (what AWS uses),
// and for a CSR the SubjectPublicKeyInfo it carries, re-encoded by node:crypto as SPKI PEM.
// node:crypto cannot parse CSRs, and node-forge's CSR parser only knows RSA, so the CSR's
// SubjectPublicKeyInfo is taken from forge's generic ASN.1 decoder (works for RSA and EC).
import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { diagAt } from '../../document/context.js';
import type { CertificateSource } from './spec.js';
import { readReferenced } from '../../document/referenced-file.js';
import type { NormalizeProps } from '../../document/normalize.js';
import type { DesiredResourceOf } from '../../model/resource.js';

import { NAME_RULES, nameList, object, str } from '../../document/schema.js';
import type { KindManifest } from '../types.js';
import { nameSet } from '../../document/normalize.js';

const SOURCES = ['certificatePem', 'certificateFile', 'csrFile', 'generate'] as const;

export function certificateIdOf(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

export function csrPublicKeyPem(csrPem: string): string {
  const msg = forge.pem.decode(csrPem).find((m) => m.type === 'CERTIFICATE REQUEST' || m.type === 'NEW CERTIFICATE REQUEST');
  if (!msg) throw new Error('no "BEGIN CERTIFICATE REQUEST" block found');
  const csr = forge.asn1.fromDer(msg.body);
  const info = (csr.value as forge.asn1.Asn1[])[0];
  const spki = (info?.value as forge.asn1.Asn1[] | undefined)?.[2];
  if (!spki) throw new Error('malformed CertificationRequestInfo');
  const der = Buffer.from(forge.asn1.toDer(spki).getBytes(), 'binary');
  return createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function normalizeCertificate(p: NormalizeProps): DesiredResourceOf<'Certificate'> | undefined {
  const s = p.spec;
  const present = SOURCES.filter((k) => (k === 'generate' ? s.generate === true : s[k] !== undefined));
  if (present.length !== 1) {
    const message = present.length === 0
      ? 'a Certificate needs exactly one source: certificatePem, certificateFile, csrFile or generate: true'
      : `a Certificate needs exactly one source, found ${present.join(' and ')}`;
    p.emit(diagAt(p.ctx, 'certificate-source', present.length ? ['spec', present[1]] : ['spec'], message, { key: present.length > 1 }));
    return undefined;
  }
  const kind = present[0];
  if (s.caCertificateFile !== undefined && (kind === 'csrFile' || kind === 'generate')) {
    p.emit(diagAt(p.ctx, 'certificate-source', ['spec', 'caCertificateFile'], `caCertificateFile only applies to an existing certificate, not to ${kind}`, { key: true }));
    return undefined;
  }
  let source: CertificateSource;
  if (kind === 'generate') {
    source = { type: 'generate' };
  } else if (kind === 'csrFile') {
    const ref = readReferenced(p, ['spec', 'csrFile'], String(s.csrFile));
    if (!ref) return undefined;
    try {
      source = { type: 'csr', csrPem: ref.text, publicKeyPem: csrPublicKeyPem(ref.text) };
    } catch (err) {
      p.emit(diagAt(p.ctx, 'csr-invalid', ['spec', 'csrFile'], `${ref.path} is not a PEM certificate signing request: ${reason(err)}`));
      return undefined;
    }
  } else {
    const field = kind === 'certificateFile' ? ref(p, 'certificateFile') : { path: 'spec.certificatePem', text: String(s.certificatePem) };
    if (!field) return undefined;
    let caPem: string | undefined;
    if (s.caCertificateFile !== undefined) {
      const ca = ref(p, 'caCertificateFile');
      if (!ca) return undefined;
      try {
        new X509Certificate(ca.text);
      } catch (err) {
        p.emit(diagAt(p.ctx, 'certificate-invalid', ['spec', 'caCertificateFile'], `${ca.path} is not a PEM certificate: ${reason(err)}`));
        return undefined;
      }
      caPem = ca.text;
    }
    try {
      source = { type: 'pem', certificatePem: field.text, certificateId: certificateIdOf(field.text), ...(caPem ? { caCertificatePem: caPem } : {}) };
    } catch (err) {
      p.emit(diagAt(p.ctx, 'certificate-invalid', ['spec', kind], `${field.path} is not a PEM X.509 certificate: ${reason(err)}`));
      return undefined;
    }
  }
  return {
    kind: 'Certificate',
    name: p.name,
    ...(p.tags ? { tags: p.tags } : {}),
    source: p.source,
    spec: { source, status: s.status ?? 'ACTIVE', things: nameSet(s.things), policies: nameSet(s.policies) },
  };
}

function ref(p: NormalizeProps, field: 'certificateFile' | 'caCertificateFile'): { path: string; text: string } | undefined {
  return readReferenced(p, ['spec', field], String(p.spec[field]));
}

export const MAX_POLICIES_PER_CERTIFICATE = 10;

export const certificateManifest: KindManifest<'Certificate'> = {
  name: NAME_RULES.LocalHandle,
  schema: {
    file: 'certificate.schema.json',
    title: 'iotops Certificate',
    description: 'A device X.509 certificate. Exactly one source: certificatePem, certificateFile, csrFile or generate',
    nameDescription: 'A local handle (AWS names certificates by id)',
    spec: object('Certificate', {
      certificatePem: str('PEM of an existing certificate (public part only)'),
      certificateFile: str('PEM file of an existing certificate, relative to this manifest'),
      caCertificateFile: str('PEM of the issuing CA (RegisterCertificate instead of RegisterCertificateWithoutCA)'),
      csrFile: str('PEM CSR: AWS signs it (CreateCertificateFromCsr); the private key stays on the device'),
      generate: { type: 'boolean', description: 'CreateKeysAndCertificate: the key goes to the secrets directory, never the fleet' },
      status: { enum: ['ACTIVE', 'INACTIVE', 'REVOKED'], description: 'Certificate status (default ACTIVE)' },
      things: nameList('Thing', NAME_RULES.ThingName, 'Things this certificate is attached to'),
      policies: nameList('Policy', NAME_RULES.PolicyName, 'Policies attached to the certificate (≤ 10)'),
    }),
  },
  normalize: normalizeCertificate,
  check(d, _fleet, emit) {
    if (d.resource.kind !== 'Certificate') return;
    const n = d.resource.spec.policies.length;
    if (n > MAX_POLICIES_PER_CERTIFICATE) {
      emit(diagAt(d.ctx, 'too-many-policies', ['spec', 'policies'], `${n} policies; AWS allows at most ${MAX_POLICIES_PER_CERTIFICATE} per certificate`));
    }
  },
};
