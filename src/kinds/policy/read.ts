// Policy read: ListPolicies once, then GetPolicy + ListTargetsForPolicy only for policies in scope:
// named by the fleet or claimed by the ownership ledger (shared/ownership.ts; tags are read only
// where the ledger does not prove ownership or the manifest declares tags). ListPolicyVersions is read only when
// the default document differs from the desired one: the version list matters only when the
// update will create a new version (AWS's 5-version cap).
// The targets also answer the ThingGroup reader's `policies` (no ListAttachedPolicies per group).
import type { IotApi } from '../../aws/iot-api.js';
import { listAll } from '../../aws/paginate.js';
import type { DesiredResourceOf, DesiredState } from '../../model/resource.js';
import type { ReadContext } from '../types.js';
import type { LiveResource } from '../../model/live.js';
import { unlessNotFound } from '../shared/aws-errors.js';
import { desiredDocument, sameDocument } from './compare.js';
import { mapLimit, READ_CONCURRENCY } from '../shared/concurrency.js';
import { ownershipResolver, timeIdentity } from '../shared/ownership.js';

export interface PolicyLiveState {
  readonly arn: string;
  /** The default version's document, parsed (the raw text when it is not JSON). */
  readonly document: unknown;
  readonly defaultVersionId: string;
  /**
   * All version ids, ascending numerically (AWS keeps at most 5). Read only when the fleet declares
   * the policy with another document (an update will create a version); absent otherwise.
   */
  readonly versionIds?: readonly string[];
  /** Target ARNs the policy is attached to (certificates, thing groups, Cognito ids), sorted. */
  readonly targets: readonly string[];
}

type PolicyDetail = Omit<PolicyLiveState, 'arn'> & { readonly identity?: string };

export type PolicyLive = LiveResource<'Policy', PolicyLiveState>;

/** Version ids are strings of digits; "10" sorts after "9". */
export function sortVersionIds(ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Policies the fleet declares or references (certificates and thing groups name policies). */
export function policyNamesInFleet(desired: DesiredState): Set<string> {
  const names = new Set<string>();
  for (const r of desired.resources) {
    if (r.kind === 'Policy') names.add(r.name);
    if (r.kind === 'Certificate' || r.kind === 'ThingGroup') for (const p of r.spec.policies) names.add(p);
  }
  return names;
}

export function parseDocument(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * GetPolicy and ListTargetsForPolicy; ListPolicyVersions only when `desired` is given and its
 * document differs from the default version's.
 */
export async function readPolicyDetail(
  api: IotApi,
  policyName: string,
  desired?: DesiredResourceOf<'Policy'>,
): Promise<PolicyDetail> {
  const [policy, listedTargets] = await Promise.all([
    api.send('GetPolicy', { policyName }),
    listAll(api, 'ListTargetsForPolicy', { policyName }, (page) => page.targets),
  ]);
  const document = parseDocument(policy.policyDocument);
  const defaultVersionId = policy.defaultVersionId ?? '';
  const targets = listedTargets.sort();
  const identity = policyIdentity(policy);
  const id = identity !== undefined ? { identity } : {};
  if (desired === undefined || sameDocument(document, desiredDocument(desired.spec))) return { document, defaultVersionId, targets, ...id };
  const versions = await api.send('ListPolicyVersions', { policyName });
  const versionIds = sortVersionIds((versions.policyVersions ?? []).flatMap((v) => (v.versionId === undefined ? [] : [v.versionId])));
  return { document, defaultVersionId, versionIds, targets, ...id };
}

/** The ownership ledger's identity of a policy: its creation time. */
export function policyIdentity(policy: { readonly creationDate?: Date | undefined }): string | undefined {
  return timeIdentity(policy.creationDate);
}

export async function readPolicies(ctx: ReadContext): Promise<PolicyLive[]> {
  const { api } = ctx;
  const policies = await listAll(api, 'ListPolicies', {}, (page) => page.policies);
  const listed = policies.flatMap((p) =>
    p.policyName !== undefined && p.policyArn !== undefined ? [{ name: p.policyName, arn: p.policyArn }] : [],
  );
  const named = policyNamesInFleet(ctx.desired);
  const declared = new Map<string, DesiredResourceOf<'Policy'>>();
  for (const r of ctx.desired.resources) if (r.kind === 'Policy') declared.set(r.name, r);
  const owner = await ownershipResolver(ctx, 'Policy', named);
  const live = await mapLimit(listed, READ_CONCURRENCY, async (p): Promise<PolicyLive | undefined> => {
    if (!(await owner.covers(p.name, p.arn))) return undefined;
    const detail = await unlessNotFound(() => readPolicyDetail(api, p.name, declared.get(p.name)));
    if (detail === undefined) return undefined;
    const { identity, ...state } = detail;
    const owned = await owner.resolve(p.name, p.arn, identity);
    if (owned === undefined || (owned.ownership !== 'managed' && !named.has(p.name))) return undefined;
    return { kind: 'Policy', name: p.name, ...owned, state: { arn: p.arn, ...state } };
  });
  return live.filter((p): p is PolicyLive => p !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function readPolicyIdentity(api: IotApi, policyName: string): Promise<string | undefined> {
  const out = await unlessNotFound(() => api.send('GetPolicy', { policyName }));
  return out === undefined ? undefined : policyIdentity(out);
}
