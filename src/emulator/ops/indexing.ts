// Fleet indexing: the indexing configuration, DescribeIndex and SearchIndex over AWS_Things.
// The index is always current (AWS indexes asynchronously); there is no shadow or connectivity
// data in the emulator, so only registry fields can match.
import type { IndexingRecord } from '../state.js';
import { buildIndexes } from '../indexes.js';
import { errors, type OpContext, type OpInput, type OpTable } from './types.js';
import { pageFromSorted, pageSize } from './paging.js';
import { matchesQuery } from '../query/index.js';
import { parseOrThrow, thingDocument } from './dynamic-groups.js';
import { optionalString, requireString } from './validate.js';

/** SearchIndex: "maxResults cannot exceed 100" (model doc). */
const SEARCH_MAX = 100;
const THING_MODES = ['OFF', 'REGISTRY', 'REGISTRY_AND_SHADOW'] as const;
const CONNECTIVITY_MODES = ['OFF', 'STATUS'] as const;
const GROUP_MODES = ['OFF', 'ON'] as const;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw errors.invalidRequest(`${what} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function updateIndexingConfiguration(input: OpInput, ctx: OpContext) {
  const cur = ctx.state.indexing;
  const next: IndexingRecord = { ...cur };
  const thing = input.thingIndexingConfiguration as Record<string, unknown> | undefined;
  if (thing) {
    const { thingIndexingMode, thingConnectivityIndexingMode, ...extras } = thing;
    next.thingIndexingMode = oneOf(thingIndexingMode, THING_MODES, 'thingIndexingMode');
    next.thingConnectivityIndexingMode = thingConnectivityIndexingMode === undefined ? 'OFF' : oneOf(thingConnectivityIndexingMode, CONNECTIVITY_MODES, 'thingConnectivityIndexingMode');
    next.thingIndexingExtras = extras;
    if (next.thingIndexingMode === 'OFF' && next.thingConnectivityIndexingMode !== 'OFF') {
      throw errors.invalidRequest('thingConnectivityIndexingMode requires thing indexing to be enabled');
    }
  }
  const group = input.thingGroupIndexingConfiguration as Record<string, unknown> | undefined;
  if (group) {
    const { thingGroupIndexingMode, ...extras } = group;
    next.thingGroupIndexingMode = oneOf(thingGroupIndexingMode, GROUP_MODES, 'thingGroupIndexingMode');
    next.thingGroupIndexingExtras = extras;
  }
  if (next.thingIndexingMode === 'OFF') {
    for (const g of ctx.state.thingGroups.values()) {
      if (g.dynamic) throw errors.invalidRequest('Fleet indexing cannot be turned off while dynamic thing groups exist; delete them first');
    }
  }
  ctx.state.indexing = next;
  return {};
}

function getIndexingConfiguration(_input: OpInput, ctx: OpContext) {
  const i = ctx.state.indexing;
  return {
    thingIndexingConfiguration: { ...i.thingIndexingExtras, thingIndexingMode: i.thingIndexingMode, thingConnectivityIndexingMode: i.thingConnectivityIndexingMode },
    thingGroupIndexingConfiguration: { ...i.thingGroupIndexingExtras, thingGroupIndexingMode: i.thingGroupIndexingMode },
  };
}

function requireThingsIndex(ctx: OpContext, indexName: string): void {
  if (indexName === 'AWS_Things' && ctx.state.indexing.thingIndexingMode !== 'OFF') return;
  if (indexName === 'AWS_ThingGroups' && ctx.state.indexing.thingGroupIndexingMode === 'ON') return;
  throw errors.notFound(`Index ${indexName} cannot be found.`);
}

function describeIndex(input: OpInput, ctx: OpContext) {
  const indexName = requireString(input, 'indexName');
  requireThingsIndex(ctx, indexName);
  const i = ctx.state.indexing;
  const schema =
    indexName === 'AWS_ThingGroups'
      ? 'REGISTRY'
      : i.thingConnectivityIndexingMode === 'STATUS'
        ? `${i.thingIndexingMode}_AND_CONNECTIVITY_STATUS`
        : i.thingIndexingMode;
  return { indexName, indexStatus: 'ACTIVE', schema };
}

function searchIndex(input: OpInput, ctx: OpContext) {
  const indexName = optionalString(input, 'indexName') ?? 'AWS_Things';
  requireThingsIndex(ctx, indexName);
  if (indexName !== 'AWS_Things') throw errors.invalidRequest('The emulator searches only the AWS_Things index');
  const query = parseOrThrow(requireString(input, 'queryString'));
  const size = pageSize(input.maxResults, SEARCH_MAX);
  const things = ctx.state.things;
  const keys = (ctx.indexes ?? buildIndexes(ctx.state)).things;
  const page = pageFromSorted(`search:${query.text}`, keys, { nextToken: input.nextToken, size }, (name) => {
    const t = things.get(name);
    if (!t) return undefined;
    const doc = thingDocument(ctx, t, true);
    if (!matchesQuery(query, doc)) return undefined;
    return { thingName: doc.thingName, thingId: doc.thingId, thingTypeName: doc.thingTypeName, thingGroupNames: doc.thingGroupNames, attributes: doc.attributes };
  });
  return { things: page.items, thingGroups: [], nextToken: page.nextToken };
}

export const indexingOps: OpTable = {
  UpdateIndexingConfiguration: updateIndexingConfiguration,
  GetIndexingConfiguration: getIndexingConfiguration,
  DescribeIndex: describeIndex,
  SearchIndex: searchIndex,
};
