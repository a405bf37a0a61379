// Kinds whose deletion follows AWS rules beyond one API call (a thing type must be deprecated,
// then deleted ≥ 5 minutes later, and only when no thing uses it) expose `checkDelete` next to
// the Kind interface so the planner can show the delete as blocked, with the reason, instead of
// letting apply fail.
import type { KindName } from '../../model/resource.js';
import type { Blocked } from '../../model/plan.js';
import type { CompareContext } from '../types.js';
import type { LiveResource } from '../../model/live.js';

export interface DeletionCheck {
  readonly blocked?: Blocked;
  readonly notes?: readonly string[];
}

export interface DeletionRules<K extends KindName, L> {
  /** Pure: what deleting this managed live resource means now (ctx.now injected). */
  checkDelete(live: LiveResource<K, L>, ctx: CompareContext): DeletionCheck;
}
