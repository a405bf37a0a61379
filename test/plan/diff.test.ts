// buildPlan with hand-written live resources: actions, ownership, adopt, prune and its guards.
import { describe, expect, it } from 'vitest';
import { buildPlan, liveDigest, type PlanConfig } from '../../src/plan/diff.js';
import type { DesiredResource } from '../../src/model/resource.js';
import type { LiveResource } from '../../src/model/live.js';
import { desiredState, fakeRegistry, liveOf, liveState, make } from '../support/fake-kinds.js';

const fleetId = 'test';
const base: PlanConfig = { prune: false, adopt: false, fleetId };

function plan(desired: DesiredResource[], live: LiveResource[], config: Partial<PlanConfig> = {}, kinds = fakeRegistry()) {
  return buildPlan({ desired: desiredState(desired), live: liveState(live), config: { ...base, ...config }, now: 0, kinds });
}

describe('buildPlan actions', () => {
  it('creates what only the fleet has, with its fields and existing dependencies', () => {
    const p = plan([make.thing('t1', { type: 'sensor', groups: ['g'], attributes: { site: 'a' } }), make.group('g')], []);
    expect(p.changes.map((c) => [c.action, `${c.kind}/${c.name}`])).toEqual([
      ['create', 'ThingGroup/g'],
      ['create', 'Thing/t1'],
    ]);
    const thing = p.changes[1];
    // ThingType/sensor exists neither in the fleet nor live: not a graph edge.
    expect(thing.dependsOn).toEqual(['ThingGroup/g']);
    expect(thing.fields).toEqual([
      { path: 'attributes.site', after: 'a' },
      { path: 'groups', after: ['g'] },
      { path: 'type', after: 'sensor' },
    ]);
    expect(thing.desired).toEqual({ spec: make.thing('t1', { type: 'sensor', groups: ['g'], attributes: { site: 'a' } }).spec });
    expect(p.changes[0].desired).toMatchObject({ tags: { 'iotops:managed-by': 'test' } });
    expect(p.summary).toEqual({ create: 2, update: 0, replace: 0, delete: 0, adopt: 0, blocked: 0 });
  });

  it('updates a managed resource whose fields or tags differ, and carries both payloads', () => {
    const desired = make.group('g', { description: 'new' }, { team: 'iot' });
    const live = { ...liveOf(make.group('g', { description: 'old' }), fleetId), tags: { 'iotops:managed-by': fleetId, stale: 'x' } };
    const p = plan([desired], [live]);
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({
      action: 'update',
      fields: [
        { path: 'description', before: 'old', after: 'new' },
        { path: 'tags.stale', before: 'x' },
        { path: 'tags.team', after: 'iot' },
      ],
      live: { ownership: 'managed', state: { description: 'old' } },
    });
    expect(p.changes[0].blocked).toBeUndefined();
  });

  it('keeps aws: tags out of the comparison', () => {
    const d = make.group('g');
    const live = { ...liveOf(d, fleetId), tags: { 'iotops:managed-by': fleetId, 'aws:cloudformation:stack-name': 's' } };
    expect(plan([d], [live]).changes).toEqual([]);
  });

  it('replaces when the kind says the change cannot be made in place', () => {
    const kinds = fakeRegistry({ ThingType: { immutable: ['description'] } });
    const p = plan([make.thingType('sensor', { description: 'v2' })], [liveOf(make.thingType('sensor', { description: 'v1' }), fleetId)], {}, kinds);
    expect(p.changes[0]).toMatchObject({ action: 'replace', reason: 'description cannot change in place' });
    expect(p.summary.replace).toBe(1);
  });

  it('shows a change the kind forbids as blocked and does not count it', () => {
    const kinds = fakeRegistry({ ThingGroup: { forbidden: ['parent'] } });
    const p = plan([make.group('g', { parent: 'b' })], [liveOf(make.group('g', { parent: 'a' }), fleetId)], {}, kinds);
    expect(p.changes[0]).toMatchObject({ action: 'update', blocked: { code: 'immutable-field' }, reason: 'parent cannot change' });
    expect(p.summary).toMatchObject({ update: 0, blocked: 1 });
  });

  it('plans nothing when live matches', () => {
    const d = [make.thing('t1', { attributes: { a: '1' } }), make.group('g')];
    const p = plan(d, d.map((r) => liveOf(r, fleetId)));
    expect(p.changes).toEqual([]);
    expect(p.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0, adopt: 0, blocked: 0 });
  });
});

