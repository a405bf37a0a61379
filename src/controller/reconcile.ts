// One controller cycle over an artifact: load and validate the fleet, then run the apply session
// (src/session/apply-session.ts, the same one `iotops apply` runs), applying only when the loop
// allows it. Failures are classified for the loop: invalid manifests stall (retrying the same
// revision cannot help), AWS trouble and failed steps are transient.
import { posix } from 'node:path';
import type { Logger } from 'pino';
import { AwsCallError } from '../aws/errors.js';
import type { IotApi } from '../aws/iot-api.js';
import type { KindRegistry } from '../kinds/registry.js';
import { loadFleet, type LoadLimits } from '../manifest/index.js';
import type { DesiredState, KindName } from '../model/resource.js';
import { isRefusal } from '../model/plan.js';
import type { PlanOverrides } from '../session/plan-fleet.js';
import { runApplySession } from '../session/apply-session.js';
import { ReconcileError, type Reconcile } from './types.js';

export interface ReconcilerProps {
  readonly api: IotApi;
  readonly kinds: KindRegistry;
  readonly logger: Logger;
  readonly overrides?: PlanOverrides;
  readonly secretsDir: string;
  /** Where the apply journal lives (`.iotops`), so a controller killed mid-apply recovers like `apply`. */
  readonly stateDir: string;
  readonly env?: string;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** Environment names manifests may read besides `IOTOPS_VAR_*` (operator's --allow-env). */
  readonly allowEnv?: readonly string[];
  /** The operator's size limits on the fleet (defaults: DEFAULT_LIMITS). */
  readonly limits?: Partial<LoadLimits>;
  readonly concurrency?: number;
  readonly now?: () => number;
  /**
   * Why this revision's iotops.yaml (target, region) does not fit the AWS target the controller
   * opened at start, or undefined. A mismatch stalls the revision: nothing is read or applied.
   */
  readonly checkTarget?: (config: DesiredState['config']) => string | undefined;
  /**
   * Why this revision's iotops.yaml fleetId is not the fleet the operator runs this controller for
   * (--fleet-id, IOTOPS_FLEET_ID), or undefined. The fleet id decides what counts as ours and may
   * be pruned, so a revision cannot switch it: a mismatch stalls it, nothing is read or applied.
   */
  readonly checkFleetId?: (config: DesiredState['config']) => string | undefined;
}

export function createReconciler(props: ReconcilerProps): Reconcile {
  const now = props.now ?? Date.now;
  return async ({ artifact, apply, onPlan, signal }) => {
    const loaded = await loadFleet({
      dir: artifact.dir,
      ...(props.env ? { env: props.env } : {}),
      processEnv: props.processEnv,
      ...(props.allowEnv ? { allowEnv: props.allowEnv } : {}),
      ...(props.limits ? { limits: props.limits } : {}),
    });
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (!loaded.state || errors.length > 0) {
      // Positions are given as repository paths (fleet/things/a.yaml) when the fleet is a git subfolder.
      const where = (d: (typeof errors)[number]): string => `${artifact.path ? posix.join(artifact.path, d.file) : d.file}:${d.line}:${d.column}`;
      const shown = errors.slice(0, 5).map((d) => `${where(d)}: ${d.code}: ${d.message}${d.path ? ` (at ${d.path})` : ''}`);
      const more = errors.length > 5 ? `; and ${errors.length - 5} more` : '';
      for (const d of errors) props.logger.error({ at: where(d), code: d.code, error: d.message }, 'invalid manifest');
      throw new ReconcileError('stalled', 'ValidationFailed', `${errors.length} invalid manifest error(s): ${shown.join('; ')}${more}`);
    }
    const desired = loaded.state;
    const mismatch = props.checkTarget?.(desired.config);
    if (mismatch) {
      props.logger.error({ revision: artifact.revision }, mismatch);
      throw new ReconcileError('stalled', 'TargetMismatch', mismatch);
    }
    const otherFleet = props.checkFleetId?.(desired.config);
    if (otherFleet) {
      props.logger.error({ revision: artifact.revision, fleetId: desired.config.fleetId }, otherFleet);
      throw new ReconcileError('stalled', 'FleetIdMismatch', otherFleet);
    }
    const managed: Partial<Record<KindName, number>> = {};
    for (const r of desired.resources) managed[r.kind] = (managed[r.kind] ?? 0) + 1;
    try {
      const outcome = await runApplySession({
        api: props.api,
        kinds: props.kinds,
        desired,
        ...(props.overrides ? { overrides: props.overrides } : {}),
        secretsDir: props.secretsDir,
        stateDir: props.stateDir,
        now,
        apply,
        ...(props.concurrency ? { concurrency: props.concurrency } : {}),
        ...(signal ? { signal } : {}),
        events: {
          recovered: (r) => {
            props.logger.warn({ interrupted: r.interrupted, notices: r.notices.map((n) => ({ severity: n.severity, message: n.message, subjects: n.subjects.length })) }, 'recovered creates an earlier run left half-done');
          },
          planned: ({ plan }) => {
            onPlan?.(plan);
            for (const c of plan.changes) {
              if (isRefusal(c.blocked)) {
                props.logger.warn({ kind: c.kind, name: c.name, code: c.blocked.code }, c.blocked.message);
              }
            }
            return plan;
          },
          step: (step) => {
            if (step.outcome === 'failed') props.logger.error({ kind: step.kind, name: step.name, action: step.action, error: step.error?.message }, 'step failed');
            else if (step.outcome === 'applied') props.logger.debug({ kind: step.kind, name: step.name, action: step.action }, 'step applied');
          },
          ledgerFailed: (err) => props.logger.warn({ error: err.message }, 'could not update the ownership ledger; the next plan reads tags instead'),
        },
      });
      const { plan } = outcome;
      if (outcome.status !== 'executed') return { plan, applied: false, managed };
      const { result } = outcome;
      if (!result.ok && signal?.aborted && !result.steps.some((s) => s.outcome === 'failed')) {
        const done = result.steps.filter((s) => s.outcome === 'applied').length;
        throw new ReconcileError('transient', 'Cancelled', `stopped after ${done} of ${result.steps.filter((s) => s.outcome !== 'blocked').length} steps; the next run continues from there`);
      }
      if (!result.ok) {
        const failed = result.steps.filter((s) => s.outcome === 'failed');
        const skipped = result.steps.filter((s) => s.outcome === 'skipped');
        const first = failed[0] ?? skipped[0];
        throw new ReconcileError(
          'transient',
          'ApplyFailed',
          `${failed.length} step(s) failed, ${skipped.length} skipped${first ? `; first: ${first.kind}/${first.name}: ${first.error?.message ?? `waits for ${first.skippedBecause}`}` : ''}`,
        );
      }
      return { plan, applied: true, managed };
    } catch (err) {
      if (err instanceof ReconcileError) throw err;
      if (err instanceof AwsCallError) throw new ReconcileError('transient', 'AwsUnavailable', err.message);
      throw new ReconcileError('transient', 'PlanFailed', err instanceof Error ? err.message : String(err));
    }
  };
}
