// Property: planning a fleet against a live state equal to it (as the fleet's own resources) is
// empty, whatever the fleet; and planning it against an empty account creates exactly it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildPlan } from '../../src/plan/diff.js';
import type { DesiredResource } from '../../src/model/resource.js';
import { desiredState, fakeRegistry, liveOf, liveState, make } from '../support/fake-kinds.js';

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const value = fc.stringMatching(/^[a-zA-Z0-9_.:-]{0,8}$/);
const attrs = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), value, { maxKeys: 3 });
const tags = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), value, { maxKeys: 3 });

const resource: fc.Arbitrary<DesiredResource> = fc.oneof(
  fc.record({ n: name, a: attrs, g: fc.uniqueArray(name, { maxLength: 3 }) }).map(({ n, a, g }) => make.thing(n, { attributes: a, groups: [...g].sort() })),
  fc.record({ n: name, a: attrs, t: tags, d: fc.option(value, { nil: undefined }) }).map(({ n, a, t, d }) => make.group(n, { attributes: a, ...(d === undefined ? {} : { description: d }) }, t)),
  fc.record({ n: name, s: fc.uniqueArray(name, { maxLength: 3 }) }).map(({ n, s }) => make.thingType(n, { searchableAttributes: [...s].sort() })),
  fc.record({ n: name, v: value }).map(({ n, v }) => make.policy(n, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: v }] })),
);

const fleet = fc.uniqueArray(resource, { selector: (r) => `${r.kind}/${r.name}`, maxLength: 25 });
const flags = fc.record({ prune: fc.boolean(), adopt: fc.boolean(), maxDeletes: fc.integer({ min: 0, max: 30 }) });

describe('buildPlan properties', () => {
  it('diff(x, x) is empty', () => {
    fc.assert(
      fc.property(fleet, flags, (resources, config) => {
        const plan = buildPlan({
          desired: desiredState(resources),
          live: liveState(resources.map((r) => liveOf(r, 'fleet-a'))),
          config: { ...config, fleetId: 'fleet-a' },
          now: 0,
          kinds: fakeRegistry(),
        });
        expect(plan.changes).toEqual([]);
        expect(plan.warnings).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('against an empty account, creates exactly the fleet', () => {
    fc.assert(
      fc.property(fleet, (resources) => {
        const plan = buildPlan({ desired: desiredState(resources), live: new Map(), config: { prune: true, adopt: false, fleetId: 'f' }, now: 0, kinds: fakeRegistry() });
        expect(plan.changes.map((c) => `${c.action} ${c.kind}/${c.name}`).sort()).toEqual(resources.map((r) => `create ${r.kind}/${r.name}`).sort());
        expect(plan.summary.create).toBe(resources.length);
      }),
      { numRuns: 100 },
    );
  });

  it('changing some live resources plans an update for exactly those, and nothing else', () => {
    fc.assert(
      fc.property(fleet, fc.array(fc.nat(), { maxLength: 6 }), (resources, picks) => {
        const changed = new Set(resources.length === 0 ? [] : picks.map((p) => p % resources.length));
        const live = resources.map((r, i) => {
          const l = liveOf(r, 'fleet-a');
          return changed.has(i) ? { ...l, state: { ...(l.state as object), drifted: 'yes' } } : l;
        });
        const plan = buildPlan({ desired: desiredState(resources), live: liveState(live), config: { prune: false, adopt: false, fleetId: 'fleet-a' }, now: 0, kinds: fakeRegistry() });
        const expected = [...changed].map((i) => `update ${resources[i].kind}/${resources[i].name}`).sort();
        expect(plan.changes.map((c) => `${c.action} ${c.kind}/${c.name}`).sort()).toEqual(expected);
        for (const c of plan.changes) expect(c.fields).toEqual([{ path: 'drifted', before: 'yes' }]);
      }),
      { numRuns: 150 },
    );
  });
});
