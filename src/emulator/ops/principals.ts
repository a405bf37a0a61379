// Who is attached to what: principals (certificates, Cognito identities) on things
// (state.thingPrincipals) and policies on targets (PolicyRecord.targets: certificate ARNs, Cognito
// ids and static thing-group ARNs), including the legacy *PrincipalPolicy operations.
import type { EmulatorState, ThingGroupRecord } from '../state.js';
import { certificateByArn, policiesOf } from './certificates.js';
import {
  getPolicy,
  liveTargets,
  MARKER_PAGES,
  optBool,
  optString,
  paginate,
  REGISTRY_PAGES,
  reqString,
} from './policies.js';
import { errors, type OpContext, type OpInput, type OpTable } from './types.js';

/** Policies per certificate or Cognito identity [AWS-IOT-FACTS §2 Policies]. */
const MAX_POLICIES_PER_PRINCIPAL = 10;
const COGNITO_ID = /^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f-]{36}$/;
const GROUP_ARN = /^arn:aws[\w-]*:iot:[^:]*:[^:]*:thinggroup\/([a-zA-Z0-9:_-]+)$/;

type ThingPrincipalType = 'EXCLUSIVE_THING' | 'NON_EXCLUSIVE_THING';

/** Principals attached to a thing. DeleteThing must refuse while this is non-empty (AWS: InvalidRequestException). */
export function principalsOfThing(state: EmulatorState, thingName: string): string[] {
  const out: string[] = [];
  for (const [principal, things] of state.thingPrincipals) if (things.has(thingName)) out.push(principal);
  return out.sort();
}

function requireThing(state: EmulatorState, thingName: string): void {
  if (!state.things.has(thingName)) throw errors.notFound(`Thing ${thingName} cannot be found.`);
}

/** A principal must be one of our certificates (by ARN) or look like a Cognito identity id. */
function requirePrincipal(state: EmulatorState, principal: string): void {
  if (principal.includes(':cert/')) {
    if (!certificateByArn(state, principal)) throw errors.notFound(`The certificate ${principal} does not exist`);
    return;
  }
  if (!COGNITO_ID.test(principal)) throw errors.invalidRequest(`Invalid principal: ${principal}`);
}

function typeOf(state: EmulatorState, principal: string, thingName: string): ThingPrincipalType {
  return certificateByArn(state, principal)?.exclusiveThing === thingName ? 'EXCLUSIVE_THING' : 'NON_EXCLUSIVE_THING';
}

function attachThingPrincipal(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const thingName = reqString(input, 'thingName');
  const principal = reqString(input, 'principal');
  const type = (optString(input, 'thingPrincipalType') ?? 'NON_EXCLUSIVE_THING') as ThingPrincipalType;
  if (type !== 'EXCLUSIVE_THING' && type !== 'NON_EXCLUSIVE_THING') {
    throw errors.invalidRequest(`Invalid thingPrincipalType: ${type}`);
  }
  requireThing(state, thingName);
  requirePrincipal(state, principal);
  const things = state.thingPrincipals.get(principal) ?? new Set<string>();
  const cert = certificateByArn(state, principal);
  const exclusiveElsewhere = cert?.exclusiveThing !== undefined && cert.exclusiveThing !== thingName;
  const othersAttached = [...things].some((t) => t !== thingName);
  if (exclusiveElsewhere || (type === 'EXCLUSIVE_THING' && othersAttached)) {
    throw errors.invalidRequest(`Principal ${principal} is exclusively attached or already attached to another thing`);
  }
  if (type === 'EXCLUSIVE_THING' && !cert) {
    throw errors.invalidRequest('Only certificates can be attached with EXCLUSIVE_THING');
  }
  things.add(thingName);
  state.thingPrincipals.set(principal, things);
  if (cert && type === 'EXCLUSIVE_THING') cert.exclusiveThing = thingName;
  if (cert && type === 'NON_EXCLUSIVE_THING' && cert.exclusiveThing === thingName) delete cert.exclusiveThing;
  return {};
}

