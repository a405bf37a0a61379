// The emulator's whole world: one account in one region. Plain data only, so the persistence
// layer can snapshot it to JSON (Maps and Sets are converted there). Every operation module
// reads and writes this through OpContext; nothing else holds state.
//
// Ownership of sections (who writes the operation handlers):
//   things, thingTypes, thingGroups, indexing, tags          → ops/things.ts, ops/thing-types.ts, ops/thing-groups.ts, ops/indexing.ts, ops/tags.ts
//   policies, certificates, thingPrincipals, topicRules, jobs → ops/policies.ts, ops/certificates.ts, ops/principals.ts, ops/topic-rules.ts, ops/jobs.ts

export interface ThingRecord {
  thingName: string;
  thingId: string;
  thingArn: string;
  thingTypeName?: string;
  attributes: Record<string, string>;
  version: number;
  billingGroupName?: string;
  /** Epoch ms. Creation order also decides dynamic-group precedence at the 10-group cap. */
  createdAt: number;
}

export interface ThingTypeRecord {
  thingTypeName: string;
  thingTypeId: string;
  thingTypeArn: string;
  description?: string;
  searchableAttributes: string[];
  mqtt5Configuration?: Record<string, unknown>;
  deprecated: boolean;
  /** Epoch ms of the last deprecation; deletion is allowed 5 minutes after it. */
  deprecationDate?: number;
  creationDate: number;
}

export interface ThingGroupRecord {
  thingGroupName: string;
  thingGroupId: string;
  thingGroupArn: string;
  /** Static groups only. */
  parentGroupName?: string;
  description?: string;
  attributes: Record<string, string>;
  version: number;
  creationDate: number;
  dynamic?: {
    queryString: string;
    queryVersion: string;
    indexName: string;
    status: 'ACTIVE' | 'BUILDING' | 'REBUILDING';
  };
  /** Member thing names: explicit members for static groups, query results for dynamic ones. */
  members: Set<string>;
}

export interface IndexingRecord {
  thingIndexingMode: 'OFF' | 'REGISTRY' | 'REGISTRY_AND_SHADOW';
  thingConnectivityIndexingMode: 'OFF' | 'STATUS';
  thingGroupIndexingMode: 'OFF' | 'ON';
  /** The rest of ThingIndexingConfiguration (managedFields, customFields, filter, ...), echoed back as given. */
  thingIndexingExtras?: Record<string, unknown>;
  /** The rest of ThingGroupIndexingConfiguration, echoed back as given. */
  thingGroupIndexingExtras?: Record<string, unknown>;
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createDate: number;
}

export interface PolicyRecord {
  policyName: string;
  policyArn: string;
  defaultVersionId: string;
  /** Version ids are numeric strings, increasing; at most 5 at a time. */
  versions: PolicyVersionRecord[];
  nextVersionId: number;
  creationDate: number;
  lastModifiedDate: number;
  /** Target ARNs (certificate ARNs, static thing-group ARNs, Cognito ids) this policy is attached to. */
  targets: Set<string>;
  /** Epoch ms of the last detach; DeletePolicy conflicts within securitySettings.detachPropagationMs of it. */
  lastDetachedAt?: number;
}

export type CertificateStatus =
  | 'ACTIVE'
  | 'INACTIVE'
  | 'REVOKED'
  | 'PENDING_TRANSFER'
  | 'REGISTER_INACTIVE'
  | 'PENDING_ACTIVATION';

export interface CertificateRecord {
  certificateId: string;
  certificateArn: string;
  certificatePem: string;
  caCertificateId?: string;
  status: CertificateStatus;
  creationDate: number;
  lastModifiedDate: number;
  certificateMode: 'DEFAULT' | 'SNI_ONLY';
  /** Epoch ms, read from the certificate itself. */
  notBefore: number;
  notAfter: number;
  /** Thing this certificate is attached to with thingPrincipalType EXCLUSIVE_THING, if any. */
  exclusiveThing?: string;
  /** Epoch ms of the last DetachThingPrincipal; DeleteCertificate conflicts within detachPropagationMs of it. */
  lastThingDetachedAt?: number;
}

