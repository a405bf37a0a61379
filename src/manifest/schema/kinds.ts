// One JSON Schema per document kind (each registered kind brings its own: Kind.manifest.schema;
// the ThingFleet generator's is here), plus iotops.yaml and env/NAME.yaml. Limits that need
// context (attribute counts that depend on a type, reference checks, counts after de-duplication)
// are semantic checks with their own diagnostic codes; descriptions mention them so an editor
// still shows the rule.
import type { JsonSchema, NameRule } from '../../document/schema.js';
import { NAME_RULES, SCHEMA_BASE, SCHEMA_DIALECT, envelope, object, str } from '../../document/schema.js';
import { kindNames, kindRegistry, type KindRegistry } from '../../kinds/registry.js';

/** A ThingFleet's `template` takes the fields of a Thing's spec, as the Thing kind declares them. */
const thingSpecProperties = (kindRegistry.Thing!.manifest.schema.spec as { readonly properties: Record<string, JsonSchema> }).properties;

/** Kinds that are no AWS resource: generators expanded by the loader. */
const GENERATOR_SCHEMAS: Readonly<Record<string, { readonly name: NameRule; readonly schema: JsonSchema }>> = {
  ThingFleet: {
    name: NAME_RULES.LocalHandle,
    schema: envelope({
      kind: 'ThingFleet', name: NAME_RULES.LocalHandle, file: 'thing-fleet.schema.json', title: 'iotops ThingFleet',
      description: 'A generator of many Things: `count` + `nameTemplate`, or `from` a CSV file (columns name, type, attributes.<key>..., groups separated by `;`)',
      nameDescription: 'A local handle for the generator (not an AWS name)', taggable: false,
      spec: object('Generator', {
        count: { type: 'integer', minimum: 1, maximum: 1000000, description: 'How many things to generate (index runs from 1 to count)' },
        from: str('CSV file relative to this manifest (header row: name, type, attributes.<key>..., groups)', { minLength: 1 }),
        nameTemplate: str('Thing name template: `{index}` or zero-padded `{index:04}`; with `from`, `{name}` is the CSV name', { minLength: 1 }),
        template: object('Fields merged into every generated thing (CSV values win; groups are combined)', thingSpecProperties),
      }),
    }),
  },
};

/** Every document kind's name rule and schema: the registered kinds (from their modules), then the generators. */
export function documentSchemas(registry: KindRegistry): ReadonlyMap<string, { readonly name: NameRule; readonly schema: JsonSchema }> {
  const out = new Map<string, { name: NameRule; schema: JsonSchema }>();
  for (const kind of kindNames(registry)) {
    const k = registry[kind]!;
    out.set(kind, { name: k.manifest.name, schema: envelope({ ...k.manifest.schema, kind, name: k.manifest.name, taggable: k.taggable }) });
  }
  for (const [kind, g] of Object.entries(GENERATOR_SCHEMAS)) out.set(kind, g);
  return out;
}

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
    prune: { type: 'boolean', description: 'false forbids deletes even with --prune; true alone does nothing (deletes need the operator\'s --prune)' },
    adopt: { type: 'boolean', description: 'false forbids adopting even with --adopt; true alone does nothing (adopts need the operator\'s --adopt)' },
    maxDeletes: { type: 'integer', minimum: 0, description: 'Lowers the delete limit of one run below --max-deletes (default 25); never raises it' },
    fleetId: str('Fleet identity written into ownership marks (default `iotops`); must equal the operator\'s --fleet-id / IOTOPS_FLEET_ID when set', { pattern: '^[a-zA-Z0-9:_-]{1,64}$' }),
    vars: varMap,
    ignore: {
      type: 'array',
      description: 'Resources iotops neither reports nor touches: `Kind/namePattern` globs',
      items: str('Kind/glob, e.g. `Thing/legacy-*`', { pattern: `^(${kindNames(kindRegistry).join('|')}|\\*)/.+$` }),
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
  const out: [string, JsonSchema][] = [...documentSchemas(kindRegistry).values()].map(({ schema }) => [String(schema.$id).slice(SCHEMA_BASE.length), schema]);
  out.push(['iotops-config.schema.json', CONFIG_SCHEMA], ['iotops-env.schema.json', ENV_SCHEMA]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
