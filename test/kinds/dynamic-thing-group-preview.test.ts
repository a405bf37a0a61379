// The membership preview of dynamic thing groups, through buildPlan: which things a created or
// changed group will hold, who joins and leaves on a query change, and how shadow/connectivity
// terms (unknowable from the desired state) are reported.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/diff.js';
import type { DesiredResource, DesiredState, KindName } from '../../src/model/resource.js';
import type { FleetIndexingSpec } from '../../src/kinds/fleet-indexing/spec.js';
import type { LiveResource } from '../../src/model/live.js';
import type { ThingLive } from '../../src/kinds/thing.js';
import { dynamicThingGroupKind, type DynamicThingGroupLive } from '../../src/kinds/dynamic-thing-group.js';
import { membershipPreview, nameList } from '../../src/kinds/dynamic-thing-group/preview.js';

const fleetId = 'test';
const src = { file: 'fleet.yaml', line: 1, column: 1 };
const OWNED = { 'iotops:managed-by': fleetId };
const kinds = { DynamicThingGroup: dynamicThingGroupKind };

function indexing(spec: Partial<FleetIndexingSpec> = {}): DesiredResource {
  return { kind: 'FleetIndexing', name: 'default', tags: {}, spec: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'OFF', ...spec }, source: src };
}

function thing(name: string, attributes: Record<string, string>, type = 'sensor', groups: string[] = []): DesiredResource {
  return { kind: 'Thing', name, tags: {}, spec: { type, attributes, groups }, source: src };
}

function group(query: string, description?: string): DesiredResource {
  return { kind: 'DynamicThingGroup', name: 'low-battery', tags: {}, spec: { query, attributes: {}, ...(description ? { description } : {}) }, source: src };
}

function liveGroup(state: Partial<DynamicThingGroupLive>): LiveResource {
  return {
    kind: 'DynamicThingGroup',
    name: 'low-battery',
    ownership: 'managed',
    tags: OWNED,
    state: { arn: 'arn:aws:iot:eu-west-1:1:thinggroup/low-battery', version: 1, dynamic: true, query: 'attributes.battery<20', attributes: {}, ...state } satisfies DynamicThingGroupLive,
  };
}

function liveThing(name: string, attributes: Record<string, string>, type = 'sensor'): LiveResource {
  return { kind: 'Thing', name, ownership: 'managed', tags: {}, state: { arn: `arn:thing/${name}`, type, attributes, groups: [], version: 1 } satisfies ThingLive };
}

function state(resources: DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: false, adopt: false, fleetId, vars: {}, ignore: [] }, resources };
}

function groupNotes(desired: DesiredResource[], live: LiveResource[] = []): readonly string[] | undefined {
  const byKind = new Map<KindName, LiveResource[]>();
  for (const r of live) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
  const plan = buildPlan({ desired: state(desired), live: byKind, config: { prune: false, adopt: false, fleetId }, now: 0, kinds });
  const changes = plan.changes.filter((c) => c.kind === 'DynamicThingGroup');
  expect(changes.length).toBeLessThanOrEqual(1);
  return changes[0]?.notes;
}

/** 12 Berlin sensors: battery = 3 × index, so indexes 1..6 are below 20. */
const berlin = Array.from({ length: 12 }, (_, i) => thing(`sensor-berlin-${String(i + 1).padStart(3, '0')}`, { battery: String(3 * (i + 1)), site: 'berlin' }));

