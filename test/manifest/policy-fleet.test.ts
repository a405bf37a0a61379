import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/manifest/index.js';
import { checkPolicyDocument } from '../../src/lang/policy/index.js';

const FLEET = join(import.meta.dirname, '../../fleet');

describe('example fleet', () => {
  it('validates without diagnostics and expands to the documented resources', async () => {
    const result = await loadFleet({ dir: FLEET, processEnv: {} });
    expect(result.diagnostics).toEqual([]);
    const counts: Record<string, number> = {};
    for (const r of result.state?.resources ?? []) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    expect(counts).toEqual({
      FleetIndexing: 1, ThingType: 2, ThingGroup: 5, DynamicThingGroup: 1, Thing: 39, Policy: 2, Certificate: 3, TopicRule: 2, Job: 2,
    });
  });

  it.each([
    [undefined, '123456789012'],
    ['staging', '210987654321'],
  ])('policies pass the policy checker after variable substitution (env %s)', async (env, account) => {
    const result = await loadFleet({ dir: FLEET, processEnv: {}, ...(env === undefined ? {} : { env }) });
    const policies = (result.state?.resources ?? []).filter((r) => r.kind === 'Policy');
    expect(policies.map((p) => p.name)).toEqual(['gateway', 'telemetry']);
    for (const policy of policies) {
      const document = policy.spec as { document: unknown };
      expect(checkPolicyDocument(document.document)).toEqual([]);
      expect(JSON.stringify(document.document)).toContain(`arn:aws:iot:eu-central-1:${account}:client/\${iot:Connection.Thing.ThingName}`);
    }
  });
});
