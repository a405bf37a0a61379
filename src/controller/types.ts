// The controller's contracts. The loop (loop.ts) owns scheduling and status; the work of one
// cycle — load the artifact, read live state, plan, maybe apply — is a Reconcile function
// injected into it (reconcile.ts builds the real one from manifest → live → plan → apply).
import type { KindName } from '../model/resource.js';
import type { FieldChange, Plan } from '../model/plan.js';
import type { Artifact } from '../source/types.js';

/** observe: apply new revisions, report drift; heal: also correct drift at an applied revision. */
export type ReconcileMode = 'observe' | 'heal';

/**
 * How a failed cycle is retried (Flux's model): `stalled` waits for a new revision (the
 * manifests are wrong; retrying cannot help), `transient` backs off and retries.
 */
export type ErrorClass = 'stalled' | 'transient';

export type ReconcileReason =
  | 'ValidationFailed'
  | 'TargetMismatch'
  | 'FleetIdMismatch'
  | 'PlanFailed'
  | 'ApplyFailed'
  | 'PruneRefused'
  | 'SourceUnavailable'
  | 'AwsUnavailable'
  | 'Cancelled';

export class ReconcileError extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    readonly reason: ReconcileReason,
    message: string,
  ) {
    super(message);
    this.name = 'ReconcileError';
  }
}

export interface ReconcileRequest {
  readonly artifact: Artifact;
  /** Whether changes in the plan may be applied this cycle. */
  readonly apply: boolean;
  /** Called with the plan before anything is applied, so drift is seen even when its correction fails. */
  readonly onPlan?: (plan: Plan) => void;
  /** Aborted when the controller stops: steps in flight finish, no new step starts. */
  readonly signal?: AbortSignal;
}

export interface ReconcileReport {
  /** The plan computed from live state at the start of the cycle. */
  readonly plan: Plan;
  /** Whether the plan's changes were applied (all steps succeeded). */
  readonly applied: boolean;
  /** Resources the fleet manages, by kind, after this cycle. */
  readonly managed: Readonly<Partial<Record<KindName, number>>>;
}

export type Reconcile = (request: ReconcileRequest) => Promise<ReconcileReport>;

export type DriftResolution = 'corrected' | 'superseded' | 'gone';

export interface DriftEntry {
  readonly kind: KindName;
  readonly name: string;
  readonly action: string;
  readonly fields: readonly FieldChange[];
  readonly revision: string;
  /** When first seen (ISO 8601). */
  readonly detectedAt: string;
  /** When it was resolved (ISO 8601). */
  resolvedAt?: string;
  /** corrected: healed by this controller; superseded: a new revision was applied over it; gone: changed back by someone else. */
  resolution?: DriftResolution;
}
