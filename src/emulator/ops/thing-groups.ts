// Static thing groups and the operations shared with dynamic groups (Describe, List*, Update).
// Hierarchy rules: the parent is fixed at creation, depth ≤ 7, ≤ 100 direct children, no delete
// while children exist, a thing is in at most one group per hierarchy and at most 10 groups.
import { onThingGroupDeleted } from './principals.js';
import { randomUUID } from 'node:crypto';
import { arn, type ThingGroupRecord } from '../state.js';
import { errors, type OpContext, type OpInput, type OpTable } from './types.js';
import { REGISTRY_MAX, pageFromSorted, pageSize } from './paging.js';
import { compare } from '../indexes.js';
import { setTagsOnCreate, dropTags } from './tags.js';
import { getThing } from './things.js';
import {
  MAX_GROUPS_PER_THING,
  addMember,
  ancestors,
  descendants,
  groupsOfThing,
  removeMember,
  rootOf,
  sortedMembers,
} from './membership.js';
import {
  applyAttributes,
  attributeMap,
  attributePayload,
  nameFromArn,
  optionalNumber,
  optionalString,
  requireString,
  resourceName,
  sameAttributes,
} from './validate.js';

const MAX_DEPTH = 7;
const MAX_CHILDREN = 100;
const MAX_GROUP_ATTRIBUTES = 50;

export function getGroup(ctx: OpContext, name: string): ThingGroupRecord {
  const g = ctx.state.thingGroups.get(name);
  if (!g) throw errors.notFound(`Thing group ${name} cannot be found.`);
  return g;
}

export interface GroupProps {
  readonly description?: string;
  readonly attributes: Record<string, string>;
}

export function readGroupProps(value: unknown): GroupProps {
  const p = (value ?? {}) as { thingGroupDescription?: unknown; attributePayload?: { attributes?: unknown } };
  if (p.thingGroupDescription !== undefined && (typeof p.thingGroupDescription !== 'string' || p.thingGroupDescription.length > 2028)) {
    throw errors.invalidRequest('thingGroupDescription must be a string of at most 2028 characters');
  }
  const attributes = attributeMap(p.attributePayload?.attributes);
  if (Object.keys(attributes).length > MAX_GROUP_ATTRIBUTES) throw errors.invalidRequest(`A thing group can have at most ${MAX_GROUP_ATTRIBUTES} attributes`);
  return { description: p.thingGroupDescription as string | undefined, attributes };
}

export function newGroupRecord(ctx: OpContext, name: string, props: GroupProps, parentGroupName?: string): ThingGroupRecord {
  return {
    thingGroupName: name,
    thingGroupId: randomUUID(),
    thingGroupArn: arn(ctx.state, `thinggroup/${name}`),
    parentGroupName,
    description: props.description,
    attributes: props.attributes,
    version: 1,
    creationDate: ctx.now(),
    members: new Set(),
  };
}

function createThingGroup(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const name = resourceName(requireString(input, 'thingGroupName'), 'Thing group');
  const parentGroupName = optionalString(input, 'parentGroupName');
  const props = readGroupProps(input.thingGroupProperties);
  const existing = state.thingGroups.get(name);
  if (existing) {
    const same =
      !existing.dynamic &&
      existing.parentGroupName === parentGroupName &&
      existing.description === props.description &&
      sameAttributes(existing.attributes, props.attributes);
    if (!same) throw errors.alreadyExists(`Thing group ${name} already exists with different properties`, existing.thingGroupId, existing.thingGroupArn);
    return { thingGroupName: name, thingGroupArn: existing.thingGroupArn, thingGroupId: existing.thingGroupId };
  }
  if (parentGroupName !== undefined) {
    const parent = getGroup(ctx, parentGroupName);
    if (parent.dynamic) throw errors.invalidRequest('A dynamic thing group cannot be a parent group');
    if (ancestors(ctx, parent).length + 2 > MAX_DEPTH) throw errors.invalidRequest(`Thing group hierarchies can be at most ${MAX_DEPTH} levels deep`);
    let children = 0;
    for (const g of state.thingGroups.values()) if (g.parentGroupName === parentGroupName) children++;
    if (children >= MAX_CHILDREN) throw errors.limitExceeded(`Thing group ${parentGroupName} already has ${MAX_CHILDREN} child groups`);
  }
  const record = newGroupRecord(ctx, name, props, parentGroupName);
  setTagsOnCreate(ctx, record.thingGroupArn, input.tags);
  state.thingGroups.set(name, record);
  return { thingGroupName: name, thingGroupArn: record.thingGroupArn, thingGroupId: record.thingGroupId };
}

