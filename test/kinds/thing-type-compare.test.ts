import { referencedKeys } from '../../src/kinds/shared/references.js';
import { describe, expect, it } from 'vitest';
import type { DesiredResourceOf, DesiredState, KindName } from '../../src/model/resource.js';
import type { ThingTypeSpec } from '../../src/kinds/thing-type/spec.js';
import type { CompareContext } from '../../src/kinds/types.js';
import type { LiveResource } from '../../src/model/live.js';
import { thingTypeKind, type ThingTypeLive } from '../../src/kinds/thing-type.js';

const NOW = Date.parse('2026-11-26T22:00:00.000Z');
const MIN = 60_000;
const desiredState: DesiredState = {
  revision: 'r',
  config: { prune: false, adopt: false, fleetId: 'test', vars: {}, ignore: [] },
  resources: [],
};

function ctx(things: Record<string, string | undefined> = {}, declared: Record<string, string | undefined> = things): CompareContext {
  const desiredThings = Object.entries(declared).map(([name, type]) => ({
    kind: 'Thing' as const,
    name,
    tags: {},
    spec: { attributes: {}, groups: [], ...(type ? { type } : {}) },
    source: { file: 'things.yaml', line: 1, column: 1 },
  }));
  const thingLive: LiveResource[] = Object.entries(things).map(([name, type]) => ({
    kind: 'Thing',
    name,
    ownership: 'managed',
    tags: {},
    state: { arn: '', attributes: {}, groups: [], version: 1, ...(type ? { type } : {}) },
  }));
  return {
    desired: { ...desiredState, resources: desiredThings },
    live: new Map<KindName, readonly LiveResource[]>([['Thing', thingLive]]),
    now: NOW,
  };
}

function desired(spec: Partial<ThingTypeSpec>): DesiredResourceOf<'ThingType'> {
  return {
    kind: 'ThingType',
    name: 'temperature-sensor',
    tags: {},
    spec: { searchableAttributes: [], deprecated: false, ...spec },
    source: { file: 'types.yaml', line: 1, column: 1 },
  };
}

function live(state: Partial<ThingTypeLive>): LiveResource<'ThingType', ThingTypeLive> {
  return {
    kind: 'ThingType',
    name: 'temperature-sensor',
    ownership: 'managed',
    tags: { 'iotops:managed-by': 'test' },
    state: { arn: 'arn:aws:iot:eu-west-1:1:thingtype/temperature-sensor', searchableAttributes: [], deprecated: false, ...state },
  };
}

describe('ThingType compare', () => {
  it('shows no drift for reordered searchable attributes or an empty description', () => {
    const d = desired({ description: '', searchableAttributes: ['site', 'floor'] });
    const l = live({ searchableAttributes: ['floor', 'site'] });

    expect(thingTypeKind.compare(d, l, ctx())).toEqual({ fields: [] });
  });

  it('updates the deprecated flag in place', () => {
    expect(thingTypeKind.compare(desired({ deprecated: true }), live({}), ctx())).toEqual({
      fields: [{ path: 'deprecated', before: false, after: true }],
    });
  });

  it('replaces on a description change and explains why, deprecating first', () => {
    const result = thingTypeKind.compare(desired({ description: 'new' }), live({ description: 'old' }), ctx());

    expect(result.fields).toEqual([{ path: 'description', before: 'old', after: 'new' }]);
    expect(result.replaceReason).toMatch(/AWS cannot update a thing type's description/);
    expect(result.blocked).toBeUndefined();
    expect(result.notes?.[0]).toMatch(/step 1 of 2/);
  });

  it('blocks the replace with type-in-use while live things use the type', () => {
    const result = thingTypeKind.compare(
      desired({ searchableAttributes: ['site'] }),
      live({ searchableAttributes: ['floor'] }),
      ctx({ 'sensor-2': 'temperature-sensor', 'sensor-1': 'temperature-sensor', other: 'other-type' }),
    );

    expect(result.replaceReason).toMatch(/searchableAttributes/);
    expect(result.blocked?.code).toBe('type-in-use');
    expect(result.blocked?.message).toContain('2 thing(s) still use thing type temperature-sensor (sensor-1, sensor-2)');
  });

  it('counts things found by the reader outside the fleet scope too', () => {
    const result = thingTypeKind.compare(desired({ description: 'x' }), live({ usedBy: ['foreign-1'], usedByMore: true }), ctx());

    expect(result.blocked?.code).toBe('type-in-use');
    expect(result.blocked?.message).toContain('more than 1 thing(s)');
  });

  it('blocks with deprecation-pending and the time left when deprecated less than 5 minutes ago', () => {
    const l = live({ description: 'old', deprecated: true, deprecationDate: NOW - 2 * MIN });
    const result = thingTypeKind.compare(desired({ description: 'new', deprecated: true }), l, ctx());

    expect(result.blocked?.code).toBe('deprecation-pending');
    expect(result.blocked?.message).toContain('3m 0s left');
    expect(result.blocked?.message).toContain('2026-11-26T22:03:00.000Z');
  });

  it('lets the replace proceed 5 minutes after deprecation', () => {
    const l = live({ description: 'old', deprecated: true, deprecationDate: NOW - 5 * MIN });
    const result = thingTypeKind.compare(desired({ description: 'new' }), l, ctx());

    expect(result.blocked).toBeUndefined();
    expect(result.replaceReason).toBeDefined();
    expect(result.fields).toContainEqual({ path: 'deprecated', before: true, after: false });
  });
});

describe('ThingType deletion rules', () => {
  it('deprecates first when the type is not deprecated, even while things use it', () => {
    const check = thingTypeKind.checkDelete!(live({}), ctx({ 'sensor-1': 'temperature-sensor' }));

    expect(check.blocked).toBeUndefined();
    expect(check.notes?.[0]).toMatch(/step 1 of 2/);
    expect(check.notes?.[1]).toMatch(/sensor-1/);
  });

  it('is deprecation-pending within 5 minutes of deprecation', () => {
    const check = thingTypeKind.checkDelete!(live({ deprecated: true, deprecationDate: NOW - 4 * MIN - 30_000 }), ctx());

    expect(check.blocked).toEqual({ code: 'deprecation-pending', message: expect.stringContaining('30s left') });
  });

  it('is blocked by things still using it after the wait, and free once none do', () => {
    const old = live({ deprecated: true, deprecationDate: NOW - 10 * MIN });

    expect(thingTypeKind.checkDelete!(old, ctx({ 'sensor-1': 'temperature-sensor' })).blocked?.code).toBe('type-in-use');
    expect(thingTypeKind.checkDelete!(old, ctx({ 'sensor-1': 'other' }))).toEqual({});
  });

  it('does not count things this plan moves to another type or prunes (they go before the type)', () => {
    const old = live({ deprecated: true, deprecationDate: NOW - 10 * MIN });
    const users = { moving: 'temperature-sensor', pruned: 'temperature-sensor', staying: 'temperature-sensor' };

    const check = thingTypeKind.checkDelete!(old, ctx(users, { moving: 'other', staying: 'temperature-sensor' }));

    expect(check.blocked?.message).toContain('1 thing(s) still use thing type temperature-sensor (staying)');
    expect(thingTypeKind.checkDelete!(old, ctx(users, { moving: 'other' }))).toEqual({});
  });

  it('has no dependencies', () => {
    expect(referencedKeys(thingTypeKind, desired({}).spec)).toEqual([]);
  });
});
