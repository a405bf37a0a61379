// One JSON Schema per manifest kind, plus iotops.yaml and env/NAME.yaml. Limits that need context
// (attribute counts that depend on a type, reference checks, counts after de-duplication) are
// semantic checks in ../checks/, with their own diagnostic codes; descriptions mention them so an
// editor still shows the rule.
import { KIND_NAMES } from '../../model/resource.js';
import type { JsonSchema, SchemaKind } from './common.js';
import { SCHEMA_BASE, SCHEMA_DIALECT, attributes, envelope, forbidden, nameList, nameRef, object, str } from './common.js';

const description = str('Free text (≤ 2028 characters)', { maxLength: 2028 });

const thingSpecProps: Record<string, JsonSchema> = {
  type: nameRef('ThingType', 'ThingType name (declared in the fleet)'),
  attributes: attributes('Attributes: ≤ 3 without a type, ≤ 50 with one; values without spaces'),
  groups: nameList('ThingGroup', 'Static ThingGroup names (≤ 10 per thing)'),
};

const ruleAction: JsonSchema = {
  type: 'object',
  description: 'One AWS IoT rule action keyed by its type, e.g. `{ lambda: { functionArn: ... } }`',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: { type: 'object' },
};

const criteriaFailure = { enum: ['FAILED', 'REJECTED', 'TIMED_OUT', 'ALL'] };