function describeThingGroup(input: OpInput, ctx: OpContext) {
  const g = getGroup(ctx, requireString(input, 'thingGroupName'));
  return {
    thingGroupName: g.thingGroupName,
    thingGroupId: g.thingGroupId,
    thingGroupArn: g.thingGroupArn,
    version: g.version,
    thingGroupProperties: { thingGroupDescription: g.description, attributePayload: { attributes: g.attributes } },
    thingGroupMetadata: {
      parentGroupName: g.parentGroupName,
      rootToParentThingGroups: g.parentGroupName ? ancestors(ctx, g).map((a) => ({ groupName: a.thingGroupName, groupArn: a.thingGroupArn })) : undefined,
      creationDate: g.creationDate,
    },
    indexName: g.dynamic?.indexName,
    queryString: g.dynamic?.queryString,
    queryVersion: g.dynamic?.queryVersion,
    status: g.dynamic?.status,
  };
}

export function checkExpectedVersion(g: ThingGroupRecord, input: OpInput): void {
  const expected = optionalNumber(input, 'expectedVersion');
  if (expected !== undefined && expected !== g.version) {
    throw errors.versionConflict(`The version for thing group ${g.thingGroupName} does not match the expected version.`);
  }
}

/** Applies thingGroupProperties (description, attributes with merge semantics); shared with dynamic groups. */
export function applyGroupProps(g: ThingGroupRecord, value: unknown): void {
  const p = (value ?? {}) as { thingGroupDescription?: unknown; attributePayload?: unknown };
  if (p.thingGroupDescription !== undefined) g.description = readGroupProps({ thingGroupDescription: p.thingGroupDescription }).description;
  const payload = attributePayload(p.attributePayload);
  if (payload) {
    const next = applyAttributes(g.attributes, payload);
    if (Object.keys(next).length > MAX_GROUP_ATTRIBUTES) throw errors.invalidRequest(`A thing group can have at most ${MAX_GROUP_ATTRIBUTES} attributes`);
    g.attributes = next;
  }
}

function updateThingGroup(input: OpInput, ctx: OpContext) {
  const g = getGroup(ctx, requireString(input, 'thingGroupName'));
  checkExpectedVersion(g, input);
  applyGroupProps(g, input.thingGroupProperties);
  g.version += 1;
  return { version: g.version };
}

function deleteThingGroup(input: OpInput, ctx: OpContext) {
  const name = requireString(input, 'thingGroupName');
  const g = ctx.state.thingGroups.get(name);
  if (!g) return {};
  if (g.dynamic) throw errors.invalidRequest(`Thing group ${name} is a dynamic thing group; use DeleteDynamicThingGroup`);
  checkExpectedVersion(g, input);
  for (const other of ctx.state.thingGroups.values()) {
    if (other.parentGroupName === name) throw errors.invalidRequest(`Cannot delete thing group ${name} when there are still child groups attached to it`);
  }
  const members = [...g.members];
  for (const t of members) removeMember(ctx, g, t);
  ctx.state.thingGroups.delete(name);
  dropTags(ctx, g.thingGroupArn);
  // The ARN of a re-created group is the same, so its policy attachments must go now.
  onThingGroupDeleted(ctx, g.thingGroupArn);
  if (members.length > 0) ctx.onThingsChanged(members);
  return {};
}

function listThingGroups(input: OpInput, ctx: OpContext) {
  const size = pageSize(input.maxResults, REGISTRY_MAX);
  const parent = optionalString(input, 'parentGroup');
  const prefix = optionalString(input, 'namePrefixFilter');
  const recursive = input.recursive as boolean | undefined;
  let candidates: ThingGroupRecord[];
  if (parent !== undefined) {
    getGroup(ctx, parent);
    candidates = recursive === true ? descendants(ctx, parent) : [...ctx.state.thingGroups.values()].filter((g) => g.parentGroupName === parent);
  } else {
    candidates = recursive === false ? [...ctx.state.thingGroups.values()].filter((g) => !g.parentGroupName) : [...ctx.state.thingGroups.values()];
  }
  const byName = new Map(candidates.map((g) => [g.thingGroupName, g]));
  const keys = [...byName.keys()].sort(compare);
  const page = pageFromSorted('thing-groups', keys, { nextToken: input.nextToken, size }, (name) => {
    if (prefix !== undefined && !name.startsWith(prefix)) return undefined;
    const g = byName.get(name) as ThingGroupRecord;
    return { groupName: g.thingGroupName, groupArn: g.thingGroupArn };
  });
  return { thingGroups: page.items, nextToken: page.nextToken };
}

function resolveGroupName(input: OpInput): string {
  const name = optionalString(input, 'thingGroupName');
  if (name) return name;
  const fromArn = optionalString(input, 'thingGroupArn');
  const parsed = fromArn ? nameFromArn(fromArn, 'thinggroup') : undefined;
  if (!parsed) throw errors.invalidRequest('thingGroupName or thingGroupArn is required');
  return parsed;
}

function resolveThingName(input: OpInput): string {
  const name = optionalString(input, 'thingName');
  if (name) return name;
  const fromArn = optionalString(input, 'thingArn');
  const parsed = fromArn ? nameFromArn(fromArn, 'thing') : undefined;
  if (!parsed) throw errors.invalidRequest('thingName or thingArn is required');
  return parsed;
}

