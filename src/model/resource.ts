// DesiredState: what the fleet manifests say, after loading, schema validation, variable
// substitution, generator expansion and cross-reference checks. This is the contract between
// `manifest` (producer) and `plan` / `apply` (consumers). Pure data: no I/O, no classes.

/** Kinds that become AWS resources (`ThingFleet` is a generator and never appears here): those with a spec. */
export type KindName = keyof SpecOf & string;

/** Where a document (or a field of it) came from; `file` is relative to the fleet root, POSIX separators. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type StringMap = Readonly<Record<string, string>>;

/**
 * Each kind's spec, by kind name. Empty here: every kind adds its entry from its own folder
 * (src/kinds/<kind>/spec.ts augments this interface), so adding a kind never edits the model.
 */
export interface SpecOf {}

export interface DesiredResourceOf<K extends KindName> {
  readonly kind: K;
  /** AWS name (jobId for Job; a local handle for Certificate; `default` for FleetIndexing). */
  readonly name: string;
  /**
   * AWS tags, for kinds AWS can tag. Absent when the manifest has no `metadata.tags`: iotops then
   * leaves the resource's tags alone apart from its ownership mark. Present (even `{}`), the tag
   * set is iotops's: missing tags are set and extra ones removed.
   */
  readonly tags?: StringMap;
  readonly spec: SpecOf[K];
  readonly source: SourceRef;
}

export type DesiredResource = { [K in KindName]: DesiredResourceOf<K> }[KindName];

/** `iotops.yaml` at the fleet root, after merging flags over file values. */
export interface FleetConfig {
  readonly target?: 'embedded' | 'aws';
  readonly region?: string;
  /**
   * The repository's guards. They can only narrow what the operator's flags allow (see
   * session/plan-fleet.ts planConfig): `false` forbids, `true` or absent leaves it to the flag.
   */
  readonly prune?: boolean;
  readonly adopt?: boolean;
  /** A ceiling below the operator's --max-deletes, never above it. */
  readonly maxDeletes?: number;
  /** Fleet identity, written into ownership marks (`iotops:managed-by`). Defaults to `iotops`. */
  readonly fleetId: string;
  readonly vars: StringMap;
  /** Resources iotops must neither report nor touch: `Kind/namePattern` globs. */
  readonly ignore: readonly string[];
}

export interface DesiredState {
  /** Content digest of the fleet (sha256 over the sorted file paths and bytes), or the git sha when known. */
  readonly revision: string;
  readonly config: FleetConfig;
  /** Sorted by kind (KIND_NAMES order) then name. */
  readonly resources: readonly DesiredResource[];
}

export function resourceKey(r: { readonly kind: KindName; readonly name: string }): string {
  return `${r.kind}/${r.name}`;
}
