// Hand-written Kind modules for pure planner tests: compare every spec field generically, and
// declare what the real kinds declare (references: thing → type and groups, group → parent, ...;
// manifest; never-deleted singletons), read from the registry so the two can never disagree.
import type { DesiredResource, DesiredState, KindName } from '../../src/model/resource.js';
import type { Comparison, Kind } from '../../src/kinds/types.js';
import type { LiveResource } from '../../src/model/live.js';
import { kindNames, kindRegistry, type KindRegistry } from '../../src/kinds/registry.js';
import type { FieldChange } from '../../src/model/plan.js';
import { jsonEqual } from '../../src/model/canonical.js';

const TAGGABLE: ReadonlySet<KindName> = new Set(['ThingType', 'ThingGroup', 'DynamicThingGroup', 'Policy', 'TopicRule', 'Job']);

export interface FakeKindOptions {
  /** Spec fields whose change needs a replacement. */
  readonly immutable?: readonly string[];
  /** Spec fields whose change is refused outright. */
  readonly forbidden?: readonly string[];
}

export function fakeKind<K extends KindName>(kind: K, opts: FakeKindOptions = {}): Kind<K> {
  return {
    kind,
    taggable: TAGGABLE.has(kind),
    read: async () => [],
    manifest: kindRegistry[kind]!.manifest as Kind<K>['manifest'],
    ...(kindRegistry[kind]?.neverDeleted ? { neverDeleted: true } : {}),
    references: kindRegistry[kind]?.references ?? [],
    ...(kindRegistry[kind]?.fixedDependencies ? { fixedDependencies: kindRegistry[kind]!.fixedDependencies } : {}),
    compare(desired, live): Comparison {
      const d = desired.spec as unknown as Record<string, unknown>;
      const l = (live.state ?? {}) as Record<string, unknown>;
      const fields: FieldChange[] = [];
      for (const key of [...new Set([...Object.keys(d), ...Object.keys(l)])].sort()) {
        if (jsonEqual(d[key], l[key])) continue;
        fields.push({ path: key, ...(l[key] === undefined ? {} : { before: l[key] }), ...(d[key] === undefined ? {} : { after: d[key] }) });
      }
      const immutable = fields.find((f) => opts.immutable?.includes(f.path));
      const forbidden = fields.find((f) => opts.forbidden?.includes(f.path));
      return {
        fields,
        ...(immutable ? { replaceReason: `${immutable.path} cannot change in place` } : {}),
        ...(forbidden ? { blocked: { code: 'immutable-field' as const, message: `${forbidden.path} cannot change` } } : {}),
      };
    },
  };
}

export function fakeRegistry(opts: Partial<Record<KindName, FakeKindOptions>> = {}): KindRegistry {
  const out: Record<string, Kind> = {};
  for (const k of kindNames(kindRegistry)) out[k] = fakeKind(k, opts[k]) as Kind;
  return out as KindRegistry;
}

/** A live resource exactly matching a desired one, as the fleet's own (managed) resource. */
export function liveOf(d: DesiredResource, fleetId: string, ownership: 'managed' | 'unmanaged' = 'managed'): LiveResource {
  const tags = TAGGABLE.has(d.kind) && ownership === 'managed' ? { ...d.tags, 'iotops:managed-by': fleetId } : { ...d.tags };
  return { kind: d.kind, name: d.name, ownership, tags, state: structuredClone(d.spec) };
}

export function liveState(resources: readonly LiveResource[]): Map<KindName, LiveResource[]> {
  const m = new Map<KindName, LiveResource[]>();
  for (const r of resources) {
    const list = m.get(r.kind) ?? [];
    list.push(r);
    m.set(r.kind, list);
  }
  return m;
}

export function desiredState(resources: readonly DesiredResource[], config: Partial<DesiredState['config']> = {}): DesiredState {
  return {
    revision: 'test-revision',
    config: { fleetId: 'test', vars: {}, ignore: [], ...config },
    resources,
  };
}

const src = { file: 'fleet.yaml', line: 1, column: 1 };

export const make = {
  thing: (name: string, spec: Partial<{ type: string; attributes: Record<string, string>; groups: string[] }> = {}): DesiredResource => ({
    kind: 'Thing',
    name,
    tags: {},
    spec: { attributes: {}, groups: [], ...spec },
    source: src,
  }),
  group: (name: string, spec: Partial<{ parent: string; description: string; attributes: Record<string, string>; policies: string[] }> = {}, tags: Record<string, string> = {}): DesiredResource => ({
    kind: 'ThingGroup',
    name,
    tags,
    spec: { attributes: {}, policies: [], ...spec },
    source: src,
  }),
  thingType: (name: string, spec: Partial<{ description: string; searchableAttributes: string[]; deprecated: boolean }> = {}): DesiredResource => ({
    kind: 'ThingType',
    name,
    tags: {},
    spec: { searchableAttributes: [], deprecated: false, ...spec },
    source: src,
  }),
  policy: (name: string, document: Record<string, unknown> = { Version: '2012-10-17', Statement: [] }): DesiredResource => ({
    kind: 'Policy',
    name,
    tags: {},
    spec: { document },
    source: src,
  }),
  fleetIndexing: (): DesiredResource => ({
    kind: 'FleetIndexing',
    name: 'default',
    tags: {},
    spec: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'OFF' },
    source: src,
  }),
};
