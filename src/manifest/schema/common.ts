// Building blocks shared by the per-kind JSON Schemas (draft-07, the dialect yaml-language-server
// and ajv's default build understand best). Schemas are plain data; schemas/*.json are generated
// from them (see test/manifest/schemas.test.ts) so editors and the validator never disagree.

export type JsonSchema = Readonly<Record<string, unknown>>;

export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';
export const SCHEMA_BASE = 'https://iotops.dev/schemas/v1/';
export const API_VERSION = 'iotops/v1';

/** AWS name rules per kind ([model] patterns and lengths, AWS-IOT-FACTS.md §2). */
export const NAME_RULES = {
  Thing: { pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  ThingType: { pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  ThingGroup: { pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  DynamicThingGroup: { pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  Policy: { pattern: '^[\\w+=,.@-]+$', maxLength: 128 },
  TopicRule: { pattern: '^[a-zA-Z0-9_]+$', maxLength: 128 },
  Job: { pattern: '^[a-zA-Z0-9_-]+$', maxLength: 64 },
  Certificate: { pattern: '^[a-zA-Z0-9:_.-]+$', maxLength: 128 },
  ThingFleet: { pattern: '^[a-zA-Z0-9:_.-]+$', maxLength: 128 },
  FleetIndexing: { pattern: '^default$', maxLength: 7 },
} as const;

export type SchemaKind = keyof typeof NAME_RULES;

/** Attribute names and values as AWS accepts them; values are checked after variable substitution. */
export const ATTRIBUTE_NAME_PATTERN = '^[a-zA-Z0-9_.,@/:#-]+$';
export const ATTRIBUTE_VALUE_PATTERN = /^[a-zA-Z0-9_.,@/:#=[\]-]*$/;

const scalar = { type: ['string', 'number', 'boolean'] } as const;

export function nameRef(kind: SchemaKind, description: string): JsonSchema {
  return { type: 'string', description, minLength: 1, maxLength: NAME_RULES[kind].maxLength, pattern: NAME_RULES[kind].pattern };
}

export function nameList(kind: SchemaKind, description: string): JsonSchema {
  return { type: 'array', description, items: nameRef(kind, `${kind} name`) };
}

export function attributes(description: string, maxProperties?: number): JsonSchema {
  return {
    type: 'object',
    description,
    ...(maxProperties === undefined ? {} : { maxProperties }),
    propertyNames: { maxLength: 128, pattern: ATTRIBUTE_NAME_PATTERN },
    additionalProperties: { ...scalar, description: 'Attribute value (≤ 800 characters, no spaces; numbers and booleans are written as text)' },
  };
}

const tags: JsonSchema = {
  type: 'object',
  description: 'AWS tags (≤ 50; keys ≤ 128 characters and not starting with `aws:`; values ≤ 256 characters)',
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 128, pattern: '^(?!aws:)' },
  additionalProperties: { ...scalar, maxLength: 256 },
};

export interface EnvelopeProps {
  readonly kind: SchemaKind;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly nameDescription: string;
  readonly taggable: boolean;
  readonly spec: JsonSchema;
}

export function envelope(p: EnvelopeProps): JsonSchema {
  const rule = NAME_RULES[p.kind];
  return {
    $schema: SCHEMA_DIALECT,
    $id: `${SCHEMA_BASE}${p.file}`,
    title: p.title,
    description: p.description,
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: API_VERSION, description: `Manifest format version; always \`${API_VERSION}\`` },
      kind: { const: p.kind, description: 'Resource kind' },
      metadata: {
        type: 'object',
        description: 'Identity of the resource',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', description: p.nameDescription, minLength: 1, maxLength: rule.maxLength, pattern: rule.pattern },
          ...(p.taggable ? { tags } : {}),
        },
      },
      spec: p.spec,
    },
  };
}

export function object(description: string, properties: Record<string, JsonSchema>, required: readonly string[] = []): JsonSchema {
  return { type: 'object', description, additionalProperties: false, ...(required.length ? { required } : {}), properties };
}

export function str(description: string, extra: Record<string, unknown> = {}): JsonSchema {
  return { type: 'string', description, ...extra };
}

/** A field AWS forbids for this kind; present only so editors flag it (validate reports a specific code). */
export function forbidden(description: string): JsonSchema {
  return { description, not: {} };
}
