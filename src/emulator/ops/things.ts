// Things: CreateThing (idempotent), DescribeThing, ListThings (filters, O(page) paging),
// UpdateThing (attribute merge, thing type changes, expectedVersion), DeleteThing.
import { randomUUID } from 'node:crypto';
import { arn, type EmulatorState, type ThingRecord } from '../state.js';
import { buildIndexes, type SortedKeys } from '../indexes.js';
import { errors, type OpContext, type OpTable } from './types.js';
import { groupsOfThing, removeMember } from './membership.js';
import { REGISTRY_MAX, pageFromSorted, pageSize } from './paging.js';
import {
  applyAttributes,
  attributeMap,
  attributePayload,
  optionalNumber,
  optionalString,
  requireString,
  resourceName,
  sameAttributes,
} from './validate.js';

/** AWS: 3 attributes without a thing type, 50 with one. */
const MAX_ATTRIBUTES_UNTYPED = 3;
const MAX_ATTRIBUTES_TYPED = 50;

function thingIndex(ctx: OpContext): SortedKeys {
  return (ctx.indexes ?? buildIndexes(ctx.state)).things;
}

export function getThing(state: EmulatorState, name: string): ThingRecord {
  const thing = state.things.get(name);
  if (!thing) throw errors.notFound(`Thing ${name} cannot be found.`);
  return thing;
}

function checkAttributeCount(attributes: Readonly<Record<string, string>>, thingTypeName: string | undefined): void {
  const max = thingTypeName ? MAX_ATTRIBUTES_TYPED : MAX_ATTRIBUTES_UNTYPED;
  if (Object.keys(attributes).length > max) {
    throw errors.invalidRequest(
      thingTypeName
        ? `A thing can have at most ${max} attributes`
        : `A thing without a thing type can have at most ${max} attributes`,
    );
  }
}

/** A thing type may be newly assigned only when it exists and is not deprecated. */
function checkAssignableType(state: EmulatorState, thingTypeName: string): void {
  const type = state.thingTypes.get(thingTypeName);
  if (!type) throw errors.notFound(`Thing type ${thingTypeName} cannot be found.`);
  if (type.deprecated) throw errors.invalidRequest(`Can not create new thing with deprecated thing type: ${thingTypeName}`);
}

function createThing(input: Readonly<Record<string, unknown>>, ctx: OpContext) {
  const { state } = ctx;
  const thingName = resourceName(requireString(input, 'thingName'), 'Thing');
  const thingTypeName = optionalString(input, 'thingTypeName');
  const attributes = attributeMap((input.attributePayload as { attributes?: unknown } | undefined)?.attributes);
  const billingGroupName = optionalString(input, 'billingGroupName');
  const existing = state.things.get(thingName);
  if (existing) {
    const same = existing.thingTypeName === thingTypeName && sameAttributes(existing.attributes, attributes) && existing.billingGroupName === billingGroupName;
    if (!same) throw errors.alreadyExists(`Thing ${thingName} already exists in account with different attributes`, existing.thingId, existing.thingArn);
    return { thingName, thingArn: existing.thingArn, thingId: existing.thingId };
  }
  if (thingTypeName) checkAssignableType(state, thingTypeName);
  if (billingGroupName) throw errors.notFound(`Billing group ${billingGroupName} cannot be found.`);
  checkAttributeCount(attributes, thingTypeName);
  const thing: ThingRecord = {
    thingName,
    thingId: randomUUID(),
    thingArn: arn(state, `thing/${thingName}`),
    thingTypeName,
    attributes,
    version: 1,
    createdAt: ctx.now(),
  };
  state.things.set(thingName, thing);
  thingIndex(ctx).insert(thingName);
  ctx.onThingsChanged([thingName]);
  return { thingName, thingArn: thing.thingArn, thingId: thing.thingId };
}

function describeThing(input: Readonly<Record<string, unknown>>, ctx: OpContext) {
  const t = getThing(ctx.state, requireString(input, 'thingName'));
  return {
    defaultClientId: t.thingName,
    thingName: t.thingName,
    thingId: t.thingId,
    thingArn: t.thingArn,
    thingTypeName: t.thingTypeName,
    attributes: t.attributes,
    version: t.version,
    billingGroupName: t.billingGroupName,
  };
}

