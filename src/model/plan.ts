// The Plan: pure, serializable data (DESIGN.md "Plan JSON contract"). `plan --format json` prints
// it and `plan --out FILE` saves it; `apply` executes exactly what it lists. The renderers take
// a Plan and nothing else. Field names here are a public contract: extend, never rename.
import type { KindName } from './resource.js';

/** The closed set of actions. `adopt` takes over an unmanaged live resource the fleet names (only with --adopt). */
export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'adopt';

export const CHANGE_ACTIONS: readonly ChangeAction[] = ['create', 'update', 'replace', 'delete', 'adopt'];

export interface FieldChange {
  /** Dotted path into the resource, e.g. `attributes.battery`, `groups`, `document`, `status`. */
  readonly path: string;
  /** JSON values; absent `before` means the field is being set, absent `after` that it is removed. */
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Why a change will not be carried out by this apply, with a stable code. */
export interface Blocked {
  readonly code:
    | 'prune-disabled'
    | 'max-deletes'
    | 'empty-fleet'
    | 'immutable-field'
    | 'type-in-use'
    | 'adopt-disabled'
    | 'owned-by-other-fleet'
    | 'deprecation-pending';
  readonly message: string;
}

/**
 * Blocked codes that mean a safety guard refused what the operator asked for (not merely "not
 * asked"), or a conflict to resolve (the fleet names a resource another fleet manages). `apply`
 * exits 1 on them and the controller warns, so CI and operators notice.
 */
const REFUSALS: ReadonlySet<Blocked['code']> = new Set(['max-deletes', 'empty-fleet', 'owned-by-other-fleet']);

export function isRefusal(blocked: Blocked | undefined): blocked is Blocked {
  return blocked !== undefined && REFUSALS.has(blocked.code);
}

export interface PlannedChange {
  readonly kind: KindName;
  readonly name: string;
  readonly action: ChangeAction;
  readonly fields: readonly FieldChange[];
  /** Why (required for replace/delete/adopt and for anything blocked). */
  readonly reason?: string;
  /** `Kind/name` keys this change must wait for (deletes: reverse order is applied by the executor). */
  readonly dependsOn: readonly string[];
  /** Set when this change is shown but will not be applied. Blocked changes are not counted in `summary`. */
  readonly blocked?: Blocked;
  /** Extra human-facing facts, e.g. "deletes policy version 1 (the oldest non-default)" or permissions granted/removed. */
  readonly notes?: readonly string[];
  /** What apply needs to execute the change without re-reading the fleet: the desired spec and tags. */
  readonly desired?: unknown;
  /** Live identifiers apply needs (certificate id, policy version ids, thing version, ...). */
  readonly live?: unknown;
}

export interface PlanWarning {
  readonly code: string;
  readonly message: string;
  readonly kind?: KindName;
  readonly name?: string;
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly adopt: number;
  /** Changes shown but not carried out (see `Blocked`). */
  readonly blocked: number;
}

export interface Plan {
  readonly formatVersion: 1;
  /** Fleet revision: git sha or content digest. */
  readonly revision: string;
  /** Digest of the live state the plan was computed from; `apply --plan` refuses the plan if it moved. */
  readonly liveDigest: string;
  readonly summary: PlanSummary;
  /** Sorted by kind (KIND_NAMES order) then name. */
  readonly changes: readonly PlannedChange[];
  readonly warnings: readonly PlanWarning[];
}

export function summarize(changes: readonly PlannedChange[]): PlanSummary {
  const s = { create: 0, update: 0, replace: 0, delete: 0, adopt: 0, blocked: 0 };
  for (const c of changes) {
    if (c.blocked) s.blocked++;
    else s[c.action]++;
  }
  return s;
}

/** True when applying the plan would change something (drives `--detailed-exitcode`). */
export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => !c.blocked);
}