/** Detaching something that is not attached succeeds, as in AWS. */
function detachThingPrincipal(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const thingName = reqString(input, 'thingName');
  const principal = reqString(input, 'principal');
  requireThing(state, thingName);
  const things = state.thingPrincipals.get(principal);
  const detached = things?.delete(thingName) ?? false;
  if (things && things.size === 0) state.thingPrincipals.delete(principal);
  const cert = certificateByArn(state, principal);
  if (cert?.exclusiveThing === thingName) delete cert.exclusiveThing;
  if (cert && detached) cert.lastThingDetachedAt = ctx.now();
  return {};
}

function filterType(input: OpInput): ThingPrincipalType | undefined {
  const t = optString(input, 'thingPrincipalType');
  if (t !== undefined && t !== 'EXCLUSIVE_THING' && t !== 'NON_EXCLUSIVE_THING') {
    throw errors.invalidRequest(`Invalid thingPrincipalType: ${t}`);
  }
  return t as ThingPrincipalType | undefined;
}

function listThingPrincipals(input: OpInput, ctx: OpContext) {
  const thingName = reqString(input, 'thingName');
  requireThing(ctx.state, thingName);
  const { page, next } = paginate(principalsOfThing(ctx.state, thingName), input, REGISTRY_PAGES);
  return { principals: page, nextToken: next };
}

function listThingPrincipalsV2(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const thingName = reqString(input, 'thingName');
  requireThing(state, thingName);
  const wanted = filterType(input);
  const objects = principalsOfThing(state, thingName)
    .map((principal) => ({ principal, thingPrincipalType: typeOf(state, principal, thingName) }))
    .filter((o) => wanted === undefined || o.thingPrincipalType === wanted);
  const { page, next } = paginate(objects, input, REGISTRY_PAGES);
  return { thingPrincipalObjects: page, nextToken: next };
}

function thingsOfPrincipal(state: EmulatorState, principal: string): string[] {
  requirePrincipal(state, principal);
  return [...(state.thingPrincipals.get(principal) ?? [])].sort();
}

function listPrincipalThings(input: OpInput, ctx: OpContext) {
  const things = thingsOfPrincipal(ctx.state, reqString(input, 'principal'));
  const { page, next } = paginate(things, input, REGISTRY_PAGES);
  return { things: page, nextToken: next };
}

function listPrincipalThingsV2(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const principal = reqString(input, 'principal');
  const wanted = filterType(input);
  const objects = thingsOfPrincipal(state, principal)
    .map((thingName) => ({ thingName, thingPrincipalType: typeOf(state, principal, thingName) }))
    .filter((o) => wanted === undefined || o.thingPrincipalType === wanted);
  const { page, next } = paginate(objects, input, REGISTRY_PAGES);
  return { principalThingObjects: page, nextToken: next };
}

// ---- policy attachments ----

function groupByArn(state: EmulatorState, target: string): ThingGroupRecord | undefined {
  const m = GROUP_ARN.exec(target);
  const g = m ? state.thingGroups.get(m[1]) : undefined;
  return g && g.thingGroupArn === target ? g : undefined;
}

/** Valid policy targets: our certificates, static thing groups, and Cognito identity ids. */
function requireTarget(state: EmulatorState, target: string): void {
  if (GROUP_ARN.test(target)) {
    const g = groupByArn(state, target);
    if (!g) throw errors.notFound(`Thing group ${target} does not exist`);
    if (g.dynamic) throw errors.invalidRequest(`Policies cannot be attached to dynamic thing group ${g.thingGroupName}`);
    return;
  }
  requirePrincipal(state, target);
}

function attach(ctx: OpContext, policyName: string, target: string): void {
  const { state } = ctx;
  const policy = getPolicy(state, policyName);
  requireTarget(state, target);
  if (policy.targets.has(target)) return;
  if (!GROUP_ARN.test(target) && policiesOf(state, target).length >= MAX_POLICIES_PER_PRINCIPAL) {
    throw errors.limitExceeded(`A principal can have at most ${MAX_POLICIES_PER_PRINCIPAL} policies attached (${target})`);
  }
  policy.targets.add(target);
}

function detach(ctx: OpContext, policyName: string, target: string): void {
  const policy = getPolicy(ctx.state, policyName);
  if (policy.targets.delete(target)) policy.lastDetachedAt = ctx.now();
}

function attachPolicy(input: OpInput, ctx: OpContext) {
  attach(ctx, reqString(input, 'policyName'), reqString(input, 'target'));
  return {};
}

