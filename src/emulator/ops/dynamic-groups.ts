// Dynamic thing groups: membership is whatever the fleet-indexing query matches, recomputed for
// the whole fleet when a group is created or its query changes, and per thing whenever a thing or
// its static groups change (OpContext.onThingsChanged → reevaluateDynamicGroups).
// Evaluation is synchronous, so groups are ACTIVE at once (AWS goes BUILDING → ACTIVE).
// At the 10-group cap older dynamic groups win; a thing that does not fit is left out, as AWS does.
import { parseQuery, QueryError, matchesQuery, type Query, type ThingDocument } from '../query/index.js';
import type { ThingGroupRecord, ThingRecord } from '../state.js';
import { errors, type OpContext, type OpInput, type OpTable } from './types.js';
import { MAX_GROUPS_PER_THING, addMember, groupsOfThing, removeMember } from './membership.js';
import { setTagsOnCreate, dropTags } from './tags.js';
import { applyGroupProps, checkExpectedVersion, getGroup, newGroupRecord, readGroupProps } from './thing-groups.js';
import { optionalString, requireString, resourceName } from './validate.js';

const MAX_DYNAMIC_GROUPS = 100;
const QUERY_VERSION = '2017-09-30';
const THINGS_INDEX = 'AWS_Things';

export function parseOrThrow(text: string): Query {
  try {
    return parseQuery(text);
  } catch (err) {
    if (err instanceof QueryError) throw errors.invalidQuery(err.message);
    throw err;
  }
}

/** The index document of a thing. Dynamic groups are left out of thingGroupNames when evaluating dynamic groups, so groups never depend on each other. */
export function thingDocument(ctx: OpContext, thing: ThingRecord, includeDynamic: boolean): ThingDocument {
  const groups = groupsOfThing(ctx, thing.thingName).filter((g) => includeDynamic || !g.dynamic);
  return {
    thingName: thing.thingName,
    thingId: thing.thingId,
    thingTypeName: thing.thingTypeName,
    thingGroupNames: groups.map((g) => g.thingGroupName),
    attributes: thing.attributes,
  };
}

function compiled(ctx: OpContext, group: ThingGroupRecord): Query {
  const text = group.dynamic?.queryString ?? '';
  const cached = ctx.indexes?.queries.get(group.thingGroupName);
  if (cached && cached.text === text) return cached;
  const q = parseOrThrow(text);
  ctx.indexes?.queries.set(group.thingGroupName, q);
  return q;
}

function dynamicGroupsOldestFirst(ctx: OpContext): ThingGroupRecord[] {
  return [...ctx.state.thingGroups.values()].filter((g) => g.dynamic).sort((a, b) => a.creationDate - b.creationDate || (a.thingGroupName < b.thingGroupName ? -1 : 1));
}

/** What evaluation needs to know about a thing's current groups. */
interface GroupView {
  staticNames: readonly string[];
  total: number;
}

function groupView(ctx: OpContext, thingName: string): GroupView {
  const groups = groupsOfThing(ctx, thingName);
  return { staticNames: groups.filter((g) => !g.dynamic).map((g) => g.thingGroupName), total: groups.length };
}

function evaluate(ctx: OpContext, group: ThingGroupRecord, query: Query, thing: ThingRecord, view: GroupView): void {
  const doc: ThingDocument = {
    thingName: thing.thingName,
    thingId: thing.thingId,
    thingTypeName: thing.thingTypeName,
    thingGroupNames: view.staticNames,
    attributes: thing.attributes,
  };
  if (!matchesQuery(query, doc)) {
    if (removeMember(ctx, group, thing.thingName)) view.total--;
    return;
  }
  if (group.members.has(thing.thingName)) return;
  if (view.total >= MAX_GROUPS_PER_THING) return;
  if (addMember(ctx, group, thing.thingName)) view.total++;
}

/** Re-evaluates every dynamic group for the given things (deleted things are ignored). */
export function reevaluateDynamicGroups(ctx: OpContext, thingNames: Iterable<string>): void {
  const groups = dynamicGroupsOldestFirst(ctx);
  if (groups.length === 0) return;
  for (const name of thingNames) {
    const thing = ctx.state.things.get(name);
    if (!thing) continue;
    const view = groupView(ctx, name);
    for (const g of groups) evaluate(ctx, g, compiled(ctx, g), thing, view);
  }
}

