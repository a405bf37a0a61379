import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkPolicyDocument } from '../../src/manifest/policy/index.js';

const POLICIES = join(import.meta.dirname, '../../fleet/policies');

const policies = readdirSync(POLICIES)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(readFileSync(join(POLICIES, f), 'utf8')).map((d) => [f, d.toJS()] as const))
  .filter(([, d]) => d?.kind === 'Policy');

describe('example fleet policies', () => {
  it('has policies to check', () => {
    expect(policies.map(([, d]) => d.metadata.name).sort()).toEqual(['gateway', 'telemetry']);
  });

  it.each(policies)('%s passes the policy checker', (_file, doc) => {
    expect(checkPolicyDocument(doc.spec.document)).toEqual([]);
  });
});
