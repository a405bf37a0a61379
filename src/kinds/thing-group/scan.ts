// The shared bulk read behind ThingGroup and DynamicThingGroup (AWS lists both with one API).
// Cost per reader: ListThingGroups pages (largest, src/aws/paginate.ts), then one DescribeThingGroup (100 TPS) per
// group in scope: declared as this kind, or claimed by the ownership ledger under this kind
// (shared/ownership.ts). The describe gives the group's id, the identity the ledger records, and
// tells static from dynamic. Tags (ListTagsForResource, 10 TPS) are read only where the ledger does
// not prove ownership or the manifest declares tags. Groups declared as the other kind are left to
// that kind's reader; iotops's own inventory and ledger groups are never in scope.
import type { IotOutput } from '../../aws/iot-api.js';
import type { KindName } from '../../model/resource.js';
import type { ReadContext } from '../types.js';
import { inventoryGroupName } from '../../model/live.js';
import type { IotApi } from '../../aws/iot-api.js';
import { listAll } from '../../aws/paginate.js';
import { ledgerGroupName } from '../shared/ownership-ledger.js';
import { ownershipResolver } from '../shared/ownership.js';
import { mapLimit, READ_CONCURRENCY } from '../shared/concurrency.js';
import { unlessNotFound } from '../shared/aws-errors.js';
import type { Ownership } from '../../model/live.js';

export type GroupType = 'static' | 'dynamic';

export interface ScannedGroup {
  readonly name: string;
  readonly arn: string;
  readonly type: GroupType;
  readonly description: IotOutput<'DescribeThingGroup'>;
  readonly tags?: Record<string, string>;
  readonly identity?: string;
  readonly ownership: Ownership;
}

/** Groups in scope of the `kind` reader: declared as `kind` (any live type), or undeclared, of its type and managed. */
export async function scanGroups(ctx: ReadContext, kind: Extract<KindName, 'ThingGroup' | 'DynamicThingGroup'>): Promise<ScannedGroup[]> {
  const own: GroupType = kind === 'ThingGroup' ? 'static' : 'dynamic';
  const other: KindName = kind === 'ThingGroup' ? 'DynamicThingGroup' : 'ThingGroup';
  const declaredHere = new Set<string>();
  const declaredThere = new Set<string>();
  for (const r of ctx.desired.resources) {
    if (r.kind === kind) declaredHere.add(r.name);
    if (r.kind === other) declaredThere.add(r.name);
  }
  const ours = new Set([inventoryGroupName(ctx.fleetId), ledgerGroupName(ctx.fleetId)]);

  const listed = await listAll(ctx.api, 'ListThingGroups', {}, (page) => page.thingGroups);
  if (kind === 'ThingGroup') warmMembers(ctx, listed, declaredHere);
  const candidates = listed.filter(
    (g): g is { groupName: string; groupArn: string } =>
      !!g.groupName && !!g.groupArn && !ours.has(g.groupName) && !declaredThere.has(g.groupName),
  );
  // Without a ledger, every group is described (both readers' types come from one list) and only
  // the reader's own type has its tag read, so no group's tags are read twice.
  const owner = await ownershipResolver(ctx, kind, declaredHere, 'detail');

  const described = await mapLimit(candidates, READ_CONCURRENCY, async (g) => {
    if (!(await owner.covers(g.groupName, g.groupArn))) return undefined;
    // Deleted between the list and the describe: it is simply gone.
    const description = await unlessNotFound(() => ctx.api.send('DescribeThingGroup', { thingGroupName: g.groupName }));
    return description === undefined ? undefined : { g, description };
  });
  const relevant = described.filter(
    (d): d is NonNullable<typeof d> => !!d && (declaredHere.has(d.g.groupName) || groupType(d.description) === own),
  );

  const scanned = await mapLimit(relevant, READ_CONCURRENCY, async ({ g, description }): Promise<ScannedGroup | undefined> => {
    const owned = await owner.resolve(g.groupName, g.groupArn, description.thingGroupId);
    if (owned === undefined) return undefined;
    return { name: g.groupName, arn: g.groupArn, type: groupType(description), description, ...owned };
  });
  return scanned
    .filter((s): s is ScannedGroup => s !== undefined && (declaredHere.has(s.name) || s.ownership === 'managed'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The Thing reader asks every static group in scope for its members (ctx.groupMembers, memoized),
 * but only once this reader is done, i.e. after the slow tag reads. Asking now for the declared
 * groups the list shows to exist lets those ListThingsInThingGroup calls (25 TPS) overlap the tag
 * reads (10 TPS). Groups not listed yet (a first apply) are not asked: that would be a wasted call
 * each. A failure is left to the consumer, which gets the same memoized promise.
 */
function warmMembers(ctx: ReadContext, listed: readonly { readonly groupName?: string | undefined }[], declared: ReadonlySet<string>): void {
  for (const g of listed) {
    if (g.groupName !== undefined && declared.has(g.groupName)) ctx.groupMembers(g.groupName).catch(() => undefined);
  }
}

/** DescribeThingGroup returns a query only for dynamic groups. */
export function groupType(d: IotOutput<'DescribeThingGroup'>): GroupType {
  return d.queryString !== undefined && d.queryString !== null ? 'dynamic' : 'static';
}

/** The ownership ledger's identity of a thing group (static or dynamic): its id. */
export async function readGroupIdentity(api: IotApi, thingGroupName: string): Promise<string | undefined> {
  return (await unlessNotFound(() => api.send('DescribeThingGroup', { thingGroupName })))?.thingGroupId;
}

/** The ownership fields of a scanned group, for its LiveResource. */
export function ownedPart(g: ScannedGroup): { ownership: Ownership; tags?: Record<string, string>; identity?: string } {
  return { ownership: g.ownership, ...(g.tags ? { tags: g.tags } : {}), ...(g.identity !== undefined ? { identity: g.identity } : {}) };
}
