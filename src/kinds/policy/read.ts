// Policy read: ListPolicies once, tags of every policy (the only ownership proof AWS offers;
// there is no bulk tag read), then GetPolicy + ListTargetsForPolicy only for policies in scope.
// Policies the fleet names are in scope whatever their tags, so their detail calls start at once,
// alongside the tag reads, instead of queueing behind them. ListPolicyVersions is read only when
// the default document differs from the desired one: the version list matters only when the
// update will create a new version (AWS's 5-version cap).
// The targets also answer the ThingGroup reader's `policies` (no ListAttachedPolicies per group).
import type { IotApi } from '../../aws/iot-api.js';
import type { DesiredResourceOf, DesiredState } from '../../manifest/model.js';
import { MANAGED_BY_TAG, type LiveResource, type ReadContext } from '../types.js';
import { allPagesByMarker, unlessNotFound } from './shared.js';
import { desiredDocument, sameDocument } from './compare.js';
import { mapLimit } from '../shared/aws-calls.js';
import { readTags } from '../shared/tags.js';

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

export type PolicyLive = LiveResource<'Policy', PolicyLiveState>;

const CONCURRENCY = 8;

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
): Promise<Omit<PolicyLiveState, 'arn'>> {
  const [policy, targetPages] = await Promise.all([
    api.send('GetPolicy', { policyName }),
    allPagesByMarker((marker) => api.send('ListTargetsForPolicy', { policyName, marker, pageSize: 250 })),
  ]);
  const document = parseDocument(policy.policyDocument);
  const defaultVersionId = policy.defaultVersionId ?? '';
  const targets = targetPages.flatMap((p) => p.targets ?? []).sort();
  if (desired === undefined || sameDocument(document, desiredDocument(desired.spec))) return { document, defaultVersionId, targets };
  const versions = await api.send('ListPolicyVersions', { policyName });
  const versionIds = sortVersionIds((versions.policyVersions ?? []).flatMap((v) => (v.versionId === undefined ? [] : [v.versionId])));
  return { document, defaultVersionId, versionIds, targets };
}

export async function readPolicies(ctx: ReadContext): Promise<PolicyLive[]> {
  const { api, fleetId } = ctx;
  const pages = await allPagesByMarker((marker) => api.send('ListPolicies', { marker, pageSize: 250 }));
  const listed = pages.flatMap((p) => p.policies ?? []).flatMap((p) =>
    p.policyName !== undefined && p.policyArn !== undefined ? [{ name: p.policyName, arn: p.policyArn }] : [],
  );
  const named = policyNamesInFleet(ctx.desired);
  const declared = new Map<string, DesiredResourceOf<'Policy'>>();
  for (const r of ctx.desired.resources) if (r.kind === 'Policy') declared.set(r.name, r);
  // Memoized so a named policy's detail, started next to the tag reads, is not read twice.
  const details = new Map<string, Promise<Omit<PolicyLiveState, 'arn'> | undefined>>();
  const detailOf = (name: string): Promise<Omit<PolicyLiveState, 'arn'> | undefined> => {
    let p = details.get(name);
    if (p === undefined) {
      p = unlessNotFound(() => readPolicyDetail(api, name, declared.get(name)));
      details.set(name, p);
    }
    return p;
  };
  const early = mapLimit(
    listed.filter((p) => named.has(p.name)),
    CONCURRENCY,
    (p) => detailOf(p.name),
  );
  const [, tagged] = await Promise.all([
    early,
    mapLimit(listed, CONCURRENCY, async (p) => {
      const tags = await unlessNotFound(() => readTags(api, p.arn));
      return tags === undefined ? undefined : { ...p, tags };
    }),
  ]);
  const inScope = tagged.flatMap((p) => (p !== undefined && (named.has(p.name) || p.tags[MANAGED_BY_TAG] === fleetId) ? [p] : []));
  const live = await mapLimit(inScope, CONCURRENCY, async (p): Promise<PolicyLive | undefined> => {
    const detail = await detailOf(p.name);
    if (detail === undefined) return undefined;
    return {
      kind: 'Policy',
      name: p.name,
      ownership: p.tags[MANAGED_BY_TAG] === fleetId ? 'managed' : 'unmanaged',
      tags: p.tags,
      state: { arn: p.arn, ...detail },
    };
  });
  return live.filter((p): p is PolicyLive => p !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
