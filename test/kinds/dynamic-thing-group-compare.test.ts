import { referencedKeys } from '../../src/kinds/shared/references.js';
import { describe, expect, it } from 'vitest';
import type { DesiredResourceOf, DesiredState } from '../../src/model/resource.js';
import type { DynamicThingGroupSpec } from '../../src/kinds/dynamic-thing-group/spec.js';
import type { CompareContext } from '../../src/kinds/types.js';
import type { LiveResource } from '../../src/model/live.js';
import { dynamicThingGroupKind, normQuery, type DynamicThingGroupLive } from '../../src/kinds/dynamic-thing-group.js';

const desiredState: DesiredState = {
  revision: 'r',
  config: { prune: false, adopt: false, fleetId: 'test', vars: {}, ignore: [] },
  resources: [],
};
const ctx: CompareContext = { desired: desiredState, live: new Map(), now: 0 };

function desired(spec: Partial<DynamicThingGroupSpec>): DesiredResourceOf<'DynamicThingGroup'> {
  return {
    kind: 'DynamicThingGroup',
    name: 'low-battery',
    tags: {},
    spec: { query: 'attributes.battery < 20', attributes: {}, ...spec },
    source: { file: 'groups.yaml', line: 1, column: 1 },
  };
}

function live(state: Partial<DynamicThingGroupLive>): LiveResource<'DynamicThingGroup', DynamicThingGroupLive> {
  return {
    kind: 'DynamicThingGroup',
    name: 'low-battery',
    ownership: 'managed',
    tags: {},
    state: { arn: 'arn:aws:iot:eu-west-1:1:thinggroup/low-battery', version: 1, dynamic: true, query: 'attributes.battery < 20', attributes: {}, ...state },
  };
}

describe('DynamicThingGroup compare', () => {
  it('ignores whitespace differences outside quotes (YAML block scalars)', () => {
    const d = desired({ query: 'attributes.battery  <  20\n  AND thingTypeName:sensor\n' });
    const l = live({ query: 'attributes.battery < 20 AND thingTypeName:sensor' });

    expect(dynamicThingGroupKind.compare(d, l, ctx)).toEqual({ fields: [] });
  });

  it('keeps whitespace inside quoted values significant', () => {
    expect(normQuery('  attributes.site:"a  b"   AND x:1 ')).toBe('attributes.site:"a  b" AND x:1');
    expect(normQuery('attributes.site:"a \\"  b"  x')).toBe('attributes.site:"a \\"  b" x');
  });

  it('updates a query change in place and says the membership is rebuilt', () => {
    const result = dynamicThingGroupKind.compare(desired({ query: 'attributes.battery < 10' }), live({}), ctx);

    expect(result.fields).toEqual([{ path: 'query', before: 'attributes.battery < 20', after: 'attributes.battery < 10' }]);
    expect(result.replaceReason).toBeUndefined();
    expect(result.notes?.[0]).toMatch(/REBUILDING/);
  });

  it('updates description and attributes (key-order-insensitive)', () => {
    const d = desired({ description: 'low', attributes: { b: '1', a: '2' } });
    const l = live({ attributes: { a: '2', b: '0' } });

    expect(dynamicThingGroupKind.compare(d, l, ctx).fields).toEqual([
      { path: 'description', after: 'low' },
      { path: 'attributes.b', before: '0', after: '1' },
    ]);
  });

  it('replaces a live static group of the same name', () => {
    const result = dynamicThingGroupKind.compare(desired({}), live({ dynamic: false, query: undefined }), ctx);

    expect(result.fields.slice(0, 2)).toEqual([
      { path: 'groupType', before: 'static', after: 'dynamic' },
      { path: 'query', after: 'attributes.battery < 20' },
    ]);
    expect(result.replaceReason).toMatch(/cannot convert a static thing group/);
  });

  it('depends on fleet indexing', () => {
    expect(referencedKeys(dynamicThingGroupKind, desired({}).spec)).toEqual(['FleetIndexing/default']);
  });
});
