// buildPlan: the pure diff between the desired state and the live state read from AWS. For every
// (kind, name) in desired ∪ live it decides create / update / replace / adopt / delete, applies
// the ownership and safety rules of DESIGN.md, and records what apply needs. No I/O, no clock.
import { resourceKey, type DesiredResource, type DesiredState, type KindName } from '../model/resource.js';
import { type CompareContext, type Kind } from '../kinds/types.js';
import { inventoryGroupName, MANAGED_BY_TAG, type LiveResource, type LiveState } from '../model/live.js';
import { summarize, type Blocked, type FieldChange, type Plan, type PlannedChange, type PlanWarning } from '../model/plan.js';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../model/canonical.js';
import { compareTags, createFields, desiredTags, ignoreMatcher } from './fields.js';
import { applyGraph } from './graph.js';
import { deletePhases, kindNames, kindRegistry, type KindRegistry } from '../kinds/registry.js';
import { referencedKeys } from '../kinds/shared/references.js';

/** Live resources by kind, as read by `readLive`. */

export const DEFAULT_MAX_DELETES = 25;

export interface PlanConfig {
  readonly prune: boolean;
  readonly adopt: boolean;
  /** Default 25. */
  readonly maxDeletes?: number;
  readonly fleetId: string;
  /**
   * Fleet ids whose resources may be adopted. A resource tagged `iotops:managed-by` with another
   * fleet's id is someone else's: adopting it is blocked unless that fleet is listed here.
   */
  readonly adoptFrom?: readonly string[];
  /** Guards the fleet's iotops.yaml turned off (`prune: false`, `adopt: false`); only the messages use it. */
  readonly forbiddenByFleet?: readonly ('prune' | 'adopt')[];
  /** `Kind/namePattern` globs of resources neither reported nor touched. */
  readonly ignore?: readonly string[];
}

export interface BuildPlanProps {
  readonly desired: DesiredState;
  readonly live: LiveState;
  readonly config: PlanConfig;
  /** Epoch ms, handed to Kind.compare (e.g. thing-type deprecation age). */
  readonly now: number;
  readonly kinds: KindRegistry;
}

/** Plans and digests list kinds in registry order (a display order; execution follows the graph). */
const kindOrder = new Map(kindNames(kindRegistry).map((k, i) => [k, i]));