export interface TopicRuleRecord {
  ruleName: string;
  ruleArn: string;
  sql: string;
  awsIotSqlVersion?: string;
  description?: string;
  ruleDisabled: boolean;
  actions: Record<string, unknown>[];
  errorAction?: Record<string, unknown>;
  createdAt: number;
  /** The FROM topic filter of `sql` (ListTopicRules' topicPattern and `topic` filter); absent without FROM. */
  topicPattern?: string;
}

export type JobStatus = 'IN_PROGRESS' | 'CANCELED' | 'COMPLETED' | 'DELETION_IN_PROGRESS' | 'SCHEDULED';
export type JobExecutionStatus =
  | 'QUEUED'
  | 'IN_PROGRESS'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'REJECTED'
  | 'REMOVED'
  | 'CANCELED';

export interface JobExecutionRecord {
  thingName: string;
  executionNumber: number;
  status: JobExecutionStatus;
  queuedAt: number;
  lastUpdatedAt: number;
  startedAt?: number;
  versionNumber: number;
  forceCanceled?: boolean;
}

export interface JobRecord {
  jobId: string;
  jobArn: string;
  targets: string[];
  targetSelection: 'SNAPSHOT' | 'CONTINUOUS';
  document: string;
  description?: string;
  status: JobStatus;
  forceCanceled?: boolean;
  reasonCode?: string;
  comment?: string;
  presignedUrlConfig?: Record<string, unknown>;
  jobExecutionsRolloutConfig?: Record<string, unknown>;
  abortConfig?: Record<string, unknown>;
  timeoutConfig?: Record<string, unknown>;
  jobExecutionsRetryConfig?: Record<string, unknown>;
  schedulingConfig?: Record<string, unknown>;
  createdAt: number;
  lastUpdatedAt: number;
  completedAt?: number;
  /** Keyed by thing name. */
  executions: Map<string, JobExecutionRecord>;
}

export interface EmulatorState {
  readonly accountId: string;
  readonly region: string;
  things: Map<string, ThingRecord>;
  thingTypes: Map<string, ThingTypeRecord>;
  thingGroups: Map<string, ThingGroupRecord>;
  indexing: IndexingRecord;
  policies: Map<string, PolicyRecord>;
  certificates: Map<string, CertificateRecord>;
  /** principal ARN → thing names attached to it (AttachThingPrincipal). */
  thingPrincipals: Map<string, Set<string>>;
  topicRules: Map<string, TopicRuleRecord>;
  jobs: Map<string, JobRecord>;
  /** resource ARN → tags, for taggable resources. */
  tags: Map<string, Map<string, string>>;
  /** Monotonic counter for ids that must be unique within the emulator. */
  sequence: number;
  /** The emulator's own CA that signs CreateKeysAndCertificate / CreateCertificateFromCsr; created on first use. */
  certificateAuthority?: CertificateAuthorityRecord;
  /** Knobs of the security operations; absent = AWS's steady state with instant propagation. */
  securitySettings?: SecuritySettings;
}

export interface SecuritySettings {
  /**
   * AWS needs time after DetachPolicy / DetachThingPrincipal before DeletePolicy / DeleteCertificate
   * succeed ("up to five minutes"); within this many ms of a detach they answer DeleteConflictException.
   * 0 or absent: detaches take effect at once.
   */
  detachPropagationMs?: number;
}

export interface CertificateAuthorityRecord {
  certificatePem: string;
  /** PKCS#8 PEM. The emulator is a test double: this key signs device certificates and nothing else. */
  privateKeyPem: string;
}

export function emptyState(accountId = '123456789012', region = 'us-east-1'): EmulatorState {
  return {
    accountId,
    region,
    things: new Map(),
    thingTypes: new Map(),
    thingGroups: new Map(),
    indexing: { thingIndexingMode: 'OFF', thingConnectivityIndexingMode: 'OFF', thingGroupIndexingMode: 'OFF' },
    policies: new Map(),
    certificates: new Map(),
    thingPrincipals: new Map(),
    topicRules: new Map(),
    jobs: new Map(),
    tags: new Map(),
    sequence: 0,
  };
}

export function arn(state: EmulatorState, resource: string): string {
  return `arn:aws:iot:${state.region}:${state.accountId}:${resource}`;
}
