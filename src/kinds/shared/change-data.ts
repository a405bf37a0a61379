// What apply reads from a PlannedChange. The plan stores the desired spec + tags in
// `change.desired` and the live resource (or just its state) in `change.live`; both shapes are
// accepted so a saved plan stays executable whichever of the two the planner wrote.
import type { KindName, SpecOf, StringMap } from '../../model/resource.js';
import type { PlannedChange } from '../../model/plan.js';

export interface DesiredPayload<K extends KindName> {
  readonly spec: SpecOf[K];
  /** Absent when the manifest declares no tags: apply then only sets the ownership mark. */
  readonly tags: StringMap | undefined;
}

export interface LivePayload<L> {
  readonly state: L;
  /** Present when the planner stored the whole LiveResource. */
  readonly tags?: StringMap;
}

export function desiredOf<K extends KindName>(change: PlannedChange): DesiredPayload<K> {
  const d = change.desired as Record<string, unknown> | undefined;
  if (!d || typeof d !== 'object') throw new Error(`${change.kind}/${change.name}: the plan carries no desired spec for ${change.action}`);
  if ('spec' in d && typeof d.spec === 'object' && d.spec !== null) {
    return { spec: d.spec as SpecOf[K], tags: d.tags as StringMap | undefined };
  }
  return { spec: d as unknown as SpecOf[K], tags: undefined };
}

export function liveOf<L>(change: PlannedChange): LivePayload<L> {
  const l = change.live as Record<string, unknown> | undefined;
  if (!l || typeof l !== 'object') throw new Error(`${change.kind}/${change.name}: the plan carries no live state for ${change.action}`);
  if ('state' in l && 'ownership' in l) {
    return { state: l.state as L, tags: l.tags as StringMap | undefined };
  }
  return { state: l as unknown as L };
}