/** A missing kind (a plan-wide warning) sorts first. */
function byKindThenName(a: { kind?: KindName | undefined; name: string }, b: { kind?: KindName | undefined; name: string }): number {
  const k = (a.kind === undefined ? 0 : (kindOrder.get(a.kind) ?? 0)) - (b.kind === undefined ? 0 : (kindOrder.get(b.kind) ?? 0));
  if (k !== 0) return k;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The digest `apply --plan` compares to refuse a plan whose live state moved. */
export function liveDigest(live: LiveState): string {
  const all = [...live.values()].flat().sort(byKindThenName);
  // Hashed resource by resource: one canonical string of 100,000 things would cost more memory than the things.
  const hash = createHash('sha256');
  // Identities (creation times, group ids) are bookkeeping for the ownership ledger, not state.
  for (const { identity: _identity, ...r } of all) hash.update(canonicalJson(r)).update('\n');
  return `sha256:${hash.digest('hex')}`;
}

export function buildPlan(props: BuildPlanProps): Plan {
  const { desired, live, config, kinds } = props;
  const fleetId = config.fleetId;
  const ignored = ignoreMatcher(config.ignore ?? []);
  const warnings: PlanWarning[] = [];
  const desiredByKey = new Map<string, DesiredResource>();
  const liveByKey = new Map<string, LiveResource>();
  for (const r of desired.resources) desiredByKey.set(resourceKey(r), r);
  for (const list of live.values()) for (const r of list) liveByKey.set(resourceKey(r), r);
  const known = new Set([...desiredByKey.keys(), ...liveByKey.keys()]);
  const ctx: CompareContext = { desired, live, now: props.now };

  const unsupported = new Map<KindName, number>();
  const changes: PlannedChange[] = [];
  const keys = [...known].sort();
  for (const key of keys) {
    const d = desiredByKey.get(key);
    const l = liveByKey.get(key);
    const kindName = (d ?? l)!.kind;
    if (ignored(key)) {
      if (d) warnings.push({ code: 'ignored-resource', message: 'declared in the fleet but matched by an ignore rule in iotops.yaml; not planned', kind: d.kind, name: d.name });
      continue;
    }
    const kind = kinds[kindName] as Kind | undefined;
    if (!kind) {
      if (d) unsupported.set(kindName, (unsupported.get(kindName) ?? 0) + 1);
      continue;
    }
    const existing = (deps: readonly string[]) => [...new Set(deps)].filter((k) => k !== key && known.has(k)).sort();
    if (d && !l) {
      const preview = kind.previewNotes?.(d as never, undefined, ctx) ?? [];
      changes.push({
        kind: d.kind,
        name: d.name,
        action: 'create',
        fields: createFields(d.spec, d.tags ?? {}),
        dependsOn: existing(referencedKeys(kind, d.spec)),
        ...(preview.length > 0 ? { notes: preview } : {}),
        desired: desiredPayload(d, kind, fleetId),
      });
      continue;
    }
    if (d && l) {
      const change = compareExisting({ d, l, kind, ctx, config });
      if (change) changes.push({ ...withPreview(change, { d, l, kind, ctx }), dependsOn: existing(referencedKeys(kind, d.spec)) });
      continue;
    }
    // Live only: a managed resource that left the fleet. Unmanaged ones are not ours to report;
    // an account-wide setting (fleet indexing) is never deleted.
    if (!l || l.ownership !== 'managed' || kind.neverDeleted) continue;
    const check = kind.checkDelete?.(l, ctx) ?? {};
    changes.push({
      kind: l.kind,
      name: l.name,
      action: 'delete',
      fields: [],
      reason: `managed by fleet "${fleetId}" but no longer in the fleet`,
      dependsOn: existing(referencedKeys(kind, l.state)),
      ...(check.blocked ? { blocked: check.blocked } : {}),
      ...(check.notes && check.notes.length > 0 ? { notes: check.notes } : {}),
      live: livePayload(l),
    });
  }

  for (const [kindName, count] of unsupported) {
    warnings.push({ code: 'kind-not-supported', message: `${count} ${kindName} resource(s) in the fleet are not planned: this version of iotops cannot read or change ${kindName} yet`, kind: kindName });
  }
  const guarded = guardDeletes({ changes, desired, config, warnings }).map(withKeyOrder);
  guarded.sort(byKindThenName);
  const graph = applyGraph(guarded, deletePhases(kinds));
  if (!graph.ok) warnings.push({ code: 'dependency-cycle', message: `the changes depend on each other in a cycle: ${graph.cycle.join(' -> ')}; apply will refuse this plan` });

  return {
    formatVersion: 1,
    revision: desired.revision,
    liveDigest: liveDigest(live),
    summary: summarize(guarded),
    changes: guarded,
    warnings: warnings.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : byKindThenName({ kind: a.kind, name: a.name ?? '' }, { kind: b.kind, name: b.name ?? '' }))),
  };
}

/** The contract's key order (kind, name, action, fields, …), so saved plans read the same for every action. */
function withKeyOrder(c: PlannedChange): PlannedChange {
  return {
    kind: c.kind,
    name: c.name,
    action: c.action,
    fields: c.fields,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    dependsOn: c.dependsOn,
    ...(c.blocked ? { blocked: c.blocked } : {}),
    ...(c.notes ? { notes: c.notes } : {}),
    ...(c.desired !== undefined ? { desired: c.desired } : {}),
    ...(c.live !== undefined ? { live: c.live } : {}),
  };
}

/** `tags` is present only when the manifest declares them: apply then makes the tag set exactly that. */
function desiredPayload(d: DesiredResource, kind: Kind, fleetId: string): unknown {
  return { ...(kind.taggable && d.tags !== undefined ? { tags: desiredTags(d.tags, fleetId) } : {}), spec: d.spec };
}

function livePayload(l: LiveResource): unknown {
  return { ownership: l.ownership, ...(l.tags !== undefined ? { tags: l.tags } : {}), state: l.state };
}

type ChangeWithoutDeps = Omit<PlannedChange, 'dependsOn'>;

/** Appends the kind's preview notes to an update or replace that will run (see Kind.previewNotes). */
function withPreview(change: ChangeWithoutDeps, p: { d: DesiredResource; l: LiveResource; kind: Kind; ctx: CompareContext }): ChangeWithoutDeps {
  if ((change.action !== 'update' && change.action !== 'replace') || change.blocked || !p.kind.previewNotes) return change;
  const preview = p.kind.previewNotes(p.d as never, p.l as never, p.ctx);
  return preview.length > 0 ? { ...change, notes: [...(change.notes ?? []), ...preview] } : change;
}

