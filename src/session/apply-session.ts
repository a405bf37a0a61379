// The apply session: the one sequence every writer of a fleet runs, `iotops apply` and the
// controller alike, so a safety step added here protects both:
//   recover the journal → read live and plan → (the host decides: render, confirm, check a saved
//   plan) → record pending ledger entries → execute → reset the journal → sync the ledger.
// The host (CLI or controller) talks to the session through events and never repeats a step.
// Nothing here prints: hosts render what the events carry.
import type { IotApi } from '../aws/iot-api.js';
import type { KindRegistry } from '../kinds/registry.js';
import type { LiveState } from '../model/live.js';
import type { Plan } from '../model/plan.js';
import type { DesiredState } from '../model/resource.js';
import { hasChanges } from '../model/plan.js';
import { executePlan, type ApplyProgress, type ApplyResult, type StepResult } from '../apply/executor.js';
import { journalPath, openJournal } from '../apply/journal.js';
import { recordPendingCreates, syncOwnershipLedger } from '../apply/ownership.js';
import { recoverInterrupted, type RecoveryReport } from '../apply/recover.js';
import { planFleet, type PlanOverrides } from './plan-fleet.js';

export interface ApplySessionEvents {
  /** Interrupted steps of an earlier run were handed to their kinds (only when there were any). */
  readonly recovered?: (report: RecoveryReport) => void;
  /**
   * The fresh plan, before anything is written. Returns the plan to execute (this one, or a saved
   * plan the host checked against it), or undefined to stop here: declined, or a stale saved plan.
   */
  readonly planned?: (fresh: { readonly plan: Plan; readonly live: LiveState }) => Promise<Plan | undefined> | Plan | undefined;
  /** Right before the first write of the execution. */
  readonly applying?: (plan: Plan) => void;
  readonly step?: (step: StepResult, progress: ApplyProgress) => void;
  /**
   * The ownership ledger could not be written. It only speeds up later plans (every resource also
   * carries its tag), so this is a warning, never a failed apply.
   */
  readonly ledgerFailed?: (err: Error) => void;
}

export interface ApplySessionProps {
  readonly api: IotApi;
  readonly kinds: KindRegistry;
  readonly desired: DesiredState;
  readonly overrides?: PlanOverrides;
  /** Where generated private keys go (mode 0600), never inside the fleet. */
  readonly secretsDir: string;
  /** The local state directory (`.iotops`): the apply journal lives in it. */
  readonly stateDir: string;
  readonly now: () => number;
  /** false: plan only (a controller observing): no recovery, no ledger write, nothing executed. */
  readonly apply: boolean;
  readonly concurrency?: number;
  /** Aborting stops the execution at the next step boundary. */
  readonly signal?: AbortSignal;
  readonly events?: ApplySessionEvents;
}

export type ApplySessionOutcome =
  /** `apply: false`: the fresh plan, nothing written. */
  | { readonly status: 'planned'; readonly plan: Plan; readonly live: LiveState }
  /** The host's `planned` returned undefined: nothing written after recovery. */
  | { readonly status: 'stopped'; readonly plan: Plan; readonly live: LiveState }
  /** The plan had nothing runnable; the ledger was kept in step. */
  | { readonly status: 'in-sync'; readonly plan: Plan; readonly live: LiveState }
  /** The plan was executed; `result.ok` says whether every runnable step was applied. */
  | { readonly status: 'executed'; readonly plan: Plan; readonly live: LiveState; readonly result: ApplyResult };

export async function runApplySession(props: ApplySessionProps): Promise<ApplySessionOutcome> {
  const { api, kinds, desired, events = {} } = props;
  const fleetId = desired.config.fleetId;
  // First finish what a crashed run left half-done, so the plan sees it as ours.
  const journal = props.apply ? openJournal(journalPath(props.stateDir, fleetId)) : undefined;
  if (journal) {
    const recovery = await recoverInterrupted({ api, fleetId, kinds, journal, secretsDir: props.secretsDir, desired });
    if (recovery.interrupted > 0) events.recovered?.(recovery);
  }
  const fresh = await planFleet({ api, desired, kinds, overrides: props.overrides ?? {}, now: props.now() });
  const plan = await (events.planned ? events.planned(fresh) : fresh.plan);
  if (!journal) return { status: 'planned', ...fresh };
  if (plan === undefined) return { status: 'stopped', ...fresh };

  const ledger = { api, fleetId, kinds, live: fresh.live, plan };
  const keepLedger = async (write: () => Promise<unknown>): Promise<void> => {
    try {
      await write();
    } catch (err) {
      events.ledgerFailed?.(err instanceof Error ? err : new Error(String(err)));
    }
  };
  if (!hasChanges(plan)) {
    await keepLedger(() => syncOwnershipLedger(ledger));
    return { status: 'in-sync', plan, live: fresh.live };
  }

  events.applying?.(plan);
  await keepLedger(() => recordPendingCreates(ledger));
  const result = await executePlan({
    plan,
    kinds,
    // The journal rides along so a kind can journal the inside of a step (a generated certificate).
    ctx: { api, fleetId, secretsDir: props.secretsDir, now: props.now, journal },
    journal,
    ...(props.concurrency !== undefined ? { concurrency: props.concurrency } : {}),
    ...(props.signal ? { signal: props.signal } : {}),
    ...(events.step ? { onStep: events.step } : {}),
  });
  // Every create ended: nothing for a next run to recover. Otherwise the open entries stay.
  if (result.ok) journal.reset();
  await keepLedger(() => syncOwnershipLedger({ ...ledger, result }));
  return { status: 'executed', plan, live: fresh.live, result };
}
