// IoT policies and their versions. Attachments (AttachPolicy & co.) live in principals.ts; this
// module also exports the small input/paging helpers the security, rules and jobs modules share.
// Handlers return timestamps as epoch milliseconds; the codec writes the wire's epoch seconds.
import { createHash } from 'node:crypto';
import { arn, type EmulatorState, type PolicyRecord } from '../state.js';
import { errors, type OpContext, type OpInput, type OpTable } from './types.js';

// ---- shared helpers (security, topic-rule and job modules) ----

export function optString(input: OpInput, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw errors.invalidRequest(`${key} must be a string`);
  return v;
}

export function reqString(input: OpInput, key: string): string {
  const v = optString(input, key);
  if (v === undefined) throw errors.invalidRequest(`${key} is required`);
  return v;
}

export function optBool(input: OpInput, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw errors.invalidRequest(`${key} must be a boolean`);
}

export function optInt(input: OpInput, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n)) throw errors.invalidRequest(`${key} must be an integer`);
  return n;
}

export interface PageSpec {
  /** Input member names for the page size and the token, e.g. `pageSize`/`marker` or `maxResults`/`nextToken`. */
  readonly sizeKey: string;
  readonly tokenKey: string;
  readonly defaultSize: number;
  readonly maxSize: number;
}

export const MARKER_PAGES: PageSpec = { sizeKey: 'pageSize', tokenKey: 'marker', defaultSize: 25, maxSize: 250 };
/** Registry lists return full pages (250) unless maxResults says otherwise, like the registry operations. */
export const REGISTRY_PAGES: PageSpec = { sizeKey: 'maxResults', tokenKey: 'nextToken', defaultSize: 250, maxSize: 250 };

/**
 * One page of `items` (already filtered and in their final order). Tokens are opaque offsets, so a
 * listing stays consistent as long as the list is not modified between pages.
 */
export function paginate<T>(items: readonly T[], input: OpInput, spec: PageSpec): { page: T[]; next?: string } {
  const size = optInt(input, spec.sizeKey) ?? spec.defaultSize;
  if (size < 1 || size > spec.maxSize) {
    throw errors.invalidRequest(`${spec.sizeKey} must be between 1 and ${spec.maxSize}`);
  }
  const token = optString(input, spec.tokenKey);
  let offset = 0;
  if (token !== undefined) {
    const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) throw errors.invalidRequest(`Invalid ${spec.tokenKey}`);
    offset = Number(m[1]);
  }
  const page = items.slice(offset, offset + size);
  const end = offset + page.length;
  return { page, next: end < items.length ? Buffer.from(`o:${end}`).toString('base64url') : undefined };
}

/** True while a detach at `detachedAt` has not propagated yet (securitySettings.detachPropagationMs). */
export function detachPending(ctx: OpContext, detachedAt: number | undefined): boolean {
  const window = ctx.state.securitySettings?.detachPropagationMs ?? 0;
  return window > 0 && detachedAt !== undefined && ctx.now() - detachedAt < window;
}

/** Stores a create-time TagList (`[{Key, Value}]`) under `resourceArn`. */
export function storeTagList(state: EmulatorState, resourceArn: string, tags: unknown): void {
  if (tags === undefined || tags === null) return;
  if (!Array.isArray(tags)) throw errors.invalidRequest('tags must be a list');
  storeTags(
    state,
    resourceArn,
    tags.map((t: { Key?: unknown; Value?: unknown }) => [t?.Key, t?.Value ?? ''] as const),
  );
}

export function storeTags(state: EmulatorState, resourceArn: string, pairs: ReadonlyArray<readonly [unknown, unknown]>): void {
  if (pairs.length === 0) return;
  if (pairs.length > 50) throw errors.invalidRequest('A resource can have at most 50 tags');
  const map = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (typeof k !== 'string' || k.length < 1 || k.length > 128) throw errors.invalidRequest('Tag keys must be 1-128 characters');
    if (typeof v !== 'string' || v.length > 256) throw errors.invalidRequest('Tag values must be at most 256 characters');
    if (k.startsWith('aws:')) throw errors.invalidRequest('Tag keys starting with aws: are reserved');
    map.set(k, v);
  }
  state.tags.set(resourceArn, map);
}

// ---- policies ----

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const MAX_VERSIONS = 5;
const MAX_DOCUMENT_CHARS = 2048;

function checkPolicyName(name: string): void {
  if (!POLICY_NAME.test(name)) throw errors.invalidRequest(`Invalid policy name: ${name}`);
}