function compareExisting(p: { d: DesiredResource; l: LiveResource; kind: Kind; ctx: CompareContext; config: PlanConfig }): ChangeWithoutDeps | undefined {
  const { d, l, kind, config } = p;
  const cmp = kind.compare(d as never, l as never, p.ctx);
  const tagFields = kind.taggable ? tagChanges(d, l, config.fleetId) : [];
  const fields = [...cmp.fields, ...tagFields];
  const base = {
    kind: d.kind,
    name: d.name,
    fields,
    ...(cmp.notes && cmp.notes.length > 0 ? { notes: cmp.notes } : {}),
    desired: desiredPayload(d, kind, config.fleetId),
    live: livePayload(l),
  };

  if (l.ownership === 'unmanaged') {
    const owner = l.ownedBy ?? l.tags?.[MANAGED_BY_TAG];
    const otherFleet = owner !== undefined && owner !== '' && owner !== config.fleetId && !(config.adoptFrom ?? []).includes(owner) ? owner : undefined;
    // Another fleet's resource is reported as such even without --adopt: two fleets naming one
    // resource is a conflict the reviewer must see, not a missing flag.
    const blocked: Blocked | undefined = otherFleet !== undefined
      ? { code: 'owned-by-other-fleet', message: `it is managed by fleet "${otherFleet}" (${l.ownedBy !== undefined ? `member of ${inventoryGroupName(otherFleet)}` : `tag ${MANAGED_BY_TAG}`}); iotops never takes over another fleet's resources unless the operator runs with --adopt --adopt-from ${otherFleet}` }
      : !config.adopt
      ? { code: 'adopt-disabled', message: config.forbiddenByFleet?.includes('adopt') ? 'adopt: false in iotops.yaml forbids taking it over, even with --adopt' : 'run with --adopt to take it over' }
      : cmp.blocked ??
        (cmp.replaceReason ? { code: 'immutable-field', message: `adopting it would need a replacement (${cmp.replaceReason}); iotops never replaces what it does not manage` } : undefined);
    return {
      ...base,
      action: 'adopt',
      reason: `exists in AWS but is not managed by fleet "${config.fleetId}"`,
      ...(blocked ? { blocked } : {}),
    };
  }

  if (cmp.blocked) {
    return { ...base, action: cmp.replaceReason ? 'replace' : 'update', reason: cmp.replaceReason ?? cmp.blocked.message, blocked: cmp.blocked };
  }
  if (cmp.replaceReason) return { ...base, action: 'replace', reason: cmp.replaceReason };
  if (fields.length > 0) return { ...base, action: 'update' };
  return undefined;
}

/**
 * Tags are compared only where the manifest declares them (the reader then reads them too).
 * Otherwise only an adopt shows one: the ownership mark it adds (its tags were read to decide
 * ownership).
 */
function tagChanges(d: DesiredResource, l: LiveResource, fleetId: string): FieldChange[] {
  if (d.tags !== undefined) return compareTags(desiredTags(d.tags, fleetId), l.tags ?? {});
  if (l.ownership !== 'unmanaged') return [];
  const before = l.tags?.[MANAGED_BY_TAG];
  return [{ path: `tags.${MANAGED_BY_TAG}`, ...(before !== undefined ? { before } : {}), after: fleetId }];
}

/**
 * Prune rules: deletes need --prune (and no `prune: false` in iotops.yaml), never happen when the fleet is empty, never more than
 * maxDeletes at once. Without --prune or with an empty fleet every delete shows that reason; a
 * delete the kind itself refuses (a thing type still in use) otherwise keeps its own.
 */
function guardDeletes(p: { changes: PlannedChange[]; desired: DesiredState; config: PlanConfig; warnings: PlanWarning[] }): PlannedChange[] {
  const { changes, config, warnings } = p;
  const deletes = changes.filter((c) => c.action === 'delete');
  if (deletes.length === 0) return changes;
  const block = (blocked: Blocked, all: boolean) =>
    changes.map((c) => (c.action === 'delete' && (all || !c.blocked) ? { ...c, blocked } : c));
  if (!config.prune) {
    const message = config.forbiddenByFleet?.includes('prune') ? 'pruning is off: prune: false in iotops.yaml forbids deletes, even with --prune' : 'pruning is off: run with --prune to delete it';
    return block({ code: 'prune-disabled', message }, true);
  }
  if (p.desired.resources.length === 0) {
    warnings.push({ code: 'empty-fleet', message: `the fleet produced no resources; ${deletes.length} delete(s) refused` });
    return block({ code: 'empty-fleet', message: 'the fleet produced no resources; iotops refuses to delete anything (a broken checkout must not erase a fleet)' }, true);
  }
  const runnable = deletes.filter((c) => !c.blocked).length;
  const maxDeletes = config.maxDeletes ?? DEFAULT_MAX_DELETES;
  if (runnable <= maxDeletes) return changes;
  warnings.push({ code: 'max-deletes', message: `${runnable} deletes exceed the limit of ${maxDeletes} per run; none will be applied (raise --max-deletes to allow them)` });
  return block({ code: 'max-deletes', message: `${runnable} deletes exceed the limit of ${maxDeletes} per run (--max-deletes, or maxDeletes: in iotops.yaml when lower)` }, false);
}