export const KIND_SCHEMAS: Readonly<Record<SchemaKind, JsonSchema>> = {
  FleetIndexing: envelope({
    kind: 'FleetIndexing', file: 'fleet-indexing.schema.json', title: 'iotops FleetIndexing',
    description: 'Fleet indexing configuration (singleton named `default`); required by DynamicThingGroup',
    nameDescription: 'Always `default`', taggable: false,
    spec: object('Indexing configuration', {
      thingIndexingMode: { enum: ['OFF', 'REGISTRY', 'REGISTRY_AND_SHADOW'], description: 'What the thing index contains' },
      thingConnectivityIndexingMode: { enum: ['OFF', 'STATUS'], description: 'Index connectivity status (default OFF)' },
    }, ['thingIndexingMode']),
  }),
  ThingType: envelope({
    kind: 'ThingType', file: 'thing-type.schema.json', title: 'iotops ThingType',
    description: 'An AWS IoT thing type. Description and searchable attributes are immutable in AWS: changing them replaces the type',
    nameDescription: 'Thing type name: 1–128 of [a-zA-Z0-9:_-]', taggable: true,
    spec: object('Thing type properties', {
      description,
      searchableAttributes: { type: 'array', description: 'Searchable attribute names (≤ 3, a set)', items: str('Attribute name', { maxLength: 128, pattern: '^[a-zA-Z0-9_.,@/:#-]+$' }) },
      deprecated: { type: 'boolean', description: 'Deprecate the type (blocks new things from using it)' },
    }),
  }),
  ThingGroup: envelope({
    kind: 'ThingGroup', file: 'thing-group.schema.json', title: 'iotops ThingGroup',
    description: 'A static thing group. The parent is fixed at creation: changing it replaces the group',
    nameDescription: 'Group name: 1–128 of [a-zA-Z0-9:_-]', taggable: true,
    spec: object('Group properties', {
      parent: nameRef('ThingGroup', 'Parent ThingGroup (hierarchy depth ≤ 7)'),
      description,
      attributes: attributes('Group attributes (≤ 50)', 50),
      policies: nameList('Policy', 'IoT policies attached to the group'),
    }),
  }),
  DynamicThingGroup: envelope({
    kind: 'DynamicThingGroup', file: 'dynamic-thing-group.schema.json', title: 'iotops DynamicThingGroup',
    description: 'A thing group whose members are the things matching a fleet-indexing query. Needs a FleetIndexing document',
    nameDescription: 'Group name: 1–128 of [a-zA-Z0-9:_-]', taggable: true,
    spec: object('Dynamic group properties', {
      query: str('Fleet-indexing query, e.g. `attributes.battery < 20 AND thingTypeName:sensor`', { minLength: 1 }),
      description,
      attributes: attributes('Group attributes (≤ 50)', 50),
      parent: forbidden('Not allowed: dynamic groups cannot be part of a hierarchy'),
      policies: forbidden('Not allowed: AWS forbids attaching policies to dynamic groups'),
    }, ['query']),
  }),
  Thing: envelope({
    kind: 'Thing', file: 'thing.schema.json', title: 'iotops Thing',
    description: 'An AWS IoT thing (things cannot be tagged)',
    nameDescription: 'Thing name: 1–128 of [a-zA-Z0-9:_-]', taggable: false,
    spec: object('Thing properties', thingSpecProps),
  }),
  ThingFleet: envelope({
    kind: 'ThingFleet', file: 'thing-fleet.schema.json', title: 'iotops ThingFleet',
    description: 'A generator of many Things: `count` + `nameTemplate`, or `from` a CSV file (columns name, type, attributes.<key>..., groups separated by `;`)',
    nameDescription: 'A local handle for the generator (not an AWS name)', taggable: false,
    spec: object('Generator', {
      count: { type: 'integer', minimum: 1, maximum: 1000000, description: 'How many things to generate (index runs from 1 to count)' },
      from: str('CSV file relative to this manifest (header row: name, type, attributes.<key>..., groups)', { minLength: 1 }),
      nameTemplate: str('Thing name template: `{index}` or zero-padded `{index:04}`; with `from`, `{name}` is the CSV name', { minLength: 1 }),
      template: object('Fields merged into every generated thing (CSV values win; groups are combined)', thingSpecProps),
    }),
  }),
  Policy: envelope({
    kind: 'Policy', file: 'policy.schema.json', title: 'iotops Policy',
    description: 'An IoT policy. A changed document becomes a new default version (at most 5 are kept)',
    nameDescription: 'Policy name: 1–128 of [\\w+=,.@-]', taggable: true,
    spec: object('Exactly one of document or documentFile', {
      document: { type: ['object', 'string'], description: 'The policy document (YAML/JSON object, or JSON text)' },
      documentFile: str('JSON (or YAML) file with the document, relative to this manifest', { minLength: 1 }),
    }),
  }),
  Certificate: envelope({
    kind: 'Certificate', file: 'certificate.schema.json', title: 'iotops Certificate',
    description: 'A device X.509 certificate. Exactly one source: certificatePem, certificateFile, csrFile or generate',
    nameDescription: 'A local handle (AWS names certificates by id)', taggable: false,
    spec: object('Certificate', {
      certificatePem: str('PEM of an existing certificate (public part only)'),
      certificateFile: str('PEM file of an existing certificate, relative to this manifest'),
      caCertificateFile: str('PEM of the issuing CA (RegisterCertificate instead of RegisterCertificateWithoutCA)'),
      csrFile: str('PEM CSR: AWS signs it (CreateCertificateFromCsr); the private key stays on the device'),
      generate: { type: 'boolean', description: 'CreateKeysAndCertificate: the key goes to the secrets directory, never the fleet' },
      status: { enum: ['ACTIVE', 'INACTIVE', 'REVOKED'], description: 'Certificate status (default ACTIVE)' },
      things: nameList('Thing', 'Things this certificate is attached to'),
      policies: nameList('Policy', 'Policies attached to the certificate (≤ 10)'),
    }),
  }),
  TopicRule: envelope({
    kind: 'TopicRule', file: 'topic-rule.schema.json', title: 'iotops TopicRule',
    description: 'An IoT topic rule. Every change is a ReplaceTopicRule of the whole payload',
    nameDescription: 'Rule name: 1–128 of [a-zA-Z0-9_] (no hyphens, no dots)', taggable: true,
    spec: object('Rule', {
      sql: str('IoT SQL statement', { minLength: 1 }),
      sqlVersion: { enum: ['2015-10-08', '2016-03-23', 'beta'], description: 'IoT SQL version (default 2016-03-23; always sent explicitly)' },
      description,
      enabled: { type: 'boolean', description: 'Rule enabled (default true)' },
      actions: { type: 'array', description: '1–10 actions', items: ruleAction },
      errorAction: ruleAction,
    }, ['sql', 'actions']),
  }),
  Job: envelope({
    kind: 'Job', file: 'job.schema.json', title: 'iotops Job',
    description: 'An IoT job; metadata.name is the jobId. Document, targets and targetSelection are immutable',
    nameDescription: 'jobId: 1–64 of [a-zA-Z0-9_-]', taggable: true,
    spec: object('Job', {
      targets: object('Targets (at least one thing or group, ≤ 100 in all)', {
        things: nameList('Thing', 'Target things'),
        groups: nameList('ThingGroup', 'Target groups (static or dynamic)'),
      }),
      targetSelection: { enum: ['SNAPSHOT', 'CONTINUOUS'], description: 'SNAPSHOT (default) or CONTINUOUS' },
      document: { type: ['object', 'string'], description: 'Job document (object, or JSON text), ≤ 32 KB' },
      documentFile: str('JSON file with the job document, relative to this manifest', { minLength: 1 }),
      description,
      rollout: object('jobExecutionsRolloutConfig', {
        maximumPerMinute: { type: 'integer', minimum: 1, maximum: 1000 },
        exponentialRate: object('Exponential rollout', {
          baseRatePerMinute: { type: 'integer', minimum: 1, maximum: 1000 },
          incrementFactor: { type: 'number', minimum: 1.1, maximum: 5 },
          rateIncreaseCriteria: object('When to increase the rate', {
            numberOfNotifiedThings: { type: 'integer', minimum: 1 },
            numberOfSucceededThings: { type: 'integer', minimum: 1 },
          }),
        }, ['baseRatePerMinute', 'incrementFactor', 'rateIncreaseCriteria']),
      }),
      abort: object('abortConfig', {
        criteriaList: { type: 'array', minItems: 1, items: object('Abort criterion', {
          failureType: criteriaFailure,
          action: { enum: ['CANCEL'] },
          thresholdPercentage: { type: 'number', minimum: 0, maximum: 100 },
          minNumberOfExecutedThings: { type: 'integer', minimum: 1 },
        }, ['failureType', 'action', 'thresholdPercentage', 'minNumberOfExecutedThings']) },
      }, ['criteriaList']),
      timeout: object('timeoutConfig', { inProgressTimeoutInMinutes: { type: 'integer', minimum: 1, maximum: 10080 } }),
      retry: object('jobExecutionsRetryConfig', {
        criteriaList: { type: 'array', minItems: 1, maxItems: 2, items: object('Retry criterion', {
          failureType: { enum: ['FAILED', 'TIMED_OUT', 'ALL'] },
          numberOfRetries: { type: 'integer', minimum: 0, maximum: 10 },
        }, ['failureType', 'numberOfRetries']) },
      }, ['criteriaList']),
      status: { enum: ['active', 'cancelled'], description: 'active (default) or cancelled: cancelling is how a job is stopped' },
    }, ['targets']),
  }),
};

