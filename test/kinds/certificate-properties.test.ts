// Property tests: a live resource that says the same thing as the manifest, however it is
// written (key order, action order, whitespace, formatting, set order), is never drift.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { certificateKind } from '../../src/kinds/certificate.js';
import type { CompareContext } from '../../src/kinds/types.js';

const ctx: CompareContext = { desired: { revision: 'r', config: { prune: false, adopt: false, fleetId: 'f', vars: {}, ignore: [] }, resources: [] }, live: new Map(), now: 0 };
const source = { file: 'x.yaml', line: 1, column: 1 };

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);

describe('no false drift (properties)', () => {
  it('Certificate: attachment sets in any order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 6 }), fc.uniqueArray(name, { maxLength: 10 }), fc.constantFrom('ACTIVE', 'INACTIVE', 'REVOKED'), (things, policies, status) => {
        const spec = { source: { type: 'generate' as const }, status, things: [...things].sort(), policies: [...policies].sort() };
        const state = { certificateId: 'a'.repeat(64), arn: 'arn', status, things: [...things].reverse(), policies: [...policies].reverse(), source: 'generate', identifiedBy: 'ledger' as const };
        const result = certificateKind.compare({ kind: 'Certificate', name: 'c', tags: {}, spec, source }, { kind: 'Certificate', name: 'c', ownership: 'managed', tags: {}, state }, ctx);
        expect(result).toEqual({ fields: [] });
      }),
    );
  });
});