describe('dynamic group preview on create', () => {
  it('lists the things the new group will hold, five by name and the rest counted', () => {
    const notes = groupNotes([indexing(), ...berlin, thing('gw-1', { battery: '1' }, 'gateway'), group('thingTypeName:sensor AND attributes.battery<20')]);

    expect(notes).toEqual(['will hold 6 things: sensor-berlin-001, sensor-berlin-002, sensor-berlin-003, sensor-berlin-004, sensor-berlin-005, … and 1 more']);
  });

  it('names a single member, and says so when there is none', () => {
    expect(groupNotes([indexing(), ...berlin, group('thingName:sensor-berlin-012')])).toEqual(['will hold 1 thing: sensor-berlin-012']);
    expect(groupNotes([indexing(), ...berlin, group('attributes.site:paris')])).toEqual(['will hold no things']);
  });

  it('sees static groups and thing types of the fleet, not other dynamic groups', () => {
    const things = [thing('a', {}, 'sensor', ['floor-1']), thing('b', {}, 'sensor', ['floor-2']), thing('c', {}, 'camera', ['floor-1'])];
    expect(groupNotes([indexing(), ...things, group('thingGroupNames:floor-1 AND -thingTypeName:camera')])).toEqual(['will hold 1 thing: a']);
  });

  it('splits certain members from things whose membership depends on the shadow', () => {
    const things = [thing('a', { site: 'berlin' }), thing('b', { site: 'berlin' }), thing('c', { site: 'paris' })];
    const notes = groupNotes([indexing({ thingIndexingMode: 'REGISTRY_AND_SHADOW' }), ...things, group('attributes.site:berlin AND shadow.reported.temp>30 OR thingName:a')]);

    expect(notes).toEqual([
      'membership depends on shadow data; preview covers registry fields only',
      'will hold at least 1 thing: a',
      '1 more may match, depending on shadow data: b',
    ]);
  });

  it('names connectivity data, and evaluates unindexed fields as matching nothing (as AWS does)', () => {
    const things = [thing('a', { site: 'berlin' }), thing('b', { site: 'paris' })];
    expect(groupNotes([indexing({ thingConnectivityIndexingMode: 'STATUS' }), ...things, group('connectivity.connected:false AND shadow.reported.x:1 OR attributes.site:berlin')])).toEqual([
      'will hold 1 thing: a',
    ]);
    expect(groupNotes([indexing({ thingIndexingMode: 'REGISTRY_AND_SHADOW', thingConnectivityIndexingMode: 'STATUS' }), ...things, group('connectivity.connected:false')])).toEqual([
      'membership depends on connectivity data; preview covers registry fields only',
      'no things match on registry fields alone',
      '2 more may match, depending on connectivity data: a, b',
    ]);
  });
});

