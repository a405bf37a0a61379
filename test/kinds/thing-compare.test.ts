import { referencedKeys } from '../../src/kinds/shared/references.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DesiredResourceOf, DesiredState } from '../../src/model/resource.js';
import type { ThingSpec } from '../../src/kinds/thing/spec.js';
import type { CompareContext } from '../../src/kinds/types.js';
import type { LiveResource } from '../../src/model/live.js';
import { thingKind, type ThingLive } from '../../src/kinds/thing.js';

const desiredState: DesiredState = {
  revision: 'r',
  config: { prune: false, adopt: false, fleetId: 'test', vars: {}, ignore: [] },
  resources: [],
};
const ctx: CompareContext = { desired: desiredState, live: new Map(), now: 0 };

function desired(spec: Partial<ThingSpec>): DesiredResourceOf<'Thing'> {
  return {
    kind: 'Thing',
    name: 'sensor-1',
    tags: {},
    spec: { attributes: {}, groups: [], ...spec },
    source: { file: 'things.yaml', line: 1, column: 1 },
  };
}

function live(state: Partial<ThingLive>): LiveResource<'Thing', ThingLive> {
  return {
    kind: 'Thing',
    name: 'sensor-1',
    ownership: 'managed',
    tags: {},
    state: { arn: 'arn:aws:iot:eu-west-1:1:thing/sensor-1', attributes: {}, groups: [], version: 3, ...state },
  };
}

describe('Thing compare', () => {
  it('shows no drift when attribute keys are ordered differently and numbers come as strings', () => {
    const d = desired({
      type: 'temperature-sensor',
      attributes: { site: 'berlin', battery: 80 as unknown as string, ratio: 1.5 as unknown as string },
      groups: ['berlin', 'all'],
    });
    const l = live({ type: 'temperature-sensor', attributes: { ratio: '1.5', battery: '80', site: 'berlin' }, groups: ['all', 'berlin'] });

    expect(thingKind.compare(d, l, ctx).fields).toEqual([]);
  });

  it('reports attribute changes per key, with absent before/after for added/removed keys', () => {
    const d = desired({ attributes: { battery: '90', site: 'berlin' } });
    const l = live({ attributes: { battery: '80', floor: '3' } });

    expect(thingKind.compare(d, l, ctx).fields).toEqual([
      { path: 'attributes.battery', before: '80', after: '90' },
      { path: 'attributes.floor', before: '3' },
      { path: 'attributes.site', after: 'berlin' },
    ]);
  });

  it('compares groups as a set and shows both sides sorted', () => {
    const d = desired({ groups: ['c', 'a'] });
    const l = live({ groups: ['b', 'a'] });

    expect(thingKind.compare(d, l, ctx).fields).toEqual([{ path: 'groups', before: ['a', 'b'], after: ['a', 'c'] }]);
  });

  it('treats a type change as an in-place update (never a replace)', () => {
    const changed = thingKind.compare(desired({ type: 'new-type' }), live({ type: 'old-type' }), ctx);
    const removed = thingKind.compare(desired({}), live({ type: 'old-type' }), ctx);

    expect(changed).toEqual({ fields: [{ path: 'type', before: 'old-type', after: 'new-type' }] });
    expect(removed).toEqual({ fields: [{ path: 'type', before: 'old-type' }] });
  });

  it('depends on its thing type and each static group', () => {
    expect(referencedKeys(thingKind, desired({ type: 't', groups: ['g1', 'g2'] }).spec)).toEqual(['ThingType/t', 'ThingGroup/g1', 'ThingGroup/g2']);
    expect(referencedKeys(thingKind, desired({}).spec)).toEqual([]);
  });

  it('never reports drift between a spec and a live state built from it (any key/group order)', () => {
    const name = fc.stringMatching(/^[a-z0-9_.:-]{1,8}$/);
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.oneof(name, fc.integer().map(String))),
        fc.uniqueArray(name, { maxLength: 5 }),
        fc.option(name, { nil: undefined }),
        (attributes, groups, type) => {
          const shuffled = Object.fromEntries(Object.entries(attributes).reverse());
          const d = desired({ attributes, groups: [...groups].sort(), ...(type ? { type } : {}) });
          const l = live({ attributes: shuffled, groups: [...groups].reverse(), ...(type ? { type } : {}) });
          return thingKind.compare(d, l, ctx).fields.length === 0;
        },
      ),
    );
  });
});
