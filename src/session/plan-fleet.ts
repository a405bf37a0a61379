// The read → diff step shared by `plan`, `apply` (fresh plan) and the controller: read the live
// state through the kinds, then build the plan. The flags of the command win over iotops.yaml.
import type { DesiredState } from '../model/resource.js';
import type { IotApi } from '../aws/iot-api.js';
import type { KindRegistry } from '../kinds/registry.js';
import type { Plan } from '../model/plan.js';
import { buildPlan, type PlanConfig } from '../plan/diff.js';
import { type LiveState } from '../model/live.js';
import { readLive } from '../live/read.js';

export interface PlanOverrides {
  readonly prune?: boolean;
  readonly adopt?: boolean;
  readonly maxDeletes?: number;
}

/** Flags over iotops.yaml over defaults. */
export function planConfig(desired: DesiredState, overrides: PlanOverrides = {}): PlanConfig {
  const c = desired.config;
  return {
    prune: overrides.prune ?? c.prune,
    adopt: overrides.adopt ?? c.adopt,
    ...(overrides.maxDeletes !== undefined ? { maxDeletes: overrides.maxDeletes } : c.maxDeletes !== undefined ? { maxDeletes: c.maxDeletes } : {}),
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