describe('dynamic group preview on change', () => {
  it('shows who joins and who leaves when the query changes, from the live things to the desired ones', () => {
    // Live: battery = 3 × index; desired: the same, except 002 recharged to 90 and 013 is new.
    const live = [liveGroup({ query: 'attributes.battery<10' }), ...berlin.map((t) => liveThing(t.name, (t.spec as { attributes: Record<string, string> }).attributes))];
    const desired = [
      indexing(),
      ...berlin.map((t) => (t.name === 'sensor-berlin-002' ? thing(t.name, { battery: '90', site: 'berlin' }) : t)),
      thing('sensor-berlin-013', { battery: '2', site: 'berlin' }),
      group('attributes.battery<16'),
    ];

    expect(groupNotes(desired, live)).toEqual([
      'AWS re-evaluates the membership after a query change (status REBUILDING)',
      'will hold 5 things: sensor-berlin-001, sensor-berlin-003, sensor-berlin-004, sensor-berlin-005, sensor-berlin-013',
      '+3 joining: sensor-berlin-004, sensor-berlin-005, sensor-berlin-013',
      '-1 leaving: sensor-berlin-002',
    ]);
  });

  it('counts a thing removed from the fleet as leaving', () => {
    const live = [liveGroup({ query: 'attributes.site:berlin' }), liveThing('old', { site: 'berlin' }), liveThing('kept', { site: 'berlin' })];
    expect(groupNotes([indexing(), thing('kept', { site: 'berlin' }), group('attributes.site:berlin OR attributes.site:paris')], live)).toEqual([
      'AWS re-evaluates the membership after a query change (status REBUILDING)',
      'will hold 1 thing: kept',
      '-1 leaving: old',
    ]);
  });

  it('says nobody moves when a query change keeps the membership', () => {
    const live = [liveGroup({ query: 'attributes.battery<20' }), liveThing('a', { battery: '5' })];
    expect(groupNotes([indexing(), thing('a', { battery: '5' }), group('attributes.battery<=19')], live)).toEqual([
      'AWS re-evaluates the membership after a query change (status REBUILDING)',
      'will hold 1 thing: a',
      'no things join or leave',
    ]);
  });

  it('never claims a move it cannot be sure of', () => {
    const live = [liveGroup({ query: 'attributes.site:berlin' }), liveThing('a', { site: 'berlin' }), liveThing('b', { site: 'paris' })];
    const notes = groupNotes([indexing({ thingIndexingMode: 'REGISTRY_AND_SHADOW' }), thing('a', { site: 'berlin' }), thing('b', { site: 'paris' }), group('shadow.reported.on:true')], live);

    expect(notes).toEqual([
      'AWS re-evaluates the membership after a query change (status REBUILDING)',
      'membership depends on shadow data; preview covers registry fields only',
      'no things match on registry fields alone',
      '2 more may match, depending on shadow data: a, b',
      'no things join or leave',
    ]);
  });

  it('names the old query\'s device-state data when only the old membership is uncertain', () => {
    const live = [liveGroup({ query: 'shadow.reported.on:true' }), liveThing('a', { site: 'berlin' }), liveThing('b', { site: 'paris' })];
    const notes = groupNotes([indexing({ thingIndexingMode: 'REGISTRY_AND_SHADOW' }), thing('a', { site: 'berlin' }), thing('b', { site: 'paris' }), group('attributes.site:berlin')], live);

    expect(notes).toEqual([
      'AWS re-evaluates the membership after a query change (status REBUILDING)',
      'membership depends on shadow data; preview covers registry fields only',
      'will hold 1 thing: a',
      'no things join or leave',
    ]);
  });

  it('adds no caveat when registry terms decide a query that also reads the shadow', () => {
    const notes = groupNotes([indexing({ thingIndexingMode: 'REGISTRY_AND_SHADOW' }), thing('a', { site: 'berlin' }), group('attributes.site:paris AND shadow.reported.on:true')]);
    expect(notes).toEqual(['will hold no things']);
  });

  it('previews the membership on a description-only update, without joining/leaving', () => {
    const live = [liveGroup({ query: 'attributes.battery<20', description: 'old' }), liveThing('a', { battery: '5' })];
    expect(groupNotes([indexing(), thing('a', { battery: '5' }), group('attributes.battery<20', 'new')], live)).toEqual(['will hold 1 thing: a']);
  });

  it('adds nothing when the group is in sync', () => {
    expect(groupNotes([indexing(), thing('a', { battery: '5' }), group('attributes.battery<20')], [liveGroup({}), liveThing('a', { battery: '5' })])).toBeUndefined();
  });

  it('previews the dynamic group that replaces a static one', () => {
    const live = [liveGroup({ dynamic: false, query: undefined }), liveThing('a', { battery: '5' })];
    expect(groupNotes([indexing(), thing('a', { battery: '5' }), group('attributes.battery<20')], live)).toEqual(['will hold 1 thing: a']);
  });
});

describe('nameList', () => {
  it('shows the five smallest names in code-unit order, whatever the input order', () => {
    expect(nameList(['g', 'b', 'f', 'a', 'e', 'c', 'd'])).toBe('a, b, c, d, e, … and 2 more');
    expect(nameList(['b', 'a'])).toBe('a, b');
  });
});

// Its cost at this size is measured by bench/plan-preview.ts, not here.
describe('preview at scale', () => {
  it('previews a query change over 100,000 things', () => {
    const n = 100_000;
    const desired: DesiredResource[] = [indexing()];
    const liveThings: LiveResource[] = [];
    for (let i = 0; i < n; i++) {
      const attributes = { battery: String(i % 100), site: i % 2 === 0 ? 'berlin' : 'paris' };
      desired.push(thing(`sensor-${String(i).padStart(6, '0')}`, attributes));
      liveThings.push(liveThing(`sensor-${String(i).padStart(6, '0')}`, attributes));
    }
    const g = group('attributes.site:berlin AND attributes.battery<20');
    const live = new Map<KindName, readonly LiveResource[]>([['Thing', liveThings]]);
    const oldGroup = liveGroup({ query: 'attributes.site:berlin AND attributes.battery<10' }) as LiveResource<'DynamicThingGroup', DynamicThingGroupLive>;

    const notes = membershipPreview(g as DesiredResource & { kind: 'DynamicThingGroup' }, oldGroup, { desired: state([...desired, g]), live, now: 0 });

    expect(notes).toEqual([
      'will hold 10000 things: sensor-000000, sensor-000002, sensor-000004, sensor-000006, sensor-000008, … and 9995 more',
      '+5000 joining: sensor-000010, sensor-000012, sensor-000014, sensor-000016, sensor-000018, … and 4995 more',
    ]);
  });
});
