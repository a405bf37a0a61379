// Handler-level checks of the policy operations against a bare state (the SDK conformance suite
// in policies.sdk.test.ts covers the same rules over HTTP).
import { describe, expect, it } from 'vitest';
import { emptyState } from '../../src/emulator/state.js';
import { operations } from '../../src/emulator/ops/index.js';
import type { OpContext, OpInput, OpOutput } from '../../src/emulator/ops/types.js';

function setup() {
  let clock = Date.UTC(2026, 0, 1);
  const ctx: OpContext = { state: emptyState(), now: () => clock, onThingsChanged: () => {} };
  const call = (op: string, input: OpInput) => operations[op](input, ctx) as OpOutput;
  const fails = (op: string, input: OpInput) => {
    try {
      operations[op](input, ctx);
    } catch (e) {
      return e as { type: string; status: number; message: string };
    }
    throw new Error(`${op} did not fail`);
  };
  return { ctx, call, fails, tick: (ms: number) => (clock += ms) };
}

const doc = (action = 'iot:Connect') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('policy handlers', () => {
  it('creates version 1 as default and refuses a second create of the same name', () => {
    const { call, fails } = setup();
    expect(call('CreatePolicy', { policyName: 'p', policyDocument: doc() })).toMatchObject({ policyVersionId: '1' });
    expect(fails('CreatePolicy', { policyName: 'p', policyDocument: doc() })).toMatchObject({
      type: 'ResourceAlreadyExistsException',
      status: 409,
    });
  });

  it('rejects malformed documents', () => {
    const { fails } = setup();
    const bad = [
      '{not json',
      JSON.stringify({ Version: '2012-10-17' }),
      JSON.stringify({ Statement: [{ Effect: 'Maybe', Action: 'iot:*', Resource: '*' }] }),
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: 'x'.repeat(2100) }] }),
    ];
    for (const policyDocument of bad) {
      expect(fails('CreatePolicy', { policyName: 'p', policyDocument }).type).toBe('MalformedPolicyException');
    }
  });

  it('counts the 2048-character limit without whitespace', () => {
    const { call } = setup();
    const actions = Array.from({ length: 60 }, (_, i) => `iot:Publish${i}`);
    const padded = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }, null, 40);
    expect(padded.replace(/\s/g, '').length).toBeLessThan(2048);
    expect(padded.length).toBeGreaterThan(2048);
    expect(call('CreatePolicy', { policyName: 'p', policyDocument: padded }).policyVersionId).toBe('1');
  });

  it('allows five versions, then answers VersionsLimitExceeded; version ids are never reused', () => {
    const { call, fails } = setup();
    call('CreatePolicy', { policyName: 'p', policyDocument: doc() });
    for (let i = 2; i <= 5; i++) {
      expect(call('CreatePolicyVersion', { policyName: 'p', policyDocument: doc(), setAsDefault: i === 5 }).policyVersionId).toBe(String(i));
    }
    expect(fails('CreatePolicyVersion', { policyName: 'p', policyDocument: doc() })).toMatchObject({
      type: 'VersionsLimitExceededException',
      status: 409,
    });
    expect(call('GetPolicy', { policyName: 'p' }).defaultVersionId).toBe('5');
    call('DeletePolicyVersion', { policyName: 'p', policyVersionId: '1' });
    expect(call('CreatePolicyVersion', { policyName: 'p', policyDocument: doc() }).policyVersionId).toBe('6');
  });

  it('guards the default version and refuses DeletePolicy while other versions or targets exist', () => {
    const { call, fails, ctx } = setup();
    call('CreatePolicy', { policyName: 'p', policyDocument: doc() });
    call('CreatePolicyVersion', { policyName: 'p', policyDocument: doc('iot:Publish') });
    expect(fails('DeletePolicyVersion', { policyName: 'p', policyVersionId: '1' }).type).toBe('DeleteConflictException');
    expect(fails('DeletePolicy', { policyName: 'p' }).type).toBe('DeleteConflictException');
    call('DeletePolicyVersion', { policyName: 'p', policyVersionId: '2' });
    ctx.state.policies.get('p')!.targets.add('us-east-1:0f0e0d0c-0b0a-0908-0706-050403020100');
    expect(fails('DeletePolicy', { policyName: 'p' }).message).toMatch(/attached/);
    ctx.state.policies.get('p')!.targets.clear();
    call('DeletePolicy', { policyName: 'p' });
    expect(fails('GetPolicy', { policyName: 'p' }).status).toBe(404);
  });

  it('pages ListPolicies by marker', () => {
    const { call } = setup();
    for (let i = 0; i < 30; i++) call('CreatePolicy', { policyName: `p${String(i).padStart(2, '0')}`, policyDocument: doc() });
    const first = call('ListPolicies', {});
    expect((first.policies as unknown[]).length).toBe(25);
    const second = call('ListPolicies', { marker: first.nextMarker });
    expect((second.policies as { policyName: string }[]).map((p) => p.policyName)).toEqual(['p25', 'p26', 'p27', 'p28', 'p29']);
    expect(second.nextMarker).toBeUndefined();
  });

  it('stores create-time tags under the policy ARN', () => {
    const { call, ctx } = setup();
    const out = call('CreatePolicy', { policyName: 'p', policyDocument: doc(), tags: [{ Key: 'team', Value: 'a' }] });
    expect(ctx.state.tags.get(out.policyArn as string)?.get('team')).toBe('a');
  });
});
