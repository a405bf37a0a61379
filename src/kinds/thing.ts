// Thing: one ListThings pass over the account (largest pages: name, type, attributes, version),
// filtered to the things in scope — declared in the fleet, or members of the fleet's inventory
// group (the ownership proof, since things cannot be tagged). Static-group membership comes from
// ctx.groupMembers for each static group in scope (never ListThingGroupsForThing per thing);
// groups outside the fleet's scope are neither reported nor touched.
import type { FieldChange } from '../model/plan.js';
import type { Comparison, Kind, ReadContext } from './types.js';
import type { LiveResource } from '../model/live.js';
import { INVENTORY_GROUP_PREFIX, inventoryFleetId, inventoryGroupName } from '../model/live.js';
import { listAll } from '../aws/paginate.js';
import { mapLimit, READ_CONCURRENCY } from './shared/concurrency.js';
import { unlessNotFound } from './shared/aws-errors.js';
import { mapFields, normMap, normSet, normString, optional, setField, stringField } from './shared/diff.js';
import { applyThing } from './thing/apply.js';
import { recoverThings } from './thing/recover.js';
import { thingManifest } from './thing/manifest.js';

export interface ThingLive {
  readonly arn: string;
  readonly type?: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Static groups in the fleet's scope that contain the thing (sorted; the inventory group excluded). */
  readonly groups: readonly string[];
  /** Registry version, sent back as expectedVersion on UpdateThing/DeleteThing. */
  readonly version: number;
}

export const thingKind: Kind<'Thing', ThingLive> = {
  kind: 'Thing',
  manifest: thingManifest,
  taggable: false,

  async read(ctx) {
    const declared = new Set<string>();
    for (const r of ctx.desired.resources) if (r.kind === 'Thing') declared.add(r.name);
    const [inventory, memberships, things] = await Promise.all([
      members(ctx, inventoryGroupName(ctx.fleetId)),
      staticMemberships(ctx),
      listAll(ctx.api, 'ListThings', {}, (page) => page.things),
    ]);
    const out: LiveResource<'Thing', ThingLive>[] = [];
    const adoptable = things.some((t) => t.thingName && declared.has(t.thingName) && !inventory.has(t.thingName));
    const otherFleets = adoptable ? await otherInventories(ctx) : new Map<string, string>();
    for (const t of things) {
      const name = t.thingName;
      if (!name || !(declared.has(name) || inventory.has(name))) continue;
      const ownedBy = inventory.has(name) ? undefined : otherFleets.get(name);
      out.push({
        kind: 'Thing',
        name,
        ownership: inventory.has(name) ? 'managed' : 'unmanaged',
        ...(ownedBy !== undefined ? { ownedBy } : {}),
        tags: {},
        state: {
          arn: t.thingArn ?? '',
          ...optional('type', normString(t.thingTypeName)),
          attributes: normMap(t.attributes),
          groups: memberships.get(name) ?? [],
          version: t.version ?? 0,
        },
      });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  },

  references: [
    { path: ['type'], to: ['ThingType'], checkedByKind: true },
    { path: ['groups'], to: ['ThingGroup'], checkedByKind: true },
  ],

  compare(desired, live): Comparison {
    const fields: FieldChange[] = [
      ...stringField('type', desired.spec.type, live.state.type),
      ...mapFields('attributes', desired.spec.attributes, live.state.attributes),
      ...setField('groups', desired.spec.groups, live.state.groups),
    ];
    return { fields };
  },
  apply: applyThing,
  recover: recoverThings,
};

/** Thing name → sorted static groups in scope containing it. */
async function staticMemberships(ctx: ReadContext): Promise<Map<string, string[]>> {
  const groups = (await ctx.live('ThingGroup')).filter((g) => !(g.state as { dynamic?: boolean }).dynamic).map((g) => g.name);
  const sets = await mapLimit(groups, READ_CONCURRENCY, async (g) => ({ g, members: await members(ctx, g) }));
  const byThing = new Map<string, string[]>();
  for (const { g, members: names } of sets) {
    for (const thing of names) {
      const list = byThing.get(thing);
      if (list) list.push(g);
      else byThing.set(thing, [g]);
    }
  }
  for (const list of byThing.values()) list.sort();
  return byThing;
}

/**
 * Thing name → the other fleet whose inventory group holds it. Read only when the fleet names a
 * thing it does not manage (an adopt candidate): one ListThingGroups by prefix, then the members
 * of each other fleet's inventory group.
 */
async function otherInventories(ctx: ReadContext): Promise<Map<string, string>> {
  const groups = await listAll(ctx.api, 'ListThingGroups', { namePrefixFilter: INVENTORY_GROUP_PREFIX }, (page) => page.thingGroups);
  const others = groups.map((g) => g.groupName ?? '').filter((g) => inventoryFleetId(g) !== undefined && g !== inventoryGroupName(ctx.fleetId)).sort();
  const sets = await mapLimit(others, READ_CONCURRENCY, async (g) => ({ fleet: inventoryFleetId(g)!, members: await members(ctx, g) }));
  const byThing = new Map<string, string>();
  for (const { fleet, members: names } of sets) for (const thing of names) if (!byThing.has(thing)) byThing.set(thing, fleet);
  return byThing;
}

/** A missing group (e.g. the inventory group before the first apply) has no members. */
async function members(ctx: ReadContext, group: string): Promise<ReadonlySet<string>> {
  return (await unlessNotFound(() => ctx.groupMembers(group))) ?? new Set();
}
