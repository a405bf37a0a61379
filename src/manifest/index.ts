// src/manifest: fleet manifests → DesiredState.
//
//   fleet-files.ts   the only I/O: walk the fleet directory, read every file
//   build.ts         pure pipeline: config + variables → YAML documents → JSON Schema (ajv) →
//                    each kind's normalizer (Kind.manifest.normalize; ThingFleet expansion in
//                    thing-fleet.ts) → checks/ (duplicates, declared references, each kind's own
//                    rules) → sorted DesiredState
//   schema/          the JSON Schemas, assembled from the kinds (also schemas/*.json for editors)
//
// What a kind looks like in a fleet lives in its folder (src/kinds/<kind>/manifest.ts, spec.ts);
// the shapes shared by documents (positions, diagnostics, schema blocks) in src/document.
// Bad input never throws: every problem is a Diagnostic with file:line:column, and a state is
// returned only when there is no error.
import type { Diagnostic } from '../document/diagnostics.js';
import { buildDesiredState } from './build.js';
import { readFleetFiles } from './fleet-files.js';
import type { ContentCheckers } from '../document/normalize.js';
import type { DesiredState } from '../model/resource.js';
import { kindRegistry, type KindRegistry } from '../kinds/registry.js';
import { checkPolicyDocument } from '../lang/policy/index.js';
import { checkRuleAction, checkTopicRuleSql } from '../lang/sql/index.js';
import type { SchemaValidator } from './schema/validator.js';
import { createSchemaValidator } from './schema/validator.js';
import { finalizeDiagnostics } from '../document/diagnostics.js';

export type { Diagnostic, DiagnosticCode, Severity } from '../document/diagnostics.js';
export { DIAGNOSTIC_CODES, formatPath } from '../document/diagnostics.js';
export { buildDesiredState, fleetRevision } from './build.js';
export { readFleetFiles } from './fleet-files.js';
export type { FleetFile } from '../document/file-set.js';
export { createSchemaValidator } from './schema/validator.js';
export { DEFAULT_LIMITS, type LoadLimits } from './limits.js';
export { ENV_VAR_PREFIX, envAccess } from './variables.js';
import type { LoadLimits } from './limits.js';
export type { ContentCheckers } from '../document/normalize.js';

export interface LoadFleetProps {
  readonly dir: string;
  /** Selects env/NAME.yaml for `{{ var.* }}` values. */
  readonly env?: string;
  /** Source of `{{ env.* }}` values (usually process.env). */
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** Environment names allowed besides `IOTOPS_VAR_*` (the operator's --allow-env; never from the fleet). */
  readonly allowEnv?: readonly string[];
  /** The operator's size limits (defaults: DEFAULT_LIMITS). */
  readonly limits?: Partial<LoadLimits>;
  /** Reuse one validator across loads (the controller reloads on every revision). */
  readonly validator?: SchemaValidator;
  /** The kinds a fleet may declare (default: every registered kind). */
  readonly kinds?: KindRegistry;
}

export interface LoadFleetResult {
  /** Present only when there are no error diagnostics. */
  readonly state?: DesiredState;
  /** Sorted by file, line, column. */
  readonly diagnostics: Diagnostic[];
  /** Number of YAML manifest files in the fleet. */
  readonly manifestFiles: number;
}

export const contentCheckers: ContentCheckers = { checkPolicyDocument, checkTopicRuleSql, checkRuleAction };

export async function loadFleet(props: LoadFleetProps): Promise<LoadFleetResult> {
  const read = await readFleetFiles(props.dir, props.limits);
  if (read.diagnostics.some((d) => d.code === 'fleet-not-found')) return { diagnostics: [...read.diagnostics], manifestFiles: 0 };
  const built = buildDesiredState({
    files: read.files,
    ...(props.env === undefined ? {} : { env: props.env }),
    processEnv: props.processEnv,
    ...(props.allowEnv ? { allowEnv: props.allowEnv } : {}),
    ...(props.limits ? { limits: props.limits } : {}),
    checkers: contentCheckers,
    validator: props.validator ?? createSchemaValidator(props.kinds ?? kindRegistry),
    kinds: props.kinds ?? kindRegistry,
  });
  if (read.diagnostics.length === 0) return built;
  return { diagnostics: finalizeDiagnostics([...read.diagnostics, ...built.diagnostics]), manifestFiles: built.manifestFiles };
}
