// Reading certificates a caller brings (RegisterCertificate / RegisterCertificateWithoutCA).
import { X509Certificate } from 'node:crypto';
import { certificateIdOf } from './certificates.js';

export interface InspectedCertificate {
  readonly x509: X509Certificate;
  readonly certificateId: string;
  readonly notBefore: number;
  readonly notAfter: number;
}

/** Parses a PEM certificate; returns undefined when it is not one. */
export function inspectCertificate(pem: string): InspectedCertificate | undefined {
  if (!/-----BEGIN CERTIFICATE-----/.test(pem)) return undefined;
  try {
    const x509 = new X509Certificate(pem);
    return {
      x509,
      certificateId: certificateIdOf(x509.raw),
      notBefore: Date.parse(x509.validFrom),
      notAfter: Date.parse(x509.validTo),
    };
  } catch {
    return undefined;
  }
}