describe('buildPlan ownership and adopt', () => {
  it('never changes an unmanaged resource the fleet names: adopt, blocked without --adopt', () => {
    const p = plan([make.group('g', { description: 'mine' })], [liveOf(make.group('g', { description: 'theirs' }), fleetId, 'unmanaged')]);
    expect(p.changes[0]).toMatchObject({
      action: 'adopt',
      reason: 'exists in AWS but is not managed by fleet "test"',
      blocked: { code: 'adopt-disabled' },
      fields: [
        { path: 'description', before: 'theirs', after: 'mine' },
        { path: 'tags.iotops:managed-by', after: 'test' },
      ],
    });
    expect(p.summary).toMatchObject({ adopt: 0, blocked: 1 });
  });

  it('adopts with --adopt', () => {
    const p = plan([make.thing('t')], [liveOf(make.thing('t'), fleetId, 'unmanaged')], { adopt: true });
    expect(p.changes[0]).toMatchObject({ action: 'adopt', fields: [] });
    expect(p.changes[0].blocked).toBeUndefined();
    expect(p.summary.adopt).toBe(1);
  });

  it('blocks adopting what another fleet marks as its own unless --adopt-from names that fleet', () => {
    const taken = { ...liveOf(make.thingType('x'), fleetId, 'unmanaged'), tags: { 'iotops:managed-by': 'fleet-b' } };
    const thing = { ...liveOf(make.thing('t'), fleetId, 'unmanaged'), ownedBy: 'fleet-b' };
    const blocked = plan([make.thingType('x'), make.thing('t')], [taken, thing], { adopt: true, adoptFrom: ['fleet-c'] });
    expect(blocked.changes.map((c) => c.blocked?.code)).toEqual(['owned-by-other-fleet', 'owned-by-other-fleet']);
    expect(blocked.summary).toMatchObject({ adopt: 0, blocked: 2 });
    // Shown as another fleet's even without --adopt: the conflict matters more than the missing flag.
    expect(plan([make.thingType('x')], [taken]).changes[0].blocked?.code).toBe('owned-by-other-fleet');
    expect(plan([make.thingType('x'), make.thing('t')], [taken, thing], { adopt: true, adoptFrom: ['fleet-b'] }).summary).toMatchObject({ adopt: 2, blocked: 0 });
  });

  it('refuses to adopt when adopting would need a replacement', () => {
    const kinds = fakeRegistry({ ThingType: { immutable: ['description'] } });
    const p = plan([make.thingType('x', { description: 'a' })], [liveOf(make.thingType('x', { description: 'b' }), fleetId, 'unmanaged')], { adopt: true }, kinds);
    expect(p.changes[0]).toMatchObject({ action: 'adopt', blocked: { code: 'immutable-field' } });
  });

  it('ignores unmanaged resources the fleet does not name', () => {
    expect(plan([make.thing('a')], [liveOf(make.thing('a'), fleetId), liveOf(make.thing('other'), fleetId, 'unmanaged')]).changes).toEqual([]);
  });
});

