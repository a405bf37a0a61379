// The Certificate kind: device X.509 certificates, named in the fleet by a local handle. AWS cannot
// tag them, so identity and ownership come from the ledger in the inventory group (./ledger.ts),
// the PEM's id or the CSR's public key (./read.ts). A generated certificate whose key a crash lost
// is cleaned up by the next apply (./generate-journal.ts, ./recover.ts: Kind.recover). Behaviour: docs/kinds-security-rules-jobs.md.
import type { DesiredResourceOf } from '../../model/resource.js';
import type { Kind } from '../types.js';
import { applyCertificate } from './apply.js';
import { compareCertificate } from './compare.js';
import { readCertificates, type CertificateLiveState } from './read.js';
import { recoverCertificates } from './recover.js';
import { certificateManifest } from './manifest.js';

export type { CertificateLive, CertificateLiveState } from './read.js';

export const certificateKind: Kind<'Certificate', CertificateLiveState> = {
  kind: 'Certificate',
  manifest: certificateManifest,
  taggable: false,
  read: readCertificates,
  // It declares its policy and thing attachments, so both must exist first.
  references: [
    { path: ['policies'], to: ['Policy'] },
    { path: ['things'], to: ['Thing'] },
  ],
  compare: compareCertificate,
  apply: applyCertificate,
  recover: recoverCertificates,
};
