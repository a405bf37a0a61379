// The Kind interface: everything iotops knows about one AWS IoT resource kind lives in one
// module (src/kinds/<kind>.ts) behind this interface, registered in src/kinds/registry.ts.
// AWS quirks of a kind (5 policy versions, thing-type deprecation, job immutability) stay in
// that kind's module. Reading is list-based (never one describe per resource); comparing is pure.
import type { DesiredResourceOf, DesiredState, KindName } from '../model/resource.js';
import type { Blocked, FieldChange, PlannedChange } from '../model/plan.js';
import type { LiveResource } from '../model/live.js';
import type { IotApi } from '../aws/iot-api.js';
import type { OwnershipLedger } from './shared/ownership-ledger.js';

export interface ReadContext {
  readonly api: IotApi;
  readonly fleetId: string;
  readonly desired: DesiredState;
  /** Live resources of another kind (memoized; readers run concurrently and may await each other, never in a cycle). */
  live<K extends KindName>(kind: K): Promise<readonly LiveResource<K>[]>;
  /** Static-group membership for a group (memoized ListThingsInThingGroup, non-recursive). */
  groupMembers(groupName: string): Promise<ReadonlySet<string>>;
  /** The fleet's ownership ledger (memoized: one DescribeThingGroup per plan). */
  ownershipLedger(): Promise<OwnershipLedger>;
}

export interface CompareContext {
  readonly desired: DesiredState;
  /** Live resources by kind, for cross-kind checks (e.g. a thing type still used by things). */
  readonly live: ReadonlyMap<KindName, readonly LiveResource[]>;
  /** Epoch ms; injected, never read from the clock inside kinds. */
  readonly now: number;
}

/** What `compare` finds between a desired resource and its live counterpart. */
export interface Comparison {
  readonly fields: readonly FieldChange[];
  /** Set when AWS cannot update in place: the change becomes a `replace` with this reason. */
  readonly replaceReason?: string;
  /** Set when AWS forbids the change outright (e.g. job document): shown, never applied. */
  readonly blocked?: Blocked;
  readonly notes?: readonly string[];
}

export interface ApplyContext {
  readonly api: IotApi;
  readonly fleetId: string;
  /** Where CreateKeysAndCertificate's private keys go (mode 0600), never inside the fleet. */
  readonly secretsDir: string;
  readonly now: () => number;
}

export interface Kind<K extends KindName = KindName, L = unknown> {
  readonly kind: K;
  /** Whether AWS lets iotops tag it (ownership by `iotops:managed-by`). */
  readonly taggable: boolean;
  /** Bulk, list-based read of the live resources in scope: managed ones and those the fleet names. */
  read(ctx: ReadContext): Promise<readonly LiveResource<K, L>[]>;
  /** `Kind/name` keys a desired resource depends on (its type, groups, parent, policies, things ...). */
  dependencies(desired: DesiredResourceOf<K>): readonly string[];
  /** Pure comparison of desired vs live spec (tags excluded: compared generically). Empty fields = in sync. */
  compare(desired: DesiredResourceOf<K>, live: LiveResource<K, L>, ctx: CompareContext): Comparison;
  /**
   * Extra notes for a create, update or replace of this kind (a dynamic group's membership
   * preview). Pure; `live` is undefined for a create. Never called for in-sync or blocked resources.
   */
  previewNotes?(desired: DesiredResourceOf<K>, live: LiveResource<K, L> | undefined, ctx: CompareContext): readonly string[];
  /**
   * The identity `read` puts in LiveResource.identity, read for one resource after apply created
   * it (taggable kinds; see shared/ownership-ledger.ts). Undefined when the resource is gone.
   */
  readIdentity?(api: IotApi, name: string): Promise<string | undefined>;
  /** Executes one planned change of this kind (create, update, replace, delete, adopt). */
  apply?(change: PlannedChange, ctx: ApplyContext): Promise<void>;
}
