// The read → diff step shared by `plan`, `apply` (fresh plan) and the controller: read the live
// state through the kinds, then build the plan. The operator's flags set the guards; the fleet's
// iotops.yaml, which anyone who can open a pull request may change, can only narrow them.
import type { DesiredState } from '../model/resource.js';
import type { IotApi } from '../aws/iot-api.js';
import type { KindRegistry } from '../kinds/registry.js';
import type { Plan } from '../model/plan.js';
import { buildPlan, DEFAULT_MAX_DELETES, type PlanConfig } from '../plan/diff.js';
import { type LiveState } from '../model/live.js';
import { readLive } from '../live/read.js';

/** The operator's settings (command flags, the controller's flags and environment). */
export interface PlanOverrides {
  readonly prune?: boolean;
  readonly adopt?: boolean;
  readonly maxDeletes?: number;
  /** Fleet ids whose resources (by their `iotops:managed-by` tag) may be adopted. */
  readonly adoptFrom?: readonly string[];
}

/**
 * The operator's flags are the ceiling, iotops.yaml may only lower it: prune and adopt need the
 * flag (and `prune: false` / `adopt: false` in iotops.yaml forbid them even then); the delete limit
 * is the smaller of --max-deletes (default 25) and `maxDeletes:`.
 */
export function planConfig(desired: DesiredState, overrides: PlanOverrides = {}): PlanConfig {
  const c = desired.config;
  const maxDeletes = Math.min(overrides.maxDeletes ?? DEFAULT_MAX_DELETES, c.maxDeletes ?? Number.POSITIVE_INFINITY);
  return {
    prune: overrides.prune === true && c.prune !== false,
    adopt: overrides.adopt === true && c.adopt !== false,
    maxDeletes,
    ...(overrides.adoptFrom && overrides.adoptFrom.length > 0 ? { adoptFrom: overrides.adoptFrom } : {}),
    ...(c.prune === false || c.adopt === false
      ? { forbiddenByFleet: [...(c.prune === false ? (['prune'] as const) : []), ...(c.adopt === false ? (['adopt'] as const) : [])] }
      : {}),
    fleetId: c.fleetId,
    ignore: c.ignore,
  };
}

export async function planFleet(props: {
  readonly api: IotApi;
  readonly desired: DesiredState;
  readonly kinds: KindRegistry;
  readonly overrides?: PlanOverrides;
  readonly now: number;
}): Promise<{ readonly plan: Plan; readonly live: LiveState }> {
  const config = planConfig(props.desired, props.overrides);
  const live = await readLive({ api: props.api, desired: props.desired, fleetId: config.fleetId, kinds: props.kinds });
  const plan = buildPlan({ desired: props.desired, live, config, now: props.now, kinds: props.kinds });
  return { plan, live };
}
