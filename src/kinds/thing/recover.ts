// Finishing a Thing create that a crash interrupted (src/apply/journal.ts). The journal proves
// this apply was about to create the thing; the thing is taken as ours only if it also is exactly
// what that create would have made (same type and attributes) — anything else stays unmanaged and
// shows as an adopt. Completing the create means joining the inventory group, which is the
// ownership mark; the next plan then converges its groups like any managed thing.
import type { IotApi } from '../../aws/iot-api.js';
import { listAll } from '../../aws/paginate.js';
import type { InterruptedStep, KindRecovery, RecoveryContext } from '../types.js';
import { mapLimit } from '../shared/concurrency.js';
import type { ThingSpec } from './spec.js';
import { unlessNotFound } from '../shared/aws-errors.js';
import { addToInventory } from '../shared/inventory.js';
import { normMap, normString } from '../shared/diff.js';
import { inventoryGroupName } from '../../model/live.js';

export type ThingRecovery = 'absent' | 'already-managed' | 'recovered' | 'differs';

export async function recoverThingCreate(props: { readonly api: IotApi; readonly fleetId: string; readonly name: string; readonly spec: ThingSpec }): Promise<ThingRecovery> {
  const { api, fleetId, name, spec } = props;
  const live = await unlessNotFound(() => api.send('DescribeThing', { thingName: name }));
  if (live === undefined) return 'absent';
  // A thing belongs to at most 10 groups, so this is one call.
  const groups = await listAll(api, 'ListThingGroupsForThing', { thingName: name }, (page) => page.thingGroups);
  if (groups.some((g) => g.groupName === inventoryGroupName(fleetId))) return 'already-managed';
  const sameType = normString(live.thingTypeName) === normString(spec.type);
  const sameAttributes = JSON.stringify(normMap(live.attributes)) === JSON.stringify(normMap(spec.attributes));
  if (!sameType || !sameAttributes) return 'differs';
  await addToInventory(api, fleetId, name);
  return 'recovered';
}

const RECOVERY_CONCURRENCY = 8;

function specOf(step: InterruptedStep): ThingSpec | undefined {
  const d = step.desired as { spec?: unknown } | undefined;
  return d && typeof d === 'object' && d.spec && typeof d.spec === 'object' ? (d.spec as ThingSpec) : undefined;
}

/** Kind.recover of things: interrupted creates whose thing exists as the create would have made it join the inventory. */
export async function recoverThings(steps: readonly InterruptedStep[], ctx: RecoveryContext): Promise<KindRecovery> {
  const recovered: string[] = [];
  const differs: string[] = [];
  const creates = steps.flatMap((s) => {
    const spec = s.action === 'create' ? specOf(s) : undefined;
    return spec ? [{ name: s.name, spec }] : [];
  });
  await mapLimit(creates, RECOVERY_CONCURRENCY, async ({ name, spec }) => {
    const outcome = await recoverThingCreate({ api: ctx.api, fleetId: ctx.fleetId, name, spec });
    if (outcome === 'recovered') recovered.push(name);
    if (outcome === 'differs') differs.push(name);
  });
  recovered.sort();
  differs.sort();
  return {
    outcomes: { recovered, differs },
    notices: [
      ...(recovered.length > 0 ? [{ severity: 'info' as const, message: `${recovered.length} thing(s) it created are now marked as managed`, subjects: recovered }] : []),
      ...(differs.length > 0
        ? [{ severity: 'info' as const, message: `${differs.length} thing(s) exist but differ from what it was creating, so they are left unmanaged (adopt them with --adopt)`, subjects: differs }]
        : []),
    ],
  };
}
