// The Certificate spec: what the manifest says after normalization (./manifest.ts), the contract
// between validate and the kind's compare and apply. Registered in the model's SpecOf below.

export type CertificateSource =
  /** An existing certificate (public part): RegisterCertificateWithoutCA, or RegisterCertificate when caPem is set. */
  | { readonly type: 'pem'; readonly certificatePem: string; readonly caCertificatePem?: string; readonly certificateId: string }
  /** CreateCertificateFromCsr; identity is the certificate whose public key matches the CSR's. */
  | { readonly type: 'csr'; readonly csrPem: string; readonly publicKeyPem: string }
  /** CreateKeysAndCertificate; the key goes to the secrets directory. */
  | { readonly type: 'generate' };

export interface CertificateSpec {
  readonly source: CertificateSource;
  readonly status: 'ACTIVE' | 'INACTIVE' | 'REVOKED';
  /** Thing names (sorted, unique). */
  readonly things: readonly string[];
  /** Policy names (sorted, unique). */
  readonly policies: readonly string[];
}

declare module '../../model/resource.js' {
  interface SpecOf {
    readonly Certificate: CertificateSpec;
  }
}
