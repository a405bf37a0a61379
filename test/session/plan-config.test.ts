// planConfig: the operator's flags are the ceiling of the guards; iotops.yaml (untrusted, anyone
// with a pull request can edit it) can only lower it.
import { describe, expect, it } from 'vitest';
import { planConfig } from '../../src/session/plan-fleet.js';
import { desiredState } from '../support/fake-kinds.js';

const repo = (config: Parameters<typeof desiredState>[1]) => desiredState([], config);

describe('planConfig', () => {
  it('ignores prune: true, adopt: true and a higher maxDeletes in iotops.yaml', () => {
    expect(planConfig(repo({ prune: true, adopt: true, maxDeletes: 100_000 }), {})).toMatchObject({ prune: false, adopt: false, maxDeletes: 25 });
    expect(planConfig(repo({ maxDeletes: 100_000 }), { prune: true, maxDeletes: 3 })).toMatchObject({ prune: true, maxDeletes: 3 });
  });

  it('lets prune: false, adopt: false and a lower maxDeletes forbid what the flags allow', () => {
    const c = planConfig(repo({ prune: false, adopt: false, maxDeletes: 2 }), { prune: true, adopt: true, maxDeletes: 50 });
    expect(c).toMatchObject({ prune: false, adopt: false, maxDeletes: 2, forbiddenByFleet: ['prune', 'adopt'] });
  });

  it('passes --adopt-from and keeps the flags when iotops.yaml says nothing', () => {
    expect(planConfig(repo({}), { prune: true, adopt: true, adoptFrom: ['fleet-b'] })).toEqual({ prune: true, adopt: true, maxDeletes: 25, adoptFrom: ['fleet-b'], fleetId: 'test', ignore: [] });
  });
});
