// Building blocks shared by the per-kind JSON Schemas (draft-07, the dialect yaml-language-server
// and ajv's default build understand best). Schemas are plain data; schemas/*.json are generated
// from them (see test/manifest/schemas.test.ts) so editors and the validator never disagree.

export type JsonSchema = Readonly<Record<string, unknown>>;

export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';
export const SCHEMA_BASE = 'https://iotops.dev/schemas/v1/';
export const API_VERSION = 'iotops/v1';

/** What AWS accepts as a resource's name: a pattern and a maximum length (the minimum is 1). */
export interface NameRule {
  readonly pattern: string;
  readonly maxLength: number;
}

/**
 * Name rules by AWS shape ([model] patterns and lengths, AWS-IOT-FACTS.md §2), plus the rule of
 * iotops's own local handles (certificates and ThingFleet generators, which AWS does not name).
 */
export const NAME_RULES = {
  ThingName: { pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  ThingTypeName: { pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  ThingGroupName: { pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  PolicyName: { pattern: '^[\\w+=,.@-]+$', maxLength: 128 },
  RuleName: { pattern: '^[a-zA-Z0-9_]+$', maxLength: 128 },
  JobId: { pattern: '^[a-zA-Z0-9_-]+$', maxLength: 64 },
  LocalHandle: { pattern: '^[a-zA-Z0-9:_.-]+$', maxLength: 128 },
  FleetIndexingName: { pattern: '^default$', maxLength: 7 },
} as const satisfies Readonly<Record<string, NameRule>>;

/** Attribute names and values as AWS accepts them; values are checked after variable substitution. */
export const ATTRIBUTE_NAME_PATTERN = '^[a-zA-Z0-9_.,@/:#-]+$';
export const ATTRIBUTE_VALUE_PATTERN = /^[a-zA-Z0-9_.,@/:#=[\]-]*$/;

const scalar = { type: ['string', 'number', 'boolean'] } as const;

/** A field naming a resource of `kind`, which AWS names by `rule`. */
export function nameRef(rule: NameRule, description: string): JsonSchema {
  return { type: 'string', description, minLength: 1, maxLength: rule.maxLength, pattern: rule.pattern };
}

export function nameList(kind: string, rule: NameRule, description: string): JsonSchema {
  return { type: 'array', description, items: nameRef(rule, `${kind} name`) };
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

/**
 * Tag keys as AWS accepts them: the [model]'s TagKey pattern `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`
 * (letters, separators, digits and `_.:/=+-@`, so no control characters), 1–128 characters, and not
 * starting with the reserved `aws:`. The [model]'s TagValue has no pattern, only 0–256 characters;
 * values reach the renderers escaped instead. Patterns use \p{…}: validators must compile them with
 * the `u` flag (ajv does by default).
 */
export const TAG_KEY_PATTERN = '^(?!aws:)([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;

const tags: JsonSchema = {
  type: 'object',
  description: 'AWS tags (≤ 50; keys 1–128 letters, digits, spaces and `_.:/=+-@`, not starting with `aws:`; values ≤ 256 characters)',
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: TAG_KEY_MAX_LENGTH, pattern: TAG_KEY_PATTERN },
  additionalProperties: { ...scalar, maxLength: TAG_VALUE_MAX_LENGTH },
};

/** How a kind presents itself in the fleet's documents; `envelope` turns it into the document's schema. */
export interface KindSchema {
  /** File name under schemas/ (what editors load through the `yaml-language-server` modeline). */
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly nameDescription: string;
  readonly spec: JsonSchema;
}

export interface EnvelopeProps extends KindSchema {
  readonly kind: string;
  readonly name: NameRule;
  readonly taggable: boolean;
}

export function envelope(p: EnvelopeProps): JsonSchema {
  const rule = p.name;
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

/** The `description` of groups, types and rules. */
export const descriptionSchema: JsonSchema = str('Free text (≤ 2028 characters)', { maxLength: 2028 });

/** A field AWS forbids for this kind; present only so editors flag it (validate reports a specific code). */
export function forbidden(description: string): JsonSchema {
  return { description, not: {} };
}
