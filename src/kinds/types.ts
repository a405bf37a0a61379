// The Kind interface: everything iotops knows about one AWS IoT resource kind lives in one
// module (src/kinds/<kind>) behind this interface, registered in src/kinds/registry.ts. The
// stages (live, plan, apply, session) reach a kind only through these members, never through
// its files. AWS quirks of a kind (5 policy versions, thing-type deprecation, job immutability)
// stay in that kind's module. Reading is list-based (never one describe per resource); comparing
// is pure.
import type { DesiredResourceOf, DesiredState, KindName } from '../model/resource.js';
import type { Blocked, ChangeAction, FieldChange, PlannedChange } from '../model/plan.js';
import type { LiveResource } from '../model/live.js';
import type { IotApi } from '../aws/iot-api.js';
import type { Emit } from '../document/context.js';
import type { Declared, NormalizeProps } from '../document/normalize.js';
import type { KindSchema, NameRule } from '../document/schema.js';
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

/**
 * The apply journal as a kind sees it (src/apply/journal.ts): a kind whose AWS call is not
 * idempotent notes its own sub-steps, one synchronous append each, so they survive a SIGKILL.
 * A note's shape is the kind's own; ids only, never key material.
 */
export interface StepNotes {
  note(kind: KindName, name: string, note: object): void;
}

export interface ApplyContext {
  readonly api: IotApi;
  readonly fleetId: string;
  /** Where CreateKeysAndCertificate's private keys go (mode 0600), never inside the fleet. */
  readonly secretsDir: string;
  readonly now: () => number;
  /** Absent when the run keeps no journal (tests; nothing is then recoverable after a crash). */
  readonly journal?: StepNotes;
}

/** A step an earlier apply began and never finished, as the journal recorded it. */
export interface InterruptedStep {
  readonly kind: KindName;
  readonly name: string;
  readonly action: ChangeAction;
  /** The plan's desired payload of the step (what it was about to create). */
  readonly desired?: unknown;
  /** The kind's notes written during the step, in order (see StepNotes). */
  readonly notes?: readonly unknown[];
}

export interface RecoveryContext {
  readonly api: IotApi;
  readonly fleetId: string;
  readonly secretsDir: string;
  /** The fleet being applied (a kind may refuse to take a declared resource for a leftover). */
  readonly desired?: DesiredState;
}

/** One thing a recovery did or refused to do, for the person running apply or the controller's log. */
export interface RecoveryNotice {
  readonly severity: 'info' | 'warning';
  /** Static text; the resources go in `subjects`. */
  readonly message: string;
  readonly subjects: readonly string[];
}

export interface KindRecovery {
  /** Subjects (names or ids) by what happened to them, e.g. `recovered`, `differs`, `deleted`. */
  readonly outcomes: Readonly<Record<string, readonly string[]>>;
  readonly notices: readonly RecoveryNotice[];
}

/** What deleting a managed live resource means now (a thing type must be deprecated, then wait). */
export interface DeletionCheck {
  readonly blocked?: Blocked;
  readonly notes?: readonly string[];
}

/**
 * A spec field that names other resources of the fleet. The live state of a kind uses the same
 * field names as its spec, so one declaration serves desired resources (create order), live ones
 * (delete order) and the kind graph (which kinds' deletes wait for which).
 */
export interface Reference {
  /** Path to a string or a list of strings, in the spec and in the live state. */
  readonly path: readonly string[];
  /** Kinds a name may refer to: each yields a `Kind/name` dependency (the graph keeps those the plan holds). */
  readonly to: readonly KindName[];
  /**
   * The kind's manifest check reports unknown names in this field itself, because a name there
   * can mean more than "declared or not" (a thing's group that is dynamic, a deprecated type).
   * Otherwise validate reports an undeclared name as `unknown-reference`.
   */
  readonly checkedByKind?: boolean;
}

/** The fleet as a kind's manifest checks see it, after normalization and de-duplication. */
export interface FleetView {
  /**
   * Whether the fleet declares `kind/name`. Documents that failed their own checks count: a
   * reference to them is not reported again, so one mistake yields one diagnostic.
   */
  has(kind: KindName, name: string): boolean;
  /** The valid declarations of a kind. */
  declared(kind: KindName): readonly Declared[];
  /** Whether some declaration of the kind failed its own checks (a rule relying on it stays quiet). */
  broken(kind: KindName): boolean;
  /** One computation per fleet shared by the checks of many resources (a group's hierarchy root). */
  memo<T>(key: string, compute: () => T): T;
}

/** How a kind is written in a fleet: validate and the loader use nothing else of it. */
export interface KindManifest<K extends KindName> {
  /** AWS's rule for `metadata.name`. */
  readonly name: NameRule;
  /** Its documents' JSON Schema (the envelope is added from `name` and Kind.taggable); also schemas/<file>. */
  readonly schema: KindSchema;
  /** A schema-valid document → the desired resource; problems go to `p.emit`, undefined when none can be built. */
  normalize(p: NormalizeProps): DesiredResourceOf<K> | undefined;
  /**
   * Its own rules over one declaration in the context of the fleet (quotas, references with a
   * special meaning). References are checked before, generically, from Kind.references.
   */
  check?(d: Declared, fleet: FleetView, emit: Emit): void;
  /** Rules over all its declarations at once (a group hierarchy: parents, cycles, depth); once per fleet. */
  checkAll?(declared: readonly Declared[], fleet: FleetView, emit: Emit): void;
}

export interface Kind<K extends KindName = KindName, L = unknown> {
  readonly kind: K;
  /** How the kind is written in the fleet: schema, normalizer and validate rules. */
  readonly manifest: KindManifest<K>;
  /** Whether AWS lets iotops tag it (ownership by `iotops:managed-by`). */
  readonly taggable: boolean;
  /** An account-wide setting that exists in every account: leaving the fleet only ends its management. */
  readonly neverDeleted?: boolean;
  /** Bulk, list-based read of the live resources in scope: managed ones and those the fleet names. */
  read(ctx: ReadContext): Promise<readonly LiveResource<K, L>[]>;
  /** Fields naming other resources (its type, groups, parent, policies, things ...): see Reference. */
  readonly references: readonly Reference[];
  /** Resources every resource of this kind depends on, whatever its spec (a dynamic group needs fleet indexing). */
  readonly fixedDependencies?: readonly string[];
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
  /**
   * Pure: what deleting this managed live resource means now (ctx.now injected), for kinds whose
   * deletion follows AWS rules beyond one call. Absent: a delete is never blocked by the kind.
   */
  checkDelete?(live: LiveResource<K, L>, ctx: CompareContext): DeletionCheck;
  /**
   * Finishes what interrupted steps of this kind left half-done, before the plan reads live
   * state, where the journal proves iotops started them. Absent: nothing to finish (a kind that
   * tags in its creating call carries its ownership proof from the first call on).
   */
  recover?(steps: readonly InterruptedStep[], ctx: RecoveryContext): Promise<KindRecovery>;
}