const varMap: JsonSchema = {
  type: 'object',
  description: 'Variables used as `{{ var.NAME }}` in manifests',
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' },
  additionalProperties: { type: ['string', 'number', 'boolean'] },
};

export const CONFIG_SCHEMA: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE}iotops-config.schema.json`,
  title: 'iotops.yaml',
  description: 'Fleet defaults at the fleet root; command-line flags win over these values',
  type: 'object',
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'iotops/v1', description: 'Optional; `iotops/v1`' },
    target: { enum: ['embedded', 'aws'], description: 'Default target (embedded emulator or AWS)' },
    region: str('AWS region, e.g. eu-central-1', { pattern: '^[a-z0-9-]+$' }),
    prune: { type: 'boolean', description: 'Delete managed resources that left the manifests (default false)' },
    adopt: { type: 'boolean', description: 'Adopt unmanaged live resources named by manifests (default false)' },
    maxDeletes: { type: 'integer', minimum: 0, description: 'Refuse to delete more than this many resources in one run (default 25)' },
    fleetId: str('Fleet identity written into ownership marks (default `iotops`)', { pattern: '^[a-zA-Z0-9:_-]{1,64}$' }),
    vars: varMap,
    ignore: {
      type: 'array',
      description: 'Resources iotops neither reports nor touches: `Kind/namePattern` globs',
      items: str('Kind/glob, e.g. `Thing/legacy-*`', { pattern: `^(${KIND_NAMES.join('|')}|\\*)/.+$` }),
    },
  },
};

export const ENV_SCHEMA: JsonSchema = {
  $schema: SCHEMA_DIALECT,
  $id: `${SCHEMA_BASE}iotops-env.schema.json`,
  title: 'env/NAME.yaml',
  description: 'Per-environment variables chosen with `--env NAME`; they override iotops.yaml `vars:`',
  type: 'object',
  additionalProperties: false,
  properties: { vars: varMap },
};

/** File name under schemas/ for every schema. */
export function schemaFiles(): ReadonlyArray<readonly [string, JsonSchema]> {
  const out: [string, JsonSchema][] = Object.values(KIND_SCHEMAS).map((s) => [String(s.$id).slice(SCHEMA_BASE.length), s]);
  out.push(['iotops-config.schema.json', CONFIG_SCHEMA], ['iotops-env.schema.json', ENV_SCHEMA]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
