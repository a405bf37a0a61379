import { referencedKeys } from '../../src/kinds/shared/references.js';
import { describe, expect, it } from 'vitest';
import { jobKind, type JobLive, type JobLiveState } from '../../src/kinds/job.js';
import type { CompareContext } from '../../src/kinds/types.js';
import type { DesiredResourceOf } from '../../src/model/resource.js';
import type { JobSpec } from '../../src/kinds/job/spec.js';

const ctx: CompareContext = { desired: { revision: 'r', config: { prune: false, adopt: false, fleetId: 'f', vars: {}, ignore: [] }, resources: [] }, live: new Map(), now: 0 };

function desired(spec: Partial<JobSpec> = {}): DesiredResourceOf<'Job'> {
  return {
    kind: 'Job',
    name: 'fw-2',
    tags: {},
    spec: {
      targets: { things: ['t1', 't2'], groups: ['berlin'] },
      targetSelection: 'SNAPSHOT',
      document: '{"operation":"update","version":"2.0"}',
      status: 'active',
      ...spec,
    },
    source: { file: 'j.yaml', line: 1, column: 1 },
  };
}

function live(state: Partial<JobLiveState> = {}): JobLive {
  return {
    kind: 'Job',
    name: 'fw-2',
    ownership: 'managed',
    tags: {},
    state: {
      arn: 'arn:aws:iot:us-east-1:123456789012:job/fw-2',
      status: 'IN_PROGRESS',
      targets: { things: ['t1', 't2'], groups: ['berlin'] },
      otherTargets: [],
      targetSelection: 'SNAPSHOT',
      document: '{"operation":"update","version":"2.0"}',
      ...state,
    },
  };
}

describe('Job compare', () => {
  it('reports no drift for a reformatted document with other key order and reordered targets', () => {
    const stored = live({ document: '{\n  "version": "2.0",\n  "operation": "update"\n}', targets: { things: ['t2', 't1'], groups: ['berlin'] } });

    expect(jobKind.compare(desired(), stored, ctx)).toEqual({ fields: [] });
  });

  it.each([
    ['document', desired({ document: '{"operation":"update","version":"3.0"}' })],
    ['targets.things', desired({ targets: { things: ['t1'], groups: ['berlin'] } })],
    ['targets.groups', desired({ targets: { things: ['t1', 't2'], groups: [] } })],
    ['targetSelection', desired({ targetSelection: 'CONTINUOUS' })],
  ])('blocks a change of %s as immutable, pointing to a new job name', (path, want) => {
    const result = jobKind.compare(want, live(), ctx);

    expect(result.fields.map((f) => f.path)).toEqual([path]);
    expect(result.blocked?.code).toBe('immutable-field');
    expect(result.blocked?.message).toContain('create a new job name');
  });

  it('updates description and declared configs, ignoring configs the manifest leaves out', () => {
    const rollout = { maximumPerMinute: 50 };
    const result = jobKind.compare(
      desired({ description: 'new', rollout }),
      live({ description: 'old', rollout: { maximumPerMinute: 10 }, timeout: { inProgressTimeoutInMinutes: 30 } }),
      ctx,
    );

    expect(result.blocked).toBeUndefined();
    expect(result.fields).toEqual([
      { path: 'description', before: 'old', after: 'new' },
      { path: 'rollout', before: { maximumPerMinute: 10 }, after: rollout },
    ]);
  });

  it('compares configs ignoring key order', () => {
    const abort = { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 5 }] };
    const stored = { criteriaList: [{ minNumberOfExecutedThings: 5, thresholdPercentage: 10, action: 'CANCEL', failureType: 'FAILED' }] };

    expect(jobKind.compare(desired({ abort }), live({ abort: stored }), ctx).fields).toEqual([]);
  });

  it('cancels an active job declared cancelled', () => {
    const result = jobKind.compare(desired({ status: 'cancelled' }), live(), ctx);

    expect(result.blocked).toBeUndefined();
    expect(result.fields).toEqual([{ path: 'status', before: 'active', after: 'cancelled' }]);
  });

  it('blocks restarting a cancelled job', () => {
    const result = jobKind.compare(desired(), live({ status: 'CANCELED' }), ctx);

    expect(result.blocked?.code).toBe('immutable-field');
    expect(result.fields).toEqual([{ path: 'status', before: 'cancelled', after: 'active' }]);
  });

  it('treats a completed job as in sync whatever its declared status', () => {
    expect(jobKind.compare(desired({ status: 'cancelled' }), live({ status: 'COMPLETED' }), ctx).fields).toEqual([]);
    expect(jobKind.compare(desired(), live({ status: 'COMPLETED' }), ctx).fields).toEqual([]);
  });

  it('blocks a job that is being deleted', () => {
    expect(jobKind.compare(desired(), live({ status: 'DELETION_IN_PROGRESS' }), ctx).blocked?.code).toBe('immutable-field');
  });

  it('depends on its target things and groups (static or dynamic)', () => {
    expect(referencedKeys(jobKind, desired().spec)).toEqual(['Thing/t1', 'Thing/t2', 'ThingGroup/berlin', 'DynamicThingGroup/berlin']);
  });
});
