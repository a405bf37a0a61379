// Tags for every taggable resource in the emulator, found from its ARN: thing groups (static and
// dynamic), thing types, policies, topic rules and jobs. Things and device certificates are not
// taggable in AWS, so tagging them is refused. Limits: 50 tags, key ≤128, value ≤256, no `aws:` keys.
import type { EmulatorState } from '../state.js';
import { errors, type OpContext, type OpInput, type OpTable } from './types.js';
import { compare } from '../indexes.js';
import { pageFromSorted } from './paging.js';
import { requireString } from './validate.js';

export const MAX_TAGS = 50;

/** Looks a taggable resource up by ARN; undefined when it does not exist. */
function resourceExists(state: EmulatorState, resourceArn: string): boolean | 'untaggable' {
  const m = /^arn:aws[a-z-]*:iot:([^:]*):([^:]*):([a-z]+)\/(.+)$/.exec(resourceArn);
  if (!m || m[1] !== state.region || m[2] !== state.accountId) return false;
  const [, , , type, name] = m;
  switch (type) {
    case 'thinggroup':
      return state.thingGroups.has(name);
    case 'thingtype':
      return state.thingTypes.has(name);
    case 'policy':
      return state.policies.has(name);
    case 'rule':
      return state.topicRules.has(name);
    case 'job':
      return state.jobs.has(name);
    case 'thing':
    case 'cert':
      return 'untaggable';
    default:
      return false;
  }
}

function requireTaggable(ctx: OpContext, resourceArn: string): void {
  const found = resourceExists(ctx.state, resourceArn);
  if (found === 'untaggable') throw errors.invalidRequest(`Resource ${resourceArn} does not support tagging`);
  if (!found) {
    // A resource deleted by a module that did not drop its tags must not resurrect them.
    ctx.state.tags.delete(resourceArn);
    throw errors.notFound(`Resource ${resourceArn} cannot be found.`);
  }
}

function readTagList(value: unknown): [string, string][] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.invalidRequest('tags must be a list of {Key, Value}');
  return value.map((t: unknown) => {
    const tag = t as { Key?: unknown; Value?: unknown };
    if (typeof tag?.Key !== 'string' || tag.Key === '' || tag.Key.length > 128) throw errors.invalidRequest('Tag keys must be 1-128 characters');
    if (tag.Key.startsWith('aws:')) throw errors.invalidRequest('Tag keys starting with aws: are reserved');
    const v = tag.Value ?? '';
    if (typeof v !== 'string' || v.length > 256) throw errors.invalidRequest('Tag values must be at most 256 characters');
    return [tag.Key, v];
  });
}

function applyTags(ctx: OpContext, resourceArn: string, tags: readonly [string, string][]): void {
  const current = ctx.state.tags.get(resourceArn) ?? new Map<string, string>();
  const next = new Map(current);
  for (const [k, v] of tags) next.set(k, v);
  if (next.size > MAX_TAGS) throw errors.limitExceeded(`A resource can have at most ${MAX_TAGS} tags`);
  if (next.size > 0) ctx.state.tags.set(resourceArn, next);
}

/** Tags given on a Create* call; validated before the resource is stored. */
export function setTagsOnCreate(ctx: OpContext, resourceArn: string, tags: unknown): void {
  const list = readTagList(tags);
  ctx.state.tags.delete(resourceArn);
  if (list.length > 0) applyTags(ctx, resourceArn, list);
}

export function dropTags(ctx: OpContext, resourceArn: string): void {
  ctx.state.tags.delete(resourceArn);
}

function tagResource(input: OpInput, ctx: OpContext) {
  const resourceArn = requireString(input, 'resourceArn');
  requireTaggable(ctx, resourceArn);
  applyTags(ctx, resourceArn, readTagList(input.tags));
  return {};
}

function untagResource(input: OpInput, ctx: OpContext) {
  const resourceArn = requireString(input, 'resourceArn');
  requireTaggable(ctx, resourceArn);
  const keys = input.tagKeys;
  if (!Array.isArray(keys)) throw errors.invalidRequest('tagKeys is required');
  const current = ctx.state.tags.get(resourceArn);
  if (!current) return {};
  for (const k of keys) current.delete(String(k));
  if (current.size === 0) ctx.state.tags.delete(resourceArn);
  return {};
}

function listTagsForResource(input: OpInput, ctx: OpContext) {
  const resourceArn = requireString(input, 'resourceArn');
  requireTaggable(ctx, resourceArn);
  const current = ctx.state.tags.get(resourceArn) ?? new Map<string, string>();
  const keys = [...current.keys()].sort(compare);
  const page = pageFromSorted('tags', keys, { nextToken: input.nextToken, size: MAX_TAGS }, (k) => ({ Key: k, Value: current.get(k) }));
  return { tags: page.items, nextToken: page.nextToken };
}

export const tagOps: OpTable = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