/** AWS rejects documents that are not IAM-shaped JSON; it does not check action names here. */
export function checkPolicyDocument(document: string): void {
  const compact = document.replace(/\s/g, '');
  if (compact.length === 0) throw errors.malformedPolicy('Policy document is empty');
  if (compact.length > MAX_DOCUMENT_CHARS) {
    throw errors.malformedPolicy(`Policy document exceeds ${MAX_DOCUMENT_CHARS} characters (excluding whitespace)`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(document);
  } catch {
    throw errors.malformedPolicy('Policy document is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw errors.malformedPolicy('Policy document must be a JSON object');
  }
  const { Version, Statement } = doc as Record<string, unknown>;
  if (Version !== undefined && Version !== '2012-10-17' && Version !== '2008-10-17') {
    throw errors.malformedPolicy(`Unsupported policy Version: ${String(Version)}`);
  }
  if (Statement === undefined) throw errors.malformedPolicy('Policy document is missing Statement');
  const statements = Array.isArray(Statement) ? Statement : [Statement];
  if (statements.length === 0) throw errors.malformedPolicy('Statement must not be empty');
  statements.forEach((s, i) => checkStatement(s, i));
}

const isStringOrList = (v: unknown): boolean =>
  typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));

function checkStatement(s: unknown, i: number): void {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) {
    throw errors.malformedPolicy(`Statement ${i} must be an object`);
  }
  const st = s as Record<string, unknown>;
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') {
    throw errors.malformedPolicy(`Statement ${i}: Effect must be Allow or Deny`);
  }
  const action = st.Action ?? st.NotAction;
  if (action === undefined || !isStringOrList(action)) {
    throw errors.malformedPolicy(`Statement ${i}: Action or NotAction must be a string or a list of strings`);
  }
  const resource = st.Resource ?? st.NotResource;
  if (resource === undefined || !isStringOrList(resource)) {
    throw errors.malformedPolicy(`Statement ${i}: Resource or NotResource must be a string or a list of strings`);
  }
  if (st.Condition !== undefined && (typeof st.Condition !== 'object' || st.Condition === null)) {
    throw errors.malformedPolicy(`Statement ${i}: Condition must be an object`);
  }
}

export function getPolicy(state: EmulatorState, name: string): PolicyRecord {
  const p = state.policies.get(name);
  if (!p) throw errors.notFound(`Policy not found (name=${name})`);
  return p;
}

/**
 * The policy's targets, minus certificates and thing groups that no longer exist: AWS drops a
 * resource's attachments with it. Thing-group deletion should also call onThingGroupDeleted
 * (principals.ts) so a group re-created under the same name does not inherit old attachments.
 */
export function liveTargets(state: EmulatorState, p: PolicyRecord): Set<string> {
  for (const t of p.targets) {
    const cert = /:cert\/([0-9a-f]{64})$/.exec(t);
    if (cert && state.certificates.get(cert[1])?.certificateArn !== t) p.targets.delete(t);
    const group = /:thinggroup\/([^/]+)$/.exec(t);
    if (group && state.thingGroups.get(group[1])?.thingGroupArn !== t) p.targets.delete(t);
  }
  return p.targets;
}

/** Changes whenever the operative (default) version changes, like AWS's generationId. */
function generationId(p: PolicyRecord): string {
  return createHash('sha256').update(`${p.policyArn}#${p.defaultVersionId}#${p.lastModifiedDate}`).digest('hex');
}

function defaultDocument(p: PolicyRecord): string {
  return p.versions.find((v) => v.versionId === p.defaultVersionId)!.document;
}

function findVersion(p: PolicyRecord, versionId: string) {
  const v = p.versions.find((x) => x.versionId === versionId);
  if (!v) throw errors.notFound(`Policy version not found (name=${p.policyName}, versionId=${versionId})`);
  return v;
}

function createPolicy(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const policyName = reqString(input, 'policyName');
  checkPolicyName(policyName);
  const policyDocument = reqString(input, 'policyDocument');
  // AWS answers 409 for any existing name, even with an identical document: CreatePolicy is not idempotent.
  if (state.policies.has(policyName)) {
    const existing = state.policies.get(policyName)!;
    throw errors.alreadyExists(
      `Policy cannot be created - name already exists (name=${policyName})`,
      policyName,
      existing.policyArn,
    );
  }
  checkPolicyDocument(policyDocument);
  const now = ctx.now();
  const policyArn = arn(state, `policy/${policyName}`);
  storeTagList(state, policyArn, input.tags);
  state.policies.set(policyName, {
    policyName,
    policyArn,
    defaultVersionId: '1',
    versions: [{ versionId: '1', document: policyDocument, createDate: now }],
    nextVersionId: 2,
    creationDate: now,
    lastModifiedDate: now,
    targets: new Set(),
  });
  return { policyName, policyArn, policyDocument, policyVersionId: '1' };
}

