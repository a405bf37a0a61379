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
  ctx.indexes?.groupMembers.delete(group.thingGroupName);
  onGroupMembershipChanged(ctx, group.thingGroupName, [thingName]);
  return true;
}

export function removeMember(ctx: OpContext, group: ThingGroupRecord, thingName: string): boolean {
  if (!group.members.delete(thingName)) return false;
  ctx.indexes?.groupMembers.delete(group.thingGroupName);
  return true;
}

/** Members of a group in ascending order, cached until the membership changes. */
export function sortedMembers(ctx: OpContext, group: ThingGroupRecord): readonly string[] {
  const cached = ctx.indexes?.groupMembers.get(group.thingGroupName);
  if (cached) return cached;
  const sorted = [...group.members].sort(compare);
  ctx.indexes?.groupMembers.set(group.thingGroupName, sorted);
  return sorted;
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
