// Live state: what the live stage read from AWS, normalized per kind so it compares with the
// desired spec, and the ownership marks that prove a live resource is a fleet's. Pure data.
import type { KindName } from './resource.js';

/**
 * Proof that iotops manages a live resource (DESIGN.md "Ownership and safety"):
 * - taggable kinds (ThingType, ThingGroup, DynamicThingGroup, Policy, TopicRule, Job): an entry
 *   with the resource's identity in the fleet's ownership ledger (shared/ownership-ledger.ts), or
 *   the tag `iotops:managed-by` = fleetId, which every such resource also carries;
 * - Thing: membership in the fleet's inventory static group `iotops-inventory-<fleetId>`;
 * - Certificate: attached to a managed thing (or, for certificates without things, recorded by id
 *   in the inventory group's attributes — see certificate.ts);
 * - FleetIndexing: a singleton iotops always manages when the fleet declares it (never deleted).
 */
export type Ownership = 'managed' | 'unmanaged';

export const MANAGED_BY_TAG = 'iotops:managed-by';

const INVENTORY_PREFIX = 'iotops-inventory-';

export function inventoryGroupName(fleetId: string): string {
  return `${INVENTORY_PREFIX}${fleetId}`;
}

/** The fleet id an inventory group belongs to, or undefined for any other group. */
export function inventoryFleetId(groupName: string): string | undefined {
  return groupName.startsWith(INVENTORY_PREFIX) && groupName.length > INVENTORY_PREFIX.length ? groupName.slice(INVENTORY_PREFIX.length) : undefined;
}

export const INVENTORY_GROUP_PREFIX = INVENTORY_PREFIX;

/** A live resource as read from AWS, normalized so it compares with the desired spec. JSON-serializable. */
export interface LiveResource<K extends KindName = KindName, L = unknown> {
  readonly kind: K;
  readonly name: string;
  readonly ownership: Ownership;
  /**
   * Live tags. Read only when needed (taggable kinds): the manifest declares tags, or ownership
   * rests on the tag because the ownership ledger does not prove it. Absent otherwise.
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Set on an unmanaged resource that carries another fleet's ownership mark: that fleet's id
   * (the planner blocks adopting it, see plan/diff.ts). Taggable kinds use their
   * `iotops:managed-by` tag instead; a thing's mark is membership in `iotops-inventory-<fleetId>`.
   */
  readonly ownedBy?: string;
  /**
   * What AWS assigned at creation and never reuses for a same-named successor (a group's id, a
   * policy's creation time ...): the ownership ledger records it. Kept out of the plan and its digest.
   */
  readonly identity?: string;
  /** Kind-specific normalized state (e.g. thing: type, attributes, static groups in scope, version). */
  readonly state: L;
}

/** Live resources by kind, as the live stage returns them and the planner consumes them. */
export type LiveState = ReadonlyMap<KindName, readonly LiveResource[]>;
