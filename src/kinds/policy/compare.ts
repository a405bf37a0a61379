// Policy compare (pure): documents are compared by meaning (canonicalPolicyDocument), so statement
// order, key order, string vs [string] and action-name case never show as drift. A changed
// document previews what the new default version grants and removes and, at AWS's 5-version cap,
// which old version the update deletes.
import type { DesiredResourceOf } from '../../model/resource.js';
import { canonicalPolicyDocument, policyPermissionDiff } from '../../lang/policy/index.js';
import type { Comparison } from '../types.js';
import type { PolicyLive } from './read.js';
import { parseDocument, sortVersionIds } from './read.js';
import { canonicalJson } from '../../model/canonical.js';
import { arnResource } from '../shared/arns.js';

export const MAX_POLICY_VERSIONS = 5;

/** The spec document as an object (a JSON-text document is parsed). */
export function desiredDocument(spec: { readonly document: unknown }): unknown {
  return typeof spec.document === 'string' ? parseDocument(spec.document) : spec.document;
}

export function sameDocument(a: unknown, b: unknown): boolean {
  return canonicalJson(canonicalPolicyDocument(a), 'as-sent') === canonicalJson(canonicalPolicyDocument(b), 'as-sent');
}

/** The version a new default version makes room for: the oldest non-default, when 5 exist. */
export function versionToPrune(versionIds: readonly string[], defaultVersionId: string): string | undefined {
  if (versionIds.length < MAX_POLICY_VERSIONS) return undefined;
  return sortVersionIds(versionIds).find((v) => v !== defaultVersionId);
}

/** "2 certificates and 1 thing group" for the targets a policy is attached to. */
export function describeTargets(targets: readonly string[]): string | undefined {
  if (targets.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const t of targets) {
    const type = arnResource(t)?.type;
    const label = type === 'cert' ? 'certificate' : type === 'thinggroup' ? 'thing group' : 'other principal';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const parts = [...counts].map(([label, n]) => `${n} ${label}${n === 1 ? '' : 's'}`);
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function comparePolicy(desired: DesiredResourceOf<'Policy'>, live: PolicyLive): Comparison {
  const after = desiredDocument(desired.spec);
  const before = live.state.document;
  if (sameDocument(before, after)) return { fields: [] };
  const notes: string[] = [`creates a new default version (current default: version ${live.state.defaultVersionId})`];
  const prune = versionToPrune(live.state.versionIds ?? [], live.state.defaultVersionId);
  if (prune !== undefined) {
    notes.push(`version ${prune} (the oldest non-default) will be deleted: the policy already has ${MAX_POLICY_VERSIONS} versions`);
  }
  const reach = describeTargets(live.state.targets);
  if (reach !== undefined) notes.push(`applies to ${reach} attached now (AWS caches policies for 6–8 minutes)`);
  const diff = policyPermissionDiff(before, after);
  for (const line of diff.granted) notes.push(`grants ${line}`);
  for (const line of diff.removed) notes.push(`removes ${line}`);
  return { fields: [{ path: 'document', before, after }], notes };
}