function detachPolicy(input: OpInput, ctx: OpContext) {
  detach(ctx, reqString(input, 'policyName'), reqString(input, 'target'));
  return {};
}

function listTargetsForPolicy(input: OpInput, ctx: OpContext) {
  const p = getPolicy(ctx.state, reqString(input, 'policyName'));
  const { page, next } = paginate([...liveTargets(ctx.state, p)].sort(), input, MARKER_PAGES);
  return { targets: page, nextMarker: next };
}

/** The target's policies; with `recursive` on a group, also those inherited from its ancestors. */
function attachedPolicyNames(state: EmulatorState, target: string, recursive: boolean): string[] {
  const group = groupByArn(state, target);
  if (!group) {
    requirePrincipal(state, target);
    return policiesOf(state, target).sort();
  }
  const names = new Set<string>();
  for (let g: ThingGroupRecord | undefined = group; g; g = recursive && g.parentGroupName ? state.thingGroups.get(g.parentGroupName) : undefined) {
    for (const n of policiesOf(state, g.thingGroupArn)) names.add(n);
  }
  return [...names].sort();
}

function policySummaries(state: EmulatorState, names: readonly string[]) {
  return names.map((n) => ({ policyName: n, policyArn: state.policies.get(n)!.policyArn }));
}

function listAttachedPolicies(input: OpInput, ctx: OpContext) {
  const target = reqString(input, 'target');
  if (GROUP_ARN.test(target) && !groupByArn(ctx.state, target)) throw errors.notFound(`Thing group ${target} does not exist`);
  const names = attachedPolicyNames(ctx.state, target, optBool(input, 'recursive') === true);
  const { page, next } = paginate(policySummaries(ctx.state, names), input, MARKER_PAGES);
  return { policies: page, nextMarker: next };
}

// Legacy API, kept because older tools still call it; same data as AttachPolicy.
function attachPrincipalPolicy(input: OpInput, ctx: OpContext) {
  attach(ctx, reqString(input, 'policyName'), reqString(input, 'principal'));
  return {};
}

function detachPrincipalPolicy(input: OpInput, ctx: OpContext) {
  detach(ctx, reqString(input, 'policyName'), reqString(input, 'principal'));
  return {};
}

function listPrincipalPolicies(input: OpInput, ctx: OpContext) {
  const principal = reqString(input, 'principal');
  requirePrincipal(ctx.state, principal);
  const names = policiesOf(ctx.state, principal).sort();
  if (optBool(input, 'ascendingOrder') === false) names.reverse();
  const { page, next } = paginate(policySummaries(ctx.state, names), input, MARKER_PAGES);
  return { policies: page, nextMarker: next };
}

function listPolicyPrincipals(input: OpInput, ctx: OpContext) {
  const p = getPolicy(ctx.state, reqString(input, 'policyName'));
  const principals = [...liveTargets(ctx.state, p)].filter((t) => !GROUP_ARN.test(t)).sort();
  if (optBool(input, 'ascendingOrder') === false) principals.reverse();
  const { page, next } = paginate(principals, input, MARKER_PAGES);
  return { principals: page, nextMarker: next };
}

/** For the thing-group operations: a deleted group's policy attachments go with it, as in AWS. */
export function onThingGroupDeleted(ctx: OpContext, thingGroupArn: string): void {
  for (const p of ctx.state.policies.values()) p.targets.delete(thingGroupArn);
}

export const principalOps: OpTable = {
  AttachThingPrincipal: attachThingPrincipal,
  DetachThingPrincipal: detachThingPrincipal,
  ListThingPrincipals: listThingPrincipals,
  ListThingPrincipalsV2: listThingPrincipalsV2,
  ListPrincipalThings: listPrincipalThings,
  ListPrincipalThingsV2: listPrincipalThingsV2,
  AttachPolicy: attachPolicy,
  DetachPolicy: detachPolicy,
  ListTargetsForPolicy: listTargetsForPolicy,
  ListAttachedPolicies: listAttachedPolicies,
  AttachPrincipalPolicy: attachPrincipalPolicy,
  DetachPrincipalPolicy: detachPrincipalPolicy,
  ListPrincipalPolicies: listPrincipalPolicies,
  ListPolicyPrincipals: listPolicyPrincipals,
};
