// Certificate compare (pure). A certificate's identity is its source: a different PEM, a CSR with
// another public key or a switch between pem/csr/generate is a replace (new certificate, old one
// deleted). Status and attachments (things, policies) are sets/fields of the certificate, which
// declares those relationships. A REVOKED certificate cannot be reactivated (AWS refuses), so that
// change is blocked with guidance instead of silently issuing a new certificate.
import type { DesiredResourceOf } from '../../model/resource.js';
import type { CertificateSpec } from './spec.js';
import type { FieldChange } from '../../model/plan.js';
import type { Comparison } from '../types.js';
import { sameSet } from '../shared/diff.js';
import { describeSource, shortId, sourceTag } from './identity.js';
import type { CertificateLive, CertificateLiveState } from './read.js';

/** AWS picks the id of a certificate it issues. */
export const KNOWN_AFTER_APPLY = '(known after apply)';

/** Why the live certificate cannot be this handle's desired one, if it cannot. */
export function replaceReasonFor(spec: CertificateSpec, live: CertificateLiveState): string | undefined {
  const source = spec.source;
  if (source.type === 'pem') {
    if (live.certificateId === source.certificateId) return undefined;
    return `the manifest declares certificate ${shortId(source.certificateId)}… (PEM); live certificate ${shortId(live.certificateId)}… is replaced`;
  }
  if (live.source === 'unknown') return undefined;
  const want = sourceTag(source);
  if (want === live.source) return undefined;
  return `certificate source changed from ${describeSource(live.source)} to ${describeSource(want)}: a new certificate is issued and ${shortId(live.certificateId)}… is deleted`;
}

export function compareCertificate(desired: DesiredResourceOf<'Certificate'>, live: CertificateLive): Comparison {
  const d = desired.spec;
  const l = live.state;
  const fields: FieldChange[] = [];
  const notes: string[] = [];
  if (d.status !== l.status) fields.push({ path: 'status', before: l.status, after: d.status });
  if (!sameSet(d.things, l.things)) fields.push({ path: 'things', before: l.things, after: d.things });
  if (!sameSet(d.policies, l.policies)) fields.push({ path: 'policies', before: l.policies, after: d.policies });
  if (l.otherCandidates && l.otherCandidates.length > 0) {
    notes.push(`identified by attachment; other unrecorded certificates on the same things: ${l.otherCandidates.map(shortId).join(', ')}`);
  } else if (l.identifiedBy === 'attachment') {
    notes.push(`identified by attachment (not in the ledger): certificate ${shortId(l.certificateId)}…`);
  }

  const replaceReason = replaceReasonFor(d, l);
  if (replaceReason !== undefined) {
    const after = d.source.type === 'pem' ? d.source.certificateId : KNOWN_AFTER_APPLY;
    return { fields: [{ path: 'certificateId', before: l.certificateId, after }, ...fields], replaceReason, ...(notes.length ? { notes } : {}) };
  }
  if (l.status === 'REVOKED' && d.status !== 'REVOKED') {
    return {
      fields,
      blocked: {
        code: 'immutable-field',
        message: `Certificate/${desired.name}: certificate ${shortId(l.certificateId)}… is REVOKED and AWS cannot reactivate it; declare a new certificate (another handle) instead`,
      },
    };
  }
  if (l.status === 'ACTIVE' && d.status !== 'ACTIVE') notes.push('devices using this certificate are disconnected within minutes of it leaving ACTIVE');
  return notes.length > 0 ? { fields, notes } : { fields };
}
