// Thing ↔ group membership shared by static groups, dynamic groups and thing deletion. Every
// change goes through here so the sorted-member cache is invalidated and continuous jobs hear
// about things joining a group.
import type { OpContext } from './types.js';
import type { ThingGroupRecord } from '../state.js';
import { onGroupMembershipChanged } from './jobs.js';
import { compare } from '../indexes.js';

/** AWS: a thing can be in at most 10 thing groups, static and dynamic together. */
export const MAX_GROUPS_PER_THING = 10;

export function groupsOfThing(ctx: OpContext, thingName: string): ThingGroupRecord[] {
  const out: ThingGroupRecord[] = [];
  for (const g of ctx.state.thingGroups.values()) if (g.members.has(thingName)) out.push(g);
  return out;
}

export function addMember(ctx: OpContext, group: ThingGroupRecord, thingName: string): boolean {
  if (group.members.has(thingName)) return false;
  group.members.add(thingName);
  if (ctx.indexes) ctx.indexes.membershipVersion++;
  onGroupMembershipChanged(ctx, group.thingGroupName, [thingName]);
  return true;
}

export function removeMember(ctx: OpContext, group: ThingGroupRecord, thingName: string): boolean {
  if (!group.members.delete(thingName)) return false;
  if (ctx.indexes) ctx.indexes.membershipVersion++;
  return true;
}

/**
 * Members of a group in ascending order (with `recursive`, also the members of all descendant
 * groups), cached until any membership changes, so paging a 100,000-member group sorts once.
 */
export function sortedMembers(ctx: OpContext, group: ThingGroupRecord, recursive = false): readonly string[] {
  const key = recursive ? `${group.thingGroupName}\0r` : group.thingGroupName;
  const cached = ctx.indexes?.groupMembers.get(key);
  if (cached && cached.version === ctx.indexes?.membershipVersion) return cached.keys;
  let names: Iterable<string> = group.members;
  if (recursive) {
    const all = new Set(group.members);
    for (const d of descendants(ctx, group.thingGroupName)) for (const t of d.members) all.add(t);
    names = all;
  }
  const keys = [...names].sort(compare);
  if (ctx.indexes) ctx.indexes.groupMembers.set(key, { version: ctx.indexes.membershipVersion, keys });
  return keys;
}

/** The root of a static group's hierarchy (the group itself when it has no parent). */
export function rootOf(ctx: OpContext, group: ThingGroupRecord): string {
  let g = group;
  for (let guard = 0; g.parentGroupName && guard < 16; guard++) {
    const parent = ctx.state.thingGroups.get(g.parentGroupName);
    if (!parent) break;
    g = parent;
  }
  return g.thingGroupName;
}

/** Ancestors from the root down to the direct parent. */
export function ancestors(ctx: OpContext, group: ThingGroupRecord): ThingGroupRecord[] {
  const chain: ThingGroupRecord[] = [];
  let name = group.parentGroupName;
  for (let guard = 0; name && guard < 16; guard++) {
    const parent = ctx.state.thingGroups.get(name);
    if (!parent) break;
    chain.unshift(parent);
    name = parent.parentGroupName;
  }
  return chain;
}

/** All descendants of a static group (children, grandchildren, ...). */
export function descendants(ctx: OpContext, groupName: string): ThingGroupRecord[] {
  const children = new Map<string, ThingGroupRecord[]>();
  for (const g of ctx.state.thingGroups.values()) {
    if (!g.parentGroupName) continue;
    const list = children.get(g.parentGroupName) ?? [];
    list.push(g);
    children.set(g.parentGroupName, list);
  }
  const out: ThingGroupRecord[] = [];
  const queue = [...(children.get(groupName) ?? [])];
  while (queue.length > 0) {
    const g = queue.shift() as ThingGroupRecord;
    out.push(g);
    queue.push(...(children.get(g.thingGroupName) ?? []));
  }
  return out;
}
