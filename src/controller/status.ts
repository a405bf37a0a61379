// Controller status as Kubernetes-style conditions (Ready / Reconciling / Stalled) with stable
// reasons, plus revisions, the last plan summary and drift. Served as JSON on /status.
import type { PlanSummary } from '../model/plan.js';
import type { DriftEntry, ReconcileMode } from './types.js';

export type ConditionType = 'Ready' | 'Reconciling' | 'Stalled';

export interface Condition {
  readonly type: ConditionType;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
}

export interface SourceStatus {
  /** Where the fleet comes from, without credentials. */
  readonly description: string;
  /** The newest revision the source has seen (may be ahead of lastAppliedRevision). */
  readonly revision?: string;
  readonly lastCheckTime?: string;
  /** Set while the source cannot be read; the last revision stays in force meanwhile. */
  readonly error?: { readonly code: string; readonly message: string; readonly since: string };
}

export interface ControllerStatus {
  readonly mode: ReconcileMode;
  readonly source: SourceStatus;
  readonly conditions: readonly Condition[];
  readonly lastAppliedRevision?: string;
  readonly lastAttemptedRevision?: string;
  readonly lastReconcileTime?: string;
  readonly lastPlan?: { readonly revision: string; readonly summary: PlanSummary };
  readonly drift: { readonly active: readonly DriftEntry[]; readonly recent: readonly DriftEntry[] };
}

/** "3 to create, 1 to update" (or "no changes"), for logs and condition messages. */
export function describeSummary(summary: PlanSummary): string {
  const parts: string[] = [];
  for (const action of ['create', 'update', 'replace', 'delete', 'adopt'] as const) {
    if (summary[action] > 0) parts.push(`${summary[action]} to ${action}`);
  }
  if (summary.blocked > 0) parts.push(`${summary.blocked} blocked`);
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

export class StatusBook {
  private readonly conditions = new Map<ConditionType, Condition>();

  constructor(private readonly now: () => number) {
    for (const type of ['Ready', 'Reconciling', 'Stalled'] as const) {
      this.conditions.set(type, { type, status: 'Unknown', reason: 'Starting', message: 'no reconcile yet', lastTransitionTime: this.iso() });
    }
  }

  set(type: ConditionType, status: Condition['status'], reason: string, message: string): void {
    const prev = this.conditions.get(type);
    const changed = !prev || prev.status !== status;
    this.conditions.set(type, { type, status, reason, message, lastTransitionTime: changed ? this.iso() : prev.lastTransitionTime });
  }

  get(type: ConditionType): Condition {
    return this.conditions.get(type)!;
  }

  list(): Condition[] {
    return [...this.conditions.values()];
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }
}