/** Adds a thing to a static group with AWS's checks; returns false when it was already a member. */
function addToStaticGroup(ctx: OpContext, group: ThingGroupRecord, thingName: string, overrideDynamicGroups: boolean): boolean {
  if (group.dynamic) throw errors.invalidRequest(`Cannot add things to dynamic thing group ${group.thingGroupName} manually`);
  if (group.members.has(thingName)) return false;
  const current = groupsOfThing(ctx, thingName);
  const root = rootOf(ctx, group);
  const clash = current.find((g) => !g.dynamic && rootOf(ctx, g) === root);
  if (clash) {
    throw errors.invalidRequest(`Thing ${thingName} is already in thing group ${clash.thingGroupName}, which is in the same hierarchy as ${group.thingGroupName}`);
  }
  if (current.length >= MAX_GROUPS_PER_THING) {
    const dynamics = current.filter((g) => g.dynamic).sort((a, b) => a.creationDate - b.creationDate);
    const evict = overrideDynamicGroups ? dynamics.at(-1) : undefined;
    if (!evict) throw errors.invalidRequest(`Thing ${thingName} is already in ${MAX_GROUPS_PER_THING} thing groups, the maximum`);
    removeMember(ctx, evict, thingName);
  }
  return addMember(ctx, group, thingName);
}

function addThingToThingGroup(input: OpInput, ctx: OpContext) {
  const group = getGroup(ctx, resolveGroupName(input));
  const thing = getThing(ctx.state, resolveThingName(input));
  if (addToStaticGroup(ctx, group, thing.thingName, input.overrideDynamicGroups === true)) ctx.onThingsChanged([thing.thingName]);
  return {};
}

function removeThingFromThingGroup(input: OpInput, ctx: OpContext) {
  const group = getGroup(ctx, resolveGroupName(input));
  const thing = getThing(ctx.state, resolveThingName(input));
  if (group.dynamic) throw errors.invalidRequest(`Cannot remove things from dynamic thing group ${group.thingGroupName} manually`);
  if (removeMember(ctx, group, thing.thingName)) ctx.onThingsChanged([thing.thingName]);
  return {};
}

function updateThingGroupsForThing(input: OpInput, ctx: OpContext) {
  const thing = getThing(ctx.state, requireString(input, 'thingName'));
  const toAdd = (input.thingGroupsToAdd ?? []) as unknown[];
  const toRemove = (input.thingGroupsToRemove ?? []) as unknown[];
  if (!Array.isArray(toAdd) || !Array.isArray(toRemove)) throw errors.invalidRequest('thingGroupsToAdd and thingGroupsToRemove must be lists');
  const adds = toAdd.map((n) => getGroup(ctx, String(n)));
  const removes = toRemove.map((n) => getGroup(ctx, String(n)));
  for (const g of [...adds, ...removes]) {
    if (g.dynamic) throw errors.invalidRequest(`Cannot change membership of dynamic thing group ${g.thingGroupName} manually`);
  }
  let changed = false;
  for (const g of removes) changed = removeMember(ctx, g, thing.thingName) || changed;
  for (const g of adds) changed = addToStaticGroup(ctx, g, thing.thingName, input.overrideDynamicGroups === true) || changed;
  if (changed) ctx.onThingsChanged([thing.thingName]);
  return {};
}

function listThingsInThingGroup(input: OpInput, ctx: OpContext) {
  const size = pageSize(input.maxResults, REGISTRY_MAX);
  const group = getGroup(ctx, requireString(input, 'thingGroupName'));
  const keys = sortedMembers(ctx, group, input.recursive === true && !group.dynamic);
  const page = pageFromSorted('group-things', keys, { nextToken: input.nextToken, size }, (t) => t);
  return { things: page.items, nextToken: page.nextToken };
}

function listThingGroupsForThing(input: OpInput, ctx: OpContext) {
  const size = pageSize(input.maxResults, REGISTRY_MAX);
  const thing = getThing(ctx.state, requireString(input, 'thingName'));
  const groups = new Map(groupsOfThing(ctx, thing.thingName).map((g) => [g.thingGroupName, g]));
  const keys = [...groups.keys()].sort(compare);
  const page = pageFromSorted('thing-groups-for-thing', keys, { nextToken: input.nextToken, size }, (name) => {
    const g = groups.get(name) as ThingGroupRecord;
    return { groupName: g.thingGroupName, groupArn: g.thingGroupArn };
  });
  return { thingGroups: page.items, nextToken: page.nextToken };
}

export const thingGroupOps: OpTable = {
  CreateThingGroup: createThingGroup,
  DescribeThingGroup: describeThingGroup,
  UpdateThingGroup: updateThingGroup,
  DeleteThingGroup: deleteThingGroup,
  ListThingGroups: listThingGroups,
  AddThingToThingGroup: addThingToThingGroup,
  RemoveThingFromThingGroup: removeThingFromThingGroup,
  UpdateThingGroupsForThing: updateThingGroupsForThing,
  ListThingsInThingGroup: listThingsInThingGroup,
  ListThingGroupsForThing: listThingGroupsForThing,
};
