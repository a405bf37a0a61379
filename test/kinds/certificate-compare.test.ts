import { referencedKeys } from '../../src/kinds/shared/references.js';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateKind, type CertificateLive, type CertificateLiveState } from '../../src/kinds/certificate.js';
import { sourceTag } from '../../src/kinds/certificate/identity.js';
import type { CompareContext } from '../../src/kinds/types.js';
import type { DesiredResourceOf } from '../../src/model/resource.js';
import type { CertificateSource, CertificateSpec } from '../../src/kinds/certificate/spec.js';

const ctx: CompareContext = { desired: { revision: 'r', config: { prune: false, adopt: false, fleetId: 'f', vars: {}, ignore: [] }, resources: [] }, live: new Map(), now: 0 };

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);
// EC keys are instant to generate; the compare only needs a public key, not a CSR.
const keyPem = (): string => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const csrSource = (publicKeyPem: string): CertificateSource => ({ type: 'csr', csrPem: 'unused by compare', publicKeyPem });

function desired(spec: Partial<CertificateSpec> = {}): DesiredResourceOf<'Certificate'> {
  return {
    kind: 'Certificate',
    name: 'sensor-1-cert',
    tags: {},
    spec: { source: { type: 'generate' }, status: 'ACTIVE', things: ['sensor-1'], policies: ['device'], ...spec },
    source: { file: 'c.yaml', line: 1, column: 1 },
  };
}

function live(state: Partial<CertificateLiveState> = {}): CertificateLive {
  return {
    kind: 'Certificate',
    name: 'sensor-1-cert',
    ownership: 'managed',
    tags: {},
    state: {
      certificateId: ID_A,
      arn: `arn:aws:iot:us-east-1:123456789012:cert/${ID_A}`,
      status: 'ACTIVE',
      things: ['sensor-1'],
      policies: ['device'],
      source: 'generate',
      identifiedBy: 'ledger',
      ...state,
    },
  };
}

describe('Certificate compare', () => {
  it('is in sync when status and attachment sets match, whatever their order', () => {
    const result = certificateKind.compare(
      desired({ things: ['sensor-2', 'sensor-1'], policies: ['b', 'a'] }),
      live({ things: ['sensor-1', 'sensor-2'], policies: ['a', 'b'] }),
      ctx,
    );

    expect(result).toEqual({ fields: [] });
  });

  it('reports status, things and policies as fields of the certificate', () => {
    const result = certificateKind.compare(desired({ status: 'INACTIVE', things: ['sensor-2'], policies: [] }), live(), ctx);

    expect(result.fields).toEqual([
      { path: 'status', before: 'ACTIVE', after: 'INACTIVE' },
      { path: 'things', before: ['sensor-1'], after: ['sensor-2'] },
      { path: 'policies', before: ['device'], after: [] },
    ]);
    expect(result.replaceReason).toBeUndefined();
    expect(result.notes?.[0]).toContain('disconnected');
  });

  it('replaces when the declared PEM is another certificate', () => {
    const spec = { source: { type: 'pem', certificatePem: 'x', certificateId: ID_B } as const };

    const result = certificateKind.compare(desired(spec), live({ source: 'pem' }), ctx);

    expect(result.replaceReason).toContain('replaced');
    expect(result.fields[0]).toEqual({ path: 'certificateId', before: ID_A, after: ID_B });
  });

  it('keeps a PEM certificate whose id matches, however it was identified', () => {
    const spec = { source: { type: 'pem', certificatePem: 'x', certificateId: ID_A } as const };

    expect(certificateKind.compare(desired(spec), live({ source: 'unknown', identifiedBy: 'certificate-id' }), ctx)).toEqual({ fields: [] });
  });

  it('replaces when the source switches from generate to a CSR, or to a CSR with another key', () => {
    const key = keyPem();

    const fromGenerate = certificateKind.compare(desired({ source: csrSource(key) }), live({ source: 'generate' }), ctx);
    const otherKey = certificateKind.compare(desired({ source: csrSource(keyPem()) }), live({ source: sourceTag(csrSource(key)) }), ctx);
    const sameKey = certificateKind.compare(desired({ source: csrSource(key) }), live({ source: sourceTag(csrSource(key)) }), ctx);

    expect(fromGenerate.replaceReason).toContain('generated key pair');
    expect(otherKey.replaceReason).toContain('CSR');
    expect(sameKey.replaceReason).toBeUndefined();
  });

  it('blocks reactivating a REVOKED certificate', () => {
    const result = certificateKind.compare(desired(), live({ status: 'REVOKED' }), ctx);

    expect(result.blocked?.code).toBe('immutable-field');
    expect(result.fields).toEqual([{ path: 'status', before: 'REVOKED', after: 'ACTIVE' }]);
  });

  it('notes other unrecorded candidates when identified by attachment only', () => {
    const result = certificateKind.compare(desired(), live({ identifiedBy: 'attachment', source: 'unknown', otherCandidates: [ID_B] }), ctx);

    expect(result.notes?.[0]).toContain(ID_B.slice(0, 12));
  });

  it('depends on its policies and things', () => {
    expect(referencedKeys(certificateKind, desired({ policies: ['p1'], things: ['t1', 't2'] }).spec)).toEqual(['Policy/p1', 'Thing/t1', 'Thing/t2']);
  });
});
