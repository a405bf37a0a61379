// Thing types: create (idempotent), describe, list, update (mqtt5Configuration only), deprecate
// (reversible) and delete — only after deprecation, 5 minutes later by the injected clock, and
// when no thing uses the type.
import { randomUUID } from 'node:crypto';
import { arn, type ThingTypeRecord } from '../state.js';
import { errors, type OpContext, type OpInput, type OpTable } from './types.js';
import { REGISTRY_MAX, pageFromSorted, pageSize } from './paging.js';
import { optionalString, requireString, resourceName } from './validate.js';
import { compare } from '../indexes.js';
import { setTagsOnCreate, dropTags } from './tags.js';

export const DEPRECATION_WAIT_MS = 5 * 60 * 1000;
const MAX_SEARCHABLE_ATTRIBUTES = 3;

interface TypeProps {
  readonly description?: string;
  readonly searchableAttributes: string[];
  readonly mqtt5Configuration?: Record<string, unknown>;
}

function readProps(value: unknown): TypeProps {
  const p = (value ?? {}) as { thingTypeDescription?: unknown; searchableAttributes?: unknown; mqtt5Configuration?: unknown };
  if (p.thingTypeDescription !== undefined && (typeof p.thingTypeDescription !== 'string' || p.thingTypeDescription.length > 2028)) {
    throw errors.invalidRequest('thingTypeDescription must be a string of at most 2028 characters');
  }
  const attrs = p.searchableAttributes ?? [];
  if (!Array.isArray(attrs) || attrs.some((a) => typeof a !== 'string' || a.length > 128)) {
    throw errors.invalidRequest('searchableAttributes must be a list of attribute names');
  }
  if (attrs.length > MAX_SEARCHABLE_ATTRIBUTES) throw errors.invalidRequest(`A thing type can have at most ${MAX_SEARCHABLE_ATTRIBUTES} searchable attributes`);
  return {
    description: p.thingTypeDescription as string | undefined,
    searchableAttributes: attrs as string[],
    mqtt5Configuration: p.mqtt5Configuration as Record<string, unknown> | undefined,
  };
}

function sameProps(t: ThingTypeRecord, p: TypeProps): boolean {
  return (
    t.description === p.description &&
    JSON.stringify(t.searchableAttributes) === JSON.stringify(p.searchableAttributes) &&
    JSON.stringify(t.mqtt5Configuration ?? null) === JSON.stringify(p.mqtt5Configuration ?? null)
  );
}

function getType(ctx: OpContext, name: string): ThingTypeRecord {
  const t = ctx.state.thingTypes.get(name);
  if (!t) throw errors.notFound(`Thing type ${name} cannot be found.`);
  return t;
}

function properties(t: ThingTypeRecord) {
  return { thingTypeDescription: t.description, searchableAttributes: t.searchableAttributes, mqtt5Configuration: t.mqtt5Configuration };
}

function metadata(t: ThingTypeRecord) {
  return { deprecated: t.deprecated, deprecationDate: t.deprecated ? t.deprecationDate : undefined, creationDate: t.creationDate };
}

function createThingType(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const name = resourceName(requireString(input, 'thingTypeName'), 'Thing type');
  const props = readProps(input.thingTypeProperties);
  const existing = state.thingTypes.get(name);
  if (existing) {
    if (!sameProps(existing, props)) throw errors.alreadyExists(`Thing type ${name} already exists with different properties`, existing.thingTypeId, existing.thingTypeArn);
    return { thingTypeName: name, thingTypeArn: existing.thingTypeArn, thingTypeId: existing.thingTypeId };
  }
  const record: ThingTypeRecord = {
    thingTypeName: name,
    thingTypeId: randomUUID(),
    thingTypeArn: arn(state, `thingtype/${name}`),
    description: props.description,
    searchableAttributes: props.searchableAttributes,
    mqtt5Configuration: props.mqtt5Configuration,
    deprecated: false,
    creationDate: ctx.now(),
  };
  setTagsOnCreate(ctx, record.thingTypeArn, input.tags);
  state.thingTypes.set(name, record);
  return { thingTypeName: name, thingTypeArn: record.thingTypeArn, thingTypeId: record.thingTypeId };
}