function getPolicyOp(input: OpInput, ctx: OpContext) {
  const p = getPolicy(ctx.state, reqString(input, 'policyName'));
  return {
    policyName: p.policyName,
    policyArn: p.policyArn,
    policyDocument: defaultDocument(p),
    defaultVersionId: p.defaultVersionId,
    creationDate: p.creationDate,
    lastModifiedDate: p.lastModifiedDate,
    generationId: generationId(p),
  };
}

function listPolicies(input: OpInput, ctx: OpContext) {
  const all = [...ctx.state.policies.values()].sort((a, b) => (a.policyName < b.policyName ? -1 : 1));
  if (optBool(input, 'ascendingOrder') === false) all.reverse();
  const { page, next } = paginate(all, input, MARKER_PAGES);
  return { policies: page.map((p) => ({ policyName: p.policyName, policyArn: p.policyArn })), nextMarker: next };
}

function createPolicyVersion(input: OpInput, ctx: OpContext) {
  const p = getPolicy(ctx.state, reqString(input, 'policyName'));
  const policyDocument = reqString(input, 'policyDocument');
  checkPolicyDocument(policyDocument);
  if (p.versions.length >= MAX_VERSIONS) {
    throw errors.versionsLimit(`The policy ${p.policyName} already has the maximum number of versions (${MAX_VERSIONS})`);
  }
  const now = ctx.now();
  const versionId = String(p.nextVersionId++);
  p.versions.push({ versionId, document: policyDocument, createDate: now });
  const isDefaultVersion = optBool(input, 'setAsDefault') === true;
  if (isDefaultVersion) {
    p.defaultVersionId = versionId;
    p.lastModifiedDate = now;
  }
  return { policyArn: p.policyArn, policyDocument, policyVersionId: versionId, isDefaultVersion };
}

function getPolicyVersion(input: OpInput, ctx: OpContext) {
  const p = getPolicy(ctx.state, reqString(input, 'policyName'));
  const v = findVersion(p, reqString(input, 'policyVersionId'));
  return {
    policyArn: p.policyArn,
    policyName: p.policyName,
    policyDocument: v.document,
    policyVersionId: v.versionId,
    isDefaultVersion: v.versionId === p.defaultVersionId,
    creationDate: v.createDate,
    lastModifiedDate: v.versionId === p.defaultVersionId ? p.lastModifiedDate : v.createDate,
    generationId: generationId(p),
  };
}

function listPolicyVersions(input: OpInput, ctx: OpContext) {
  const p = getPolicy(ctx.state, reqString(input, 'policyName'));
  const versions = [...p.versions].sort((a, b) => Number(b.versionId) - Number(a.versionId));
  return {
    policyVersions: versions.map((v) => ({
      versionId: v.versionId,
      isDefaultVersion: v.versionId === p.defaultVersionId,
      createDate: v.createDate,
    })),
  };
}

function setDefaultPolicyVersion(input: OpInput, ctx: OpContext) {
  const p = getPolicy(ctx.state, reqString(input, 'policyName'));
  const v = findVersion(p, reqString(input, 'policyVersionId'));
  if (p.defaultVersionId !== v.versionId) {
    p.defaultVersionId = v.versionId;
    p.lastModifiedDate = ctx.now();
  }
  return {};
}

function deletePolicyVersion(input: OpInput, ctx: OpContext) {
  const p = getPolicy(ctx.state, reqString(input, 'policyName'));
  const v = findVersion(p, reqString(input, 'policyVersionId'));
  if (v.versionId === p.defaultVersionId) {
    throw errors.deleteConflict(`Cannot delete the default version of a policy (name=${p.policyName})`);
  }
  p.versions = p.versions.filter((x) => x !== v);
  return {};
}

function deletePolicy(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const p = getPolicy(state, reqString(input, 'policyName'));
  if (liveTargets(state, p).size > 0 || detachPending(ctx, p.lastDetachedAt)) {
    throw errors.deleteConflict(
      `The policy cannot be deleted as the policy is attached to one or more principals (name=${p.policyName})`,
    );
  }
  if (p.versions.length > 1) {
    throw errors.deleteConflict(
      `The policy cannot be deleted as versions other than the default version exist (name=${p.policyName})`,
    );
  }
  state.policies.delete(p.policyName);
  state.tags.delete(p.policyArn);
  return {};
}

export const policyOps: OpTable = {
  CreatePolicy: createPolicy,
  GetPolicy: getPolicyOp,
  ListPolicies: listPolicies,
  CreatePolicyVersion: createPolicyVersion,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,
  DeletePolicyVersion: deletePolicyVersion,
  DeletePolicy: deletePolicy,
};
