// Property tests: a live resource that says the same thing as the manifest, however it is
// written (key order, action order, whitespace, formatting, set order), is never drift.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jobKind } from '../../src/kinds/job.js';
import type { CompareContext } from '../../src/kinds/types.js';

const ctx: CompareContext = { desired: { revision: 'r', config: { prune: false, adopt: false, fleetId: 'f', vars: {}, ignore: [] }, resources: [] }, live: new Map(), now: 0 };
const source = { file: 'x.yaml', line: 1, column: 1 };

/** The same object with its keys in reverse order, recursively. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const jsonObject = fc.dictionary(name, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });

describe('no false drift (properties)', () => {
  it('Job: reformatted document with other key order, shuffled targets', () => {
    fc.assert(
      fc.property(jsonObject, fc.uniqueArray(name, { maxLength: 5 }), fc.uniqueArray(name, { maxLength: 5 }), (doc, things, groups) => {
        const spec = { targets: { things, groups }, targetSelection: 'SNAPSHOT' as const, document: JSON.stringify(doc), status: 'active' as const };
        const state = {
          arn: 'arn',
          status: 'IN_PROGRESS',
          targets: { things: [...things].reverse(), groups: [...groups].reverse() },
          otherTargets: [],
          targetSelection: 'SNAPSHOT' as const,
          document: JSON.stringify(reverseKeys(doc), null, 2),
        };
        const result = jobKind.compare({ kind: 'Job', name: 'j', tags: {}, spec, source }, { kind: 'Job', name: 'j', ownership: 'managed', tags: {}, state }, ctx);
        expect(result).toEqual({ fields: [] });
      }),
    );
  });
});