/** Evaluates one group over the whole fleet, gathering every thing's groups in one pass over the groups. */
function rebuild(ctx: OpContext, group: ThingGroupRecord): void {
  const query = compiled(ctx, group);
  const views = new Map<string, GroupView>();
  for (const g of ctx.state.thingGroups.values()) {
    for (const t of g.members) {
      let v = views.get(t);
      if (!v) views.set(t, (v = { staticNames: [], total: 0 }));
      if (!g.dynamic) (v.staticNames as string[]).push(g.thingGroupName);
      v.total++;
    }
  }
  const empty = (): GroupView => ({ staticNames: [], total: 0 });
  for (const thing of ctx.state.things.values()) evaluate(ctx, group, query, thing, views.get(thing.thingName) ?? empty());
}

function requireIndexing(ctx: OpContext): void {
  if (ctx.state.indexing.thingIndexingMode === 'OFF') {
    throw errors.invalidRequest('Fleet indexing must be enabled (thingIndexingMode REGISTRY or REGISTRY_AND_SHADOW) to use dynamic thing groups');
  }
}

function readQuery(input: OpInput): { queryString: string; queryVersion: string; indexName: string } {
  const queryString = requireString(input, 'queryString');
  const queryVersion = optionalString(input, 'queryVersion') ?? QUERY_VERSION;
  const indexName = optionalString(input, 'indexName') ?? THINGS_INDEX;
  if (queryVersion !== QUERY_VERSION) throw errors.invalidRequest(`Unsupported queryVersion ${queryVersion}; only ${QUERY_VERSION} is supported`);
  if (indexName !== THINGS_INDEX) throw errors.invalidRequest(`Dynamic thing groups can only use the ${THINGS_INDEX} index`);
  parseOrThrow(queryString);
  return { queryString, queryVersion, indexName };
}

function createDynamicThingGroup(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const name = resourceName(requireString(input, 'thingGroupName'), 'Thing group');
  requireIndexing(ctx);
  const q = readQuery(input);
  const props = readGroupProps(input.thingGroupProperties);
  const existing = state.thingGroups.get(name);
  const out = (g: ThingGroupRecord) => ({ thingGroupName: name, thingGroupArn: g.thingGroupArn, thingGroupId: g.thingGroupId, ...q });
  if (existing) {
    const same =
      existing.dynamic?.queryString === q.queryString &&
      existing.description === props.description &&
      JSON.stringify(existing.attributes) === JSON.stringify(props.attributes);
    if (!same) throw errors.alreadyExists(`Thing group ${name} already exists with different properties`, existing.thingGroupId, existing.thingGroupArn);
    return out(existing);
  }
  let count = 0;
  for (const g of state.thingGroups.values()) if (g.dynamic) count++;
  if (count >= MAX_DYNAMIC_GROUPS) throw errors.limitExceeded(`An account can have at most ${MAX_DYNAMIC_GROUPS} dynamic thing groups`);
  const record: ThingGroupRecord = { ...newGroupRecord(ctx, name, props), dynamic: { ...q, status: 'ACTIVE' } };
  setTagsOnCreate(ctx, record.thingGroupArn, input.tags);
  state.thingGroups.set(name, record);
  rebuild(ctx, record);
  return out(record);
}

function getDynamic(ctx: OpContext, name: string): ThingGroupRecord {
  const g = getGroup(ctx, name);
  if (!g.dynamic) throw errors.invalidRequest(`Thing group ${name} is not a dynamic thing group`);
  return g;
}

function updateDynamicThingGroup(input: OpInput, ctx: OpContext) {
  const g = getDynamic(ctx, requireString(input, 'thingGroupName'));
  checkExpectedVersion(g, input);
  const dyn = g.dynamic as NonNullable<ThingGroupRecord['dynamic']>;
  const queryString = optionalString(input, 'queryString');
  const next = queryString === undefined ? undefined : readQuery({ ...input, indexName: input.indexName ?? dyn.indexName });
  applyGroupProps(g, input.thingGroupProperties);
  g.version += 1;
  if (next && next.queryString !== dyn.queryString) {
    g.dynamic = { ...next, status: 'ACTIVE' };
    rebuild(ctx, g);
  }
  return { version: g.version };
}

function deleteDynamicThingGroup(input: OpInput, ctx: OpContext) {
  const name = requireString(input, 'thingGroupName');
  const g = ctx.state.thingGroups.get(name);
  if (!g) return {};
  if (!g.dynamic) throw errors.invalidRequest(`Thing group ${name} is a static thing group; use DeleteThingGroup`);
  checkExpectedVersion(g, input);
  for (const t of [...g.members]) removeMember(ctx, g, t);
  ctx.state.thingGroups.delete(name);
  ctx.indexes?.queries.delete(name);
  dropTags(ctx, g.thingGroupArn);
  return {};
}

export const dynamicGroupOps: OpTable = {
  CreateDynamicThingGroup: createDynamicThingGroup,
  UpdateDynamicThingGroup: updateDynamicThingGroup,
  DeleteDynamicThingGroup: deleteDynamicThingGroup,
};
