// iotops.yaml (fleet defaults) and env/NAME.yaml (per-environment variables). Neither is a
// manifest: both are excluded from the resource walk. Their own values are literal (no
// `{{ }}` substitution), so a variable can never depend on another.
import type { Diagnostic } from '../document/diagnostics.js';
import type { FileSet } from '../document/file-set.js';
import type { FleetConfig } from '../model/resource.js';
import type { SchemaValidator, SchemaProblem } from './schema/validator.js';
import { diagAt, yamlLocator } from '../document/context.js';
import { parseYaml } from '../document/yaml-source.js';
import { MAX_WILDCARDS, wildcardCount } from '../lang/wildcard.js';

export const CONFIG_FILES = ['iotops.yaml', 'iotops.yml'] as const;
export const ENV_DIR = 'env';
const ENV_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export interface LoadedConfig {
  readonly config: FleetConfig;
  readonly diagnostics: readonly Diagnostic[];
}

/** Files that are configuration, not manifests. */
export function isConfigPath(path: string): boolean {
  return (CONFIG_FILES as readonly string[]).includes(path) || path.startsWith(`${ENV_DIR}/`);
}

function readYamlObject(
  files: FileSet,
  path: string,
  validate: (v: unknown) => SchemaProblem[],
  diagnostics: Diagnostic[],
): Record<string, unknown> | undefined {
  const file = files.files.find((f) => f.path === path);
  if (!file) return undefined;
  const text = files.text(file);
  if (!text.ok) {
    diagnostics.push({ severity: 'error', code: 'binary-file', file: path, line: 1, column: 1, message: `${path} is not UTF-8 text` });
    return {};
  }
  const parsed = parseYaml(path, text.text);
  diagnostics.push(...parsed.diagnostics);
  if (parsed.diagnostics.length) return {};
  const doc = parsed.documents[0];
  if (!doc) return {};
  const value = doc.doc.toJS() as unknown;
  const ctx = { locate: yamlLocator(doc.source, doc.doc.contents) };
  const problems = validate(value);
  for (const p of problems) diagnostics.push(diagAt(ctx, p.code, p.path, `${path}: ${p.message}`, { key: p.key }));
  if (parsed.documents.length > 1) {
    const extra = parsed.documents[1];
    diagnostics.push(diagAt({ locate: yamlLocator(extra.source, extra.doc.contents) }, 'schema', [], `${path} must hold a single YAML document`));
  }
  return problems.length || typeof value !== 'object' || value === null ? {} : (value as Record<string, unknown>);
}

/**
 * `ignore:` globs are matched against every planned key; their wildcards are bounded so a fleet
 * cannot hand the planner a pattern whose matching cost grows with it.
 */
function ignoreProblems(value: unknown): SchemaProblem[] {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { ignore?: unknown }).ignore)) return [];
  const problems: SchemaProblem[] = [];
  ((value as { ignore: unknown[] }).ignore).forEach((pattern, i) => {
    if (typeof pattern !== 'string') return;
    const n = wildcardCount(pattern);
    if (n <= MAX_WILDCARDS) return;
    problems.push({ code: 'pattern-too-complex', path: ['ignore', i], key: false, message: `ignore pattern has ${n} wildcards (* and ?); at most ${MAX_WILDCARDS} are allowed` });
  });
  return problems;
}

function stringVars(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

export function loadConfig(files: FileSet, validator: SchemaValidator, envName: string | undefined): LoadedConfig {
  const diagnostics: Diagnostic[] = [];
  const configPath = CONFIG_FILES.find((p) => files.files.some((f) => f.path === p));
  const raw = configPath ? (readYamlObject(files, configPath, (v) => [...validator.validateConfig(v), ...ignoreProblems(v)], diagnostics) ?? {}) : {};
  let vars = stringVars(raw.vars);
  if (envName !== undefined) {
    const candidates = [`${ENV_DIR}/${envName}.yaml`, `${ENV_DIR}/${envName}.yml`];
    const envPath = ENV_NAME.test(envName) ? candidates.find((p) => files.files.some((f) => f.path === p)) : undefined;
    if (!envPath) {
      diagnostics.push({ severity: 'error', code: 'env-not-found', file: candidates[0], line: 1, column: 1, message: `environment "${envName}" not found: expected ${candidates[0]} in the fleet` });
    } else {
      const envRaw = readYamlObject(files, envPath, (v) => validator.validateEnv(v), diagnostics) ?? {};
      vars = { ...vars, ...stringVars(envRaw.vars) };
    }
  }
  const config: FleetConfig = {
    ...(raw.target === undefined ? {} : { target: raw.target as FleetConfig['target'] }),
    ...(raw.region === undefined ? {} : { region: String(raw.region) }),
    ...(typeof raw.prune === 'boolean' ? { prune: raw.prune } : {}),
    ...(typeof raw.adopt === 'boolean' ? { adopt: raw.adopt } : {}),
    ...(typeof raw.maxDeletes === 'number' ? { maxDeletes: raw.maxDeletes } : {}),
    fleetId: typeof raw.fleetId === 'string' ? raw.fleetId : 'iotops',
    vars,
    ignore: Array.isArray(raw.ignore) ? raw.ignore.map(String) : [],
  };
  return { config, diagnostics };
}