function thingAttribute(t: ThingRecord) {
  return { thingName: t.thingName, thingTypeName: t.thingTypeName, thingArn: t.thingArn, attributes: t.attributes, version: t.version };
}

function listThings(input: Readonly<Record<string, unknown>>, ctx: OpContext) {
  const size = pageSize(input.maxResults, REGISTRY_MAX);
  const attributeName = optionalString(input, 'attributeName');
  const attributeValue = optionalString(input, 'attributeValue');
  const thingTypeName = optionalString(input, 'thingTypeName');
  const prefix = input.usePrefixAttributeValue === true;
  if (attributeValue !== undefined && attributeName === undefined) throw errors.invalidRequest('attributeValue requires attributeName');
  const things = ctx.state.things;
  const page = pageFromSorted('things', thingIndex(ctx), { nextToken: input.nextToken, size }, (name) => {
    const t = things.get(name);
    if (!t) return undefined;
    if (thingTypeName !== undefined && t.thingTypeName !== thingTypeName) return undefined;
    if (attributeName !== undefined) {
      const v = t.attributes[attributeName];
      if (v === undefined) return undefined;
      if (attributeValue !== undefined && (prefix ? !v.startsWith(attributeValue) : v !== attributeValue)) return undefined;
    }
    return thingAttribute(t);
  });
  return { things: page.items, nextToken: page.nextToken };
}

function updateThing(input: Readonly<Record<string, unknown>>, ctx: OpContext) {
  const { state } = ctx;
  const thing = getThing(state, requireString(input, 'thingName'));
  const expectedVersion = optionalNumber(input, 'expectedVersion');
  if (expectedVersion !== undefined && expectedVersion !== thing.version) {
    throw errors.versionConflict(`The version for thing ${thing.thingName} does not match the expected version.`);
  }
  const newType = optionalString(input, 'thingTypeName');
  const removeType = input.removeThingType === true;
  if (newType !== undefined && removeType) throw errors.invalidRequest('Cannot specify both thingTypeName and removeThingType');
  let thingTypeName = thing.thingTypeName;
  if (removeType) thingTypeName = undefined;
  if (newType !== undefined && newType !== thing.thingTypeName) {
    checkAssignableType(state, newType);
    thingTypeName = newType;
  }
  const payload = attributePayload(input.attributePayload);
  const attributes = payload ? applyAttributes(thing.attributes, payload) : thing.attributes;
  checkAttributeCount(attributes, thingTypeName);
  thing.thingTypeName = thingTypeName;
  thing.attributes = attributes;
  thing.version += 1;
  ctx.onThingsChanged([thing.thingName]);
  return {};
}

/** True when a certificate or other principal is still attached to the thing. */
function hasPrincipals(state: EmulatorState, thingName: string): boolean {
  for (const things of state.thingPrincipals.values()) if (things.has(thingName)) return true;
  return false;
}

function deleteThing(input: Readonly<Record<string, unknown>>, ctx: OpContext) {
  const { state } = ctx;
  const thingName = requireString(input, 'thingName');
  const thing = state.things.get(thingName);
  if (!thing) return {};
  const expectedVersion = optionalNumber(input, 'expectedVersion');
  if (expectedVersion !== undefined && expectedVersion !== thing.version) {
    throw errors.versionConflict(`The version for thing ${thingName} does not match the expected version.`);
  }
  if (hasPrincipals(state, thingName)) {
    throw errors.invalidRequest(`Cannot delete thing ${thingName}: it is still attached to one or more principals`);
  }
  for (const group of groupsOfThing(ctx, thingName)) removeMember(ctx, group, thingName);
  state.things.delete(thingName);
  thingIndex(ctx).remove(thingName);
  return {};
}

export const thingOps: OpTable = {
  CreateThing: createThing,
  DescribeThing: describeThing,
  ListThings: listThings,
  UpdateThing: updateThing,
  DeleteThing: deleteThing,
};
