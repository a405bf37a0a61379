// Keeping the ownership ledger (src/kinds/shared/ownership-ledger.ts) in step with what apply did.
// - Before the steps run, every create and replace of a taggable kind gets a *pending* entry, so a
//   crash after AWS created the resource still leaves it in the readers' scope (its tag proves it).
// - After the steps (and on an apply with nothing to change), the ledger is rewritten to exactly
//   the managed resources: those the plan read as managed (proven by the ledger or by their tag,
//   which is how a fleet from before the ledger, or a lost ledger, is recorded again), minus what
//   was deleted, plus what was created, replaced or adopted, with the identity AWS gave it (one
//   read per new or deleted resource: a thing type's delete only deprecates it in the first run,
//   and its entry must keep it in scope for the second). A create that did not complete stays pending.
// The ledger is only written when its content changes: a fleet in sync costs one read.
import { resourceKey } from '../model/resource.js';
import type { IotApi } from '../aws/iot-api.js';
import type { KindRegistry } from '../kinds/registry.js';
import type { LiveState } from '../model/live.js';
import type { Plan } from '../model/plan.js';
import { mapLimit, READ_CONCURRENCY } from '../kinds/shared/concurrency.js';
import { identityKey, nameKey, PENDING, updateOwnershipLedger, type LedgerKind } from '../kinds/shared/ownership-ledger.js';
import type { ApplyResult } from './executor.js';

/** Pending entries for the plan's runnable creates and replaces. Returns whether the ledger was written. */
/** The ledger records the kinds that say which identity to record: those with Kind.readIdentity. */
function isLedgerKind(kinds: KindRegistry, kind: LedgerKind): boolean {
  return kinds[kind]?.readIdentity !== undefined;
}

export async function recordPendingCreates(props: { readonly api: IotApi; readonly fleetId: string; readonly kinds: KindRegistry; readonly plan: Plan }): Promise<boolean> {
  const pending = props.plan.changes.flatMap((c) =>
    !c.blocked && (c.action === 'create' || c.action === 'replace') && isLedgerKind(props.kinds, c.kind) ? [nameKey(c.kind, c.name)] : [],
  );
  if (pending.length === 0) return false;
  return updateOwnershipLedger(props.api, props.fleetId, (current) => {
    const next = new Map(current);
    for (const key of pending) next.set(key, PENDING);
    return next;
  });
}

export interface LedgerSyncReport {
  readonly written: boolean;
  /** Entries now in the ledger. */
  readonly entries: number;
}

/** Rewrites the ledger after an apply (`result` undefined: nothing was executed). */
export async function syncOwnershipLedger(props: {
  readonly api: IotApi;
  readonly fleetId: string;
  readonly kinds: KindRegistry;
  readonly live: LiveState;
  readonly plan: Plan;
  readonly result?: ApplyResult;
}): Promise<LedgerSyncReport> {
  const { api, kinds } = props;
  const steps = new Map((props.result?.steps ?? []).map((s) => [resourceKey(s), s]));
  const applied = (key: string): boolean => steps.get(key)?.outcome === 'applied';
  const target = new Map<string, string>();

  for (const [kind, resources] of props.live) {
    if (!isLedgerKind(kinds, kind)) continue;
    for (const r of resources) {
      if (r.ownership === 'managed' && r.identity !== undefined) target.set(nameKey(kind, r.name), identityKey(r.identity));
    }
  }

  // Created or replaced: the new identity. Deleted: gone, or still there when AWS deletes in two
  // runs (a thing type is only deprecated first) and the entry must keep it in scope for run two.
  const reread: { kind: LedgerKind; name: string; key: string; deleted: boolean }[] = [];
  for (const c of props.plan.changes) {
    if (!isLedgerKind(props.kinds, c.kind)) continue;
    const key = nameKey(c.kind, c.name);
    const step = steps.get(resourceKey(c));
    if (c.action === 'delete' && applied(resourceKey(c))) reread.push({ kind: c.kind, name: c.name, key, deleted: true });
    if (c.action === 'adopt' && applied(resourceKey(c))) {
      const identity = props.live.get(c.kind)?.find((r) => r.name === c.name)?.identity;
      if (identity !== undefined) target.set(key, identityKey(identity));
    }
    if (c.action === 'create' || c.action === 'replace') {
      if (applied(resourceKey(c))) reread.push({ kind: c.kind, name: c.name, key, deleted: false });
      // Started or not, AWS may hold it (a retried create, a crash): keep it in scope.
      else if (step !== undefined && step.outcome !== 'blocked') target.set(key, PENDING);
    }
  }
  await mapLimit(reread, READ_CONCURRENCY, async ({ kind, name, key, deleted }) => {
    const identity = await kinds[kind]?.readIdentity?.(api, name);
    if (identity !== undefined) target.set(key, identityKey(identity));
    // Gone after a delete; after a create, an identity AWS did not give still keeps it in scope.
    else if (deleted) target.delete(key);
    else target.set(key, PENDING);
  });

  const written = await updateOwnershipLedger(api, props.fleetId, () => target);
  return { written, entries: target.size };
}
