import { referencedKeys } from '../../src/kinds/shared/references.js';
import { describe, expect, it } from 'vitest';
import type { DesiredResourceOf, DesiredState, KindName } from '../../src/model/resource.js';
import type { ThingGroupSpec } from '../../src/kinds/thing-group/spec.js';
import type { CompareContext } from '../../src/kinds/types.js';
import type { LiveResource } from '../../src/model/live.js';
import { thingGroupKind, type ThingGroupLive } from '../../src/kinds/thing-group.js';

const desiredState: DesiredState = {
  revision: 'r',
  config: { prune: false, adopt: false, fleetId: 'test', vars: {}, ignore: [] },
  resources: [],
};

function ctx(groups: readonly LiveResource[] = []): CompareContext {
  return { desired: desiredState, live: new Map<KindName, readonly LiveResource[]>([['ThingGroup', groups]]), now: 0 };
}

function desired(spec: Partial<ThingGroupSpec>, name = 'berlin'): DesiredResourceOf<'ThingGroup'> {
  return {
    kind: 'ThingGroup',
    name,
    tags: {},
    spec: { attributes: {}, policies: [], ...spec },
    source: { file: 'groups.yaml', line: 1, column: 1 },
  };
}

function live(state: Partial<ThingGroupLive>, name = 'berlin'): LiveResource<'ThingGroup', ThingGroupLive> {
  return {
    kind: 'ThingGroup',
    name,
    ownership: 'managed',
    tags: {},
    state: { arn: `arn:aws:iot:eu-west-1:1:thinggroup/${name}`, version: 1, dynamic: false, attributes: {}, policies: [], ...state },
  };
}

describe('ThingGroup compare', () => {
  it('shows no drift for reordered attributes and policies, or an empty description', () => {
    const d = desired({ parent: 'germany', description: '', attributes: { b: '2', a: 1 as unknown as string }, policies: ['p2', 'p1'] });
    const l = live({ parent: 'germany', attributes: { a: '1', b: '2' }, policies: ['p1', 'p2'] });

    expect(thingGroupKind.compare(d, l, ctx())).toEqual({ fields: [] });
  });

  it('updates description, attributes and policies in place', () => {
    const d = desired({ description: 'Berlin', attributes: { city: 'berlin' }, policies: ['p1', 'p3'] });
    const l = live({ attributes: { city: 'munich', old: 'x' }, policies: ['p1', 'p2'] });

    expect(thingGroupKind.compare(d, l, ctx())).toEqual({
      fields: [
        { path: 'description', after: 'Berlin' },
        { path: 'attributes.city', before: 'munich', after: 'berlin' },
        { path: 'attributes.old', before: 'x' },
        { path: 'policies', before: ['p1', 'p2'], after: ['p1', 'p3'] },
      ],
    });
  });

  it('replaces when the parent changes, explaining that AWS fixes it at creation', () => {
    const result = thingGroupKind.compare(desired({ parent: 'europe' }), live({ parent: 'germany' }), ctx());

    expect(result.fields).toEqual([{ path: 'parent', before: 'germany', after: 'europe' }]);
    expect(result.replaceReason).toMatch(/parent at creation/);
    expect(result.blocked).toBeUndefined();
  });

  it('blocks a parent change while the group has child groups', () => {
    const child = live({ parent: 'berlin' }, 'berlin-mitte');
    const result = thingGroupKind.compare(desired({}), live({ parent: 'germany', children: ['berlin-west'] }), ctx([child]));

    expect(result.blocked?.code).toBe('immutable-field');
    expect(result.blocked?.message).toContain('berlin-mitte, berlin-west');
  });

  it('replaces a live dynamic group of the same name (no conversion in AWS)', () => {
    const result = thingGroupKind.compare(desired({}), live({ dynamic: true }), ctx());

    expect(result.fields).toContainEqual({ path: 'groupType', before: 'dynamic', after: 'static' });
    expect(result.replaceReason).toMatch(/cannot convert a dynamic thing group/);
  });

  it('depends on its parent and its policies', () => {
    expect(referencedKeys(thingGroupKind, desired({ parent: 'germany', policies: ['p1', 'p2'] }).spec)).toEqual([
      'ThingGroup/germany',
      'Policy/p1',
      'Policy/p2',
    ]);
  });
});