describe('buildPlan prune and its guards', () => {
  const keep = make.thing('keep');
  const gone = (n: number) => Array.from({ length: n }, (_, i) => liveOf(make.thing(`old-${String(i).padStart(2, '0')}`), fleetId));

  it('shows deletes of managed resources that left the fleet, blocked without --prune', () => {
    const p = plan([keep], [liveOf(keep, fleetId), ...gone(2)]);
    expect(p.changes.map((c) => [c.action, c.name, c.blocked?.code])).toEqual([
      ['delete', 'old-00', 'prune-disabled'],
      ['delete', 'old-01', 'prune-disabled'],
    ]);
    expect(p.changes[0].reason).toBe('managed by fleet "test" but no longer in the fleet');
    expect(p.changes[0].live).toMatchObject({ ownership: 'managed' });
    expect(p.summary).toMatchObject({ delete: 0, blocked: 2 });
  });

  it('deletes with --prune', () => {
    const p = plan([keep], [liveOf(keep, fleetId), ...gone(2)], { prune: true });
    expect(p.changes.every((c) => c.action === 'delete' && !c.blocked)).toBe(true);
    expect(p.summary.delete).toBe(2);
  });

  it('refuses every delete when the fleet produced zero resources', () => {
    const p = plan([], gone(3), { prune: true });
    expect(p.changes.map((c) => c.blocked?.code)).toEqual(['empty-fleet', 'empty-fleet', 'empty-fleet']);
    expect(p.warnings.map((w) => w.code)).toContain('empty-fleet');
    expect(p.summary.delete).toBe(0);
  });

  it('refuses every delete when there are more than --max-deletes (default 25)', () => {
    expect(plan([keep], [liveOf(keep, fleetId), ...gone(25)], { prune: true }).summary.delete).toBe(25);
    const over = plan([keep], [liveOf(keep, fleetId), ...gone(26)], { prune: true });
    expect(over.summary).toMatchObject({ delete: 0, blocked: 26 });
    expect(over.changes[0].blocked).toMatchObject({ code: 'max-deletes', message: '26 deletes exceed the limit of 25 per run (--max-deletes, or maxDeletes: in iotops.yaml when lower)' });
    expect(plan([keep], [liveOf(keep, fleetId), ...gone(3)], { prune: true, maxDeletes: 2 }).summary).toMatchObject({ delete: 0, blocked: 3 });
  });

  it('keeps a delete the kind refuses blocked with its own reason, and does not count it against --max-deletes', () => {
    const registry = fakeRegistry();
    const kinds = {
      ...registry,
      ThingType: { ...registry.ThingType!, checkDelete: () => ({ blocked: { code: 'type-in-use' as const, message: 'used by 2 things' }, notes: ['deprecate first'] }) },
    };
    const live = [liveOf(keep, fleetId), liveOf(make.thingType('old-type'), fleetId), ...gone(1)];
    const p = plan([keep], live, { prune: true, maxDeletes: 1 }, kinds);
    expect(p.changes.map((c) => [c.name, c.blocked?.code])).toEqual([
      ['old-type', 'type-in-use'],
      ['old-00', undefined],
    ]);
    expect(p.changes[0].notes).toEqual(['deprecate first']);
    expect(plan([keep], live, { prune: false }, kinds).changes.map((c) => c.blocked?.code)).toEqual(['prune-disabled', 'prune-disabled']);
  });

  it('never deletes fleet indexing', () => {
    expect(plan([keep], [liveOf(keep, fleetId), liveOf(make.fleetIndexing(), fleetId)], { prune: true }).changes).toEqual([]);
  });

  it('orders deletes after their dependents through live dependencies', () => {
    const child = liveOf(make.group('child', { parent: 'parent' }), fleetId);
    const p = plan([keep], [liveOf(keep, fleetId), liveOf(make.group('parent'), fleetId), child], { prune: true });
    expect(p.changes.find((c) => c.name === 'child')?.dependsOn).toEqual(['ThingGroup/parent']);
  });
});

describe('buildPlan bookkeeping', () => {
  it('sorts changes by kind order, then name', () => {
    const p = plan([make.thing('b'), make.thing('a'), make.policy('p'), make.thingType('t'), make.group('g')], []);
    expect(p.changes.map((c) => `${c.kind}/${c.name}`)).toEqual(['ThingType/t', 'ThingGroup/g', 'Thing/a', 'Thing/b', 'Policy/p']);
  });

  it('skips resources matched by ignore rules, warning about declared ones', () => {
    const d = desiredState([make.thing('lab-1'), make.thing('prod-1')]);
    const p = buildPlan({ desired: d, live: liveState([liveOf(make.thing('lab-9'), fleetId)]), config: { ...base, prune: true, ignore: ['Thing/lab-*'] }, now: 0, kinds: fakeRegistry() });
    expect(p.changes.map((c) => c.name)).toEqual(['prod-1']);
    expect(p.warnings).toEqual([{ code: 'ignored-resource', message: expect.any(String), kind: 'Thing', name: 'lab-1' }]);
  });

  it('warns about kinds that have no module instead of guessing', () => {
    const { Policy: _omit, ...kinds } = fakeRegistry();
    const p = plan([make.policy('p1'), make.policy('p2'), make.thing('t')], [], {}, kinds);
    expect(p.changes.map((c) => c.kind)).toEqual(['Thing']);
    expect(p.warnings).toEqual([{ code: 'kind-not-supported', kind: 'Policy', message: expect.stringContaining('2 Policy resource(s)') }]);
  });

  it('reports a dependency cycle by name', () => {
    const p = plan([make.group('a', { parent: 'b' }), make.group('b', { parent: 'a' })], []);
    expect(p.warnings.find((w) => w.code === 'dependency-cycle')?.message).toContain('ThingGroup/a -> ThingGroup/b -> ThingGroup/a');
  });

  it('digests the live state independent of read order, and changes when it moves', () => {
    const a = liveOf(make.thing('a'), fleetId);
    const b = liveOf(make.thing('b'), fleetId);
    expect(liveDigest(liveState([a, b]))).toBe(liveDigest(liveState([b, a])));
    expect(liveDigest(liveState([a, b]))).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(liveDigest(liveState([a, { ...b, state: { ...(b.state as object), attributes: { x: '1' } } }]))).not.toBe(liveDigest(liveState([a, b])));
    expect(plan([make.thing('a')], [a]).revision).toBe('test-revision');
  });
});
