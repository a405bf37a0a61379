// The registry: KindName → Kind module. Adding a kind = its module + one line here + tests.
// A kind missing here is reported by the planner as `kind-not-supported` instead of being guessed at.
import type { KindName } from '../model/resource.js';
import type { CompareContext, Kind } from './types.js';
import type { LiveResource } from '../model/live.js';
import type { DeletionCheck } from './shared/lifecycle.js';
import { fleetIndexingKind } from './fleet-indexing.js';
import { thingTypeKind } from './thing-type.js';
import { thingGroupKind } from './thing-group.js';
import { dynamicThingGroupKind } from './dynamic-thing-group.js';
import { thingKind } from './thing.js';
import { policyKind } from './policy.js';
import { certificateKind } from './certificate.js';
import { topicRuleKind } from './topic-rule.js';
import { jobKind } from './job.js';

export type KindRegistry = { readonly [K in KindName]?: Kind<K> };

export const kindRegistry: KindRegistry = {
  FleetIndexing: fleetIndexingKind,
  ThingType: thingTypeKind,
  ThingGroup: thingGroupKind,
  DynamicThingGroup: dynamicThingGroupKind,
  Thing: thingKind,
  Policy: policyKind,
  Certificate: certificateKind,
  TopicRule: topicRuleKind,
  Job: jobKind,
};

/** What deleting a live resource means now, for kinds with delete rules (shared/lifecycle.ts); empty otherwise. */
export function deletionCheck(kind: Kind, live: LiveResource, ctx: CompareContext): DeletionCheck {
  const k = kind as Kind & { checkDelete?(live: LiveResource, ctx: CompareContext): DeletionCheck };
  return k.checkDelete ? k.checkDelete(live, ctx) : {};
}

/** A Kind may also say what a live resource depends on (used to order deletes); optional. */
interface WithLiveDependencies {
  liveDependencies?(live: LiveResource): readonly string[];
}

/**
 * `Kind/name` keys a live resource depends on, so its delete waits for the deletes of its
 * dependents. Kinds that do not implement `liveDependencies` are asked through `dependencies` with
 * the live state in place of the spec (live states mirror their spec's field names); a kind whose
 * live state does not fit yields no edges rather than failing the plan.
 */
export function liveDependencies(kind: Kind, live: LiveResource): readonly string[] {
  const k = kind as Kind & WithLiveDependencies;
  if (k.liveDependencies) return k.liveDependencies(live);
  try {
    const deps = kind.dependencies({ kind: live.kind, name: live.name, tags: live.tags, spec: live.state, source: { file: '', line: 0, column: 0 } } as never);
    return Array.isArray(deps) ? deps.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}
