// The registry: KindName → Kind module. Adding a kind = its module + one line here + tests.
// A kind missing here is reported by the planner as `kind-not-supported` instead of being guessed at.
import type { KindName } from '../model/resource.js';
import type { Kind } from './types.js';
import { referencedKinds } from './shared/references.js';
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

/**
 * Delete phases: kinds whose resources may refer to another kind's are deleted first, so a
 * resource is never deleted while a resource that refers to it still exists (a certificate before
 * the policies it holds, a thing before its type). Derived from the kinds' references; the kinds
 * of one phase do not refer to each other and delete concurrently. A kind referring to itself (a
 * group's parent) is ordered inside its phase by the plan's per-resource edges. Throws on a cycle
 * between kinds: a registry that cannot be ordered is a programming error, caught by its tests.
 */
export function deletePhases(registry: KindRegistry): KindName[][] {
  const kinds = (Object.keys(registry) as KindName[]).filter((k) => registry[k]);
  // waiting.get(k): kinds still to be deleted that refer to k (k waits for them).
  const waiting = new Map<KindName, number>(kinds.map((k) => [k, 0]));
  const refersTo = new Map<KindName, KindName[]>();
  for (const k of kinds) {
    const refs = referencedKinds(registry[k] as Kind).filter((to) => to !== k && waiting.has(to));
    refersTo.set(k, refs);
    for (const to of refs) waiting.set(to, (waiting.get(to) ?? 0) + 1);
  }
  const phases: KindName[][] = [];
  let ready = kinds.filter((k) => waiting.get(k) === 0);
  let placed = 0;
  while (ready.length > 0) {
    phases.push(ready);
    placed += ready.length;
    const next: KindName[] = [];
    for (const k of ready) {
      for (const to of refersTo.get(k) ?? []) {
        const left = (waiting.get(to) ?? 0) - 1;
        waiting.set(to, left);
        if (left === 0) next.push(to);
      }
    }
    ready = next;
  }
  if (placed !== kinds.length) throw new Error(`kinds refer to each other in a cycle: ${kinds.filter((k) => (waiting.get(k) ?? 0) > 0).join(', ')}`);
  return phases;
}

/**
 * The registered kinds in registry order: the order plans, renderers and summaries list kinds in
 * (a display order only; nothing about execution depends on it).
 */
export function kindNames(registry: KindRegistry): KindName[] {
  return (Object.keys(registry) as KindName[]).filter((k) => registry[k]);
}
