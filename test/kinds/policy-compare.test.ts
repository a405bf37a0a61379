import { referencedKeys } from '../../src/kinds/shared/references.js';
import { describe, expect, it } from 'vitest';
import { policyKind } from '../../src/kinds/policy.js';
import type { PolicyLive, PolicyLiveState } from '../../src/kinds/policy.js';
import type { CompareContext } from '../../src/kinds/types.js';
import type { DesiredResourceOf } from '../../src/model/resource.js';

const ctx: CompareContext = { desired: { revision: 'r', config: { prune: false, adopt: false, fleetId: 'f', vars: {}, ignore: [] }, resources: [] }, live: new Map(), now: 0 };

function desired(document: Record<string, unknown>): DesiredResourceOf<'Policy'> {
  return { kind: 'Policy', name: 'device', tags: {}, spec: { document }, source: { file: 'p.yaml', line: 1, column: 1 } };
}

function live(document: unknown, state: Partial<PolicyLiveState> = {}): PolicyLive {
  return {
    kind: 'Policy',
    name: 'device',
    ownership: 'managed',
    tags: {},
    state: { arn: 'arn:aws:iot:us-east-1:123456789012:policy/device', document, defaultVersionId: '1', versionIds: ['1'], targets: [], ...state },
  };
}

const ARN = 'arn:aws:iot:us-east-1:123456789012:';

describe('Policy compare', () => {
  it('reports no drift for reordered statements, reordered keys and string vs [string]', () => {
    const written = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}client/\${iot:ClientId}` },
        { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: [`${ARN}topic/a`, `${ARN}topic/b`] },
      ],
    };
    const stored = {
      Statement: [
        { Resource: [`${ARN}topic/b`, `${ARN}topic/a`], Action: ['iot:Receive', 'iot:Publish'], Effect: 'Allow' },
        { Resource: [`${ARN}client/\${iot:ClientId}`], Effect: 'Allow', Action: ['iot:Connect'] },
      ],
      Version: '2012-10-17',
    };

    const result = policyKind.compare(desired(written), live(stored), ctx);

    expect(result.fields).toEqual([]);
    expect(result.notes ?? []).toEqual([]);
  });

  it('previews a changed document as a new default version with the permissions it grants and removes', () => {
    const before = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}topic/old` }] };
    const after = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}topic/new` }] };

    const result = policyKind.compare(desired(after), live(before, { defaultVersionId: '3', versionIds: ['2', '3'] }), ctx);

    expect(result.fields).toEqual([{ path: 'document', before, after }]);
    expect(result.notes).toContain('grants Allow iot:Publish on topic/new');
    expect(result.notes).toContain('removes Allow iot:Publish on topic/old');
    expect(result.notes?.some((n) => n.includes('will be deleted'))).toBe(false);
  });

  it('names the oldest non-default version, sorted numerically, when the policy already has 5', () => {
    const before = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] };
    const after = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iot:Connect', Resource: '*' }] };
    // Lexicographically "10" < "9"; numerically 9 is the oldest.
    const state = { defaultVersionId: '13', versionIds: ['10', '11', '12', '13', '9'] };

    const result = policyKind.compare(desired(after), live(before, state), ctx);

    expect(result.notes).toContain('version 9 (the oldest non-default) will be deleted: the policy already has 5 versions');
  });

  it('skips the default version when it is the oldest', () => {
    const before = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] };
    const after = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: '*' }] };

    const result = policyKind.compare(desired(after), live(before, { defaultVersionId: '2', versionIds: ['2', '3', '4', '5', '6'] }), ctx);

    expect(result.notes).toContain('version 3 (the oldest non-default) will be deleted: the policy already has 5 versions');
  });

  it('says how many attached targets the new version reaches', () => {
    const before = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] };
    const after = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }] };
    const targets = [`${ARN}cert/${'a'.repeat(64)}`, `${ARN}cert/${'b'.repeat(64)}`, `${ARN}thinggroup/europe`];

    const result = policyKind.compare(desired(after), live(before, { targets }), ctx);

    expect(result.notes).toContain('applies to 2 certificates and 1 thing group attached now (AWS caches policies for 6–8 minutes)');
  });

  it('treats an unparsable live document as drift', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] };

    const result = policyKind.compare(desired(doc), live('not json {'), ctx);

    expect(result.fields.map((f) => f.path)).toEqual(['document']);
  });

  it('has no dependencies', () => {
    expect(referencedKeys(policyKind, desired({}).spec)).toEqual([]);
  });
});