function describeThingType(input: OpInput, ctx: OpContext) {
  const t = getType(ctx, requireString(input, 'thingTypeName'));
  return { thingTypeName: t.thingTypeName, thingTypeId: t.thingTypeId, thingTypeArn: t.thingTypeArn, thingTypeProperties: properties(t), thingTypeMetadata: metadata(t) };
}

function listThingTypes(input: OpInput, ctx: OpContext) {
  const size = pageSize(input.maxResults, REGISTRY_MAX);
  const only = optionalString(input, 'thingTypeName');
  const types = ctx.state.thingTypes;
  const keys = [...types.keys()].sort(compare);
  const page = pageFromSorted('thing-types', keys, { nextToken: input.nextToken, size }, (name) => {
    if (only !== undefined && name !== only) return undefined;
    const t = types.get(name) as ThingTypeRecord;
    return { thingTypeName: t.thingTypeName, thingTypeArn: t.thingTypeArn, thingTypeProperties: properties(t), thingTypeMetadata: metadata(t) };
  });
  return { thingTypes: page.items, nextToken: page.nextToken };
}

/** AWS's own CloudFormation handler can update only mqtt5Configuration; the rest is immutable. */
function updateThingType(input: OpInput, ctx: OpContext) {
  const t = getType(ctx, requireString(input, 'thingTypeName'));
  const raw = (input.thingTypeProperties ?? {}) as { thingTypeDescription?: unknown; searchableAttributes?: unknown };
  const props = readProps(input.thingTypeProperties);
  if (raw.thingTypeDescription !== undefined && props.description !== t.description) {
    throw errors.invalidRequest('thingTypeDescription of a thing type cannot be updated');
  }
  if (raw.searchableAttributes !== undefined && JSON.stringify(props.searchableAttributes) !== JSON.stringify(t.searchableAttributes)) {
    throw errors.invalidRequest('searchableAttributes of a thing type cannot be updated');
  }
  if (props.mqtt5Configuration !== undefined) t.mqtt5Configuration = props.mqtt5Configuration;
  return {};
}

function deprecateThingType(input: OpInput, ctx: OpContext) {
  const t = getType(ctx, requireString(input, 'thingTypeName'));
  if (input.undoDeprecate === true) {
    t.deprecated = false;
    t.deprecationDate = undefined;
    return {};
  }
  if (!t.deprecated) {
    t.deprecated = true;
    t.deprecationDate = ctx.now();
  }
  return {};
}

function deleteThingType(input: OpInput, ctx: OpContext) {
  const name = requireString(input, 'thingTypeName');
  const t = getType(ctx, name);
  if (!t.deprecated) throw errors.invalidRequest(`Thing type ${name} is not deprecated. Please deprecate the thing type before deleting it.`);
  const since = ctx.now() - (t.deprecationDate ?? 0);
  if (since < DEPRECATION_WAIT_MS) {
    throw errors.invalidRequest(`Thing type ${name} was deprecated less than 5 minutes ago. Please wait for 5 minutes after deprecation and then retry`);
  }
  for (const thing of ctx.state.things.values()) {
    if (thing.thingTypeName === name) throw errors.invalidRequest(`Can not delete thing type ${name} with things associated with it`);
  }
  ctx.state.thingTypes.delete(name);
  dropTags(ctx, t.thingTypeArn);
  return {};
}

export const thingTypeOps: OpTable = {
  CreateThingType: createThingType,
  DescribeThingType: describeThingType,
  ListThingTypes: listThingTypes,
  UpdateThingType: updateThingType,
  DeprecateThingType: deprecateThingType,
  DeleteThingType: deleteThingType,
};
