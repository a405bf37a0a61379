// DesiredState: what the fleet manifests say, after loading, schema validation, variable
// substitution, generator expansion and cross-reference checks. This is the contract between
// `manifest` (producer) and `plan` / `apply` (consumers). Pure data: no I/O, no classes.

/** Kinds that become AWS resources. `ThingFleet` is a generator and never appears here. */
export type KindName =
  | 'FleetIndexing'
  | 'ThingType'
  | 'ThingGroup'
  | 'DynamicThingGroup'
  | 'Thing'
  | 'Policy'
  | 'Certificate'
  | 'TopicRule'
  | 'Job';

export const KIND_NAMES: readonly KindName[] = [
  'FleetIndexing',
  'ThingType',
  'ThingGroup',
  'DynamicThingGroup',
  'Thing',
  'Policy',
  'Certificate',
  'TopicRule',
  'Job',
];

/** Where a document (or a field of it) came from; `file` is relative to the fleet root, POSIX separators. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type StringMap = Readonly<Record<string, string>>;

export interface FleetIndexingSpec {
  readonly thingIndexingMode: 'OFF' | 'REGISTRY' | 'REGISTRY_AND_SHADOW';
  readonly thingConnectivityIndexingMode: 'OFF' | 'STATUS';
}

export interface ThingTypeSpec {
  readonly description?: string;
  /** A set: sorted, no duplicates. */
  readonly searchableAttributes: readonly string[];
  readonly deprecated: boolean;
}

export interface ThingGroupSpec {
  readonly parent?: string;
  readonly description?: string;
  readonly attributes: StringMap;
  /** Policy names attached to the group (sorted, unique). */
  readonly policies: readonly string[];
}

export interface DynamicThingGroupSpec {
  readonly query: string;
  readonly description?: string;
  readonly attributes: StringMap;
}

export interface ThingSpec {
  readonly type?: string;
  readonly attributes: StringMap;
  /** Static group names (sorted, unique). */
  readonly groups: readonly string[];
}

/** An IoT policy document, parsed from YAML/JSON (or the file `documentFile` points to). */
export interface PolicySpec {
  readonly document: Readonly<Record<string, unknown>>;
}

export type CertificateSource =
  /** An existing certificate (public part): RegisterCertificateWithoutCA, or RegisterCertificate when caPem is set. */
  | { readonly type: 'pem'; readonly certificatePem: string; readonly caCertificatePem?: string; readonly certificateId: string }
  /** CreateCertificateFromCsr; identity is the certificate whose public key matches the CSR's. */
  | { readonly type: 'csr'; readonly csrPem: string; readonly publicKeyPem: string }
  /** CreateKeysAndCertificate; the key goes to the secrets directory. */
  | { readonly type: 'generate' };

export interface CertificateSpec {
  readonly source: CertificateSource;
  readonly status: 'ACTIVE' | 'INACTIVE' | 'REVOKED';
  /** Thing names (sorted, unique). */
  readonly things: readonly string[];
  /** Policy names (sorted, unique). */
  readonly policies: readonly string[];
}

export type RuleAction = Readonly<Record<string, unknown>>;

export interface TopicRuleSpec {
  readonly sql: string;
  readonly sqlVersion: string;
  readonly description?: string;
  readonly enabled: boolean;
  readonly actions: readonly RuleAction[];
  readonly errorAction?: RuleAction;
}

export interface JobSpec {
  readonly targets: { readonly things: readonly string[]; readonly groups: readonly string[] };
  readonly targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  /** The job document as the JSON text sent to CreateJob. */
  readonly document: string;
  readonly description?: string;
  readonly rollout?: Readonly<Record<string, unknown>>;
  readonly abort?: Readonly<Record<string, unknown>>;
  readonly timeout?: Readonly<Record<string, unknown>>;
  readonly retry?: Readonly<Record<string, unknown>>;
  readonly status: 'active' | 'cancelled';
}

export interface SpecOf {
  readonly FleetIndexing: FleetIndexingSpec;
  readonly ThingType: ThingTypeSpec;
  readonly ThingGroup: ThingGroupSpec;
  readonly DynamicThingGroup: DynamicThingGroupSpec;
  readonly Thing: ThingSpec;
  readonly Policy: PolicySpec;
  readonly Certificate: CertificateSpec;
  readonly TopicRule: TopicRuleSpec;
  readonly Job: JobSpec;
}

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
  readonly prune: boolean;
  readonly adopt: boolean;
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
