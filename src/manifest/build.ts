// The pure pipeline from fleet files to DesiredState: config and variables, YAML documents,
// schema validation, per-kind normalization (including ThingFleet expansion), duplicate and
// cross-reference checks. No file system, no clock: the loader passes the files in.
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../document/diagnostics.js';
import { finalizeDiagnostics, hasErrors, sanitizeDiagnostics } from '../document/diagnostics.js';
import type { DocContext, Emit } from '../document/context.js';
import { diagAt } from '../document/context.js';
import { createFileView } from './file-view.js';
import type { FileView } from './file-view.js';
import { checkFleet } from './checks/index.js';
import { dropDuplicates } from './checks/duplicates.js';
import { isConfigPath, loadConfig } from './config.js';
import { createFileSet } from '../document/file-set.js';
import type { FileSet } from '../document/file-set.js';
import type { FleetFile } from '../document/file-set.js';
import { expandThingFleet } from './thing-fleet.js';
import type { ContentCheckers, Declared, NormalizeProps } from '../document/normalize.js';
import { stringMap } from '../document/normalize.js';
import type { DesiredResource, DesiredState, KindName } from '../model/resource.js';
import { kindNames, type KindRegistry } from '../kinds/registry.js';
import type { SchemaValidator } from './schema/validator.js';
import { isYamlFile } from '../document/yaml-source.js';
import { parseYamlValues } from './yaml-values.js';
import type { YamlValueDocument } from './yaml-values.js';
import { substituteVariables } from './variables.js';
import { documentOverflow, withDefaults, type LoadLimits } from './limits.js';

export interface BuildProps {
  readonly files: readonly FleetFile[];
  readonly env?: string;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** Environment names allowed besides `IOTOPS_VAR_*` (operator's --allow-env; AWS_* and IOTOPS_GIT_* never). */
  readonly allowEnv?: readonly string[];
  readonly limits?: Partial<LoadLimits>;
  readonly checkers: ContentCheckers;
  readonly validator: SchemaValidator;
  /** The kinds a fleet may declare: their schemas, normalizers and validate rules. */
  readonly kinds: KindRegistry;
}

export interface BuildResult {
  readonly state?: DesiredState;
  readonly diagnostics: Diagnostic[];
  /** Number of YAML manifest files read (for summaries). */
  readonly manifestFiles: number;
}

const PRIVATE_KEY = /-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/;

/** sha256 over (path, length, bytes) of every file in path order: any rename or edit changes it. */
export function fleetRevision(files: readonly FleetFile[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(`${f.path}\0${f.bytes.length}\0`);
    h.update(f.bytes);
  }
  return `sha256:${h.digest('hex')}`;
}

function scanPrivateKeys(files: readonly FleetFile[], emit: Emit): void {
  for (const f of files) {
    const buf = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    const hint = buf.indexOf('PRIVATE KEY-----');
    if (hint < 0) continue;
    const window = buf.toString('latin1', Math.max(0, hint - 40), hint + 16);
    const m = PRIVATE_KEY.exec(window);
    if (!m) continue;
    const offset = Math.max(0, hint - 40) + m.index;
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) if (buf[i] === 10) (line++, (lineStart = i + 1));
    emit({
      severity: 'error', code: 'private-key-in-fleet', file: f.path, line, column: offset - lineStart + 1,
      message: `${f.path} contains a private key: private keys must never be committed to the fleet repository (keep them on the device or in the secrets directory)`,
    });
  }
}

function sortResources(list: DesiredResource[], kinds: KindRegistry): DesiredResource[] {
  const order = new Map(kindNames(kinds).map((k, i) => [k, i]));
  return list.sort((a, b) => {
    const k = (order.get(a.kind) as number) - (order.get(b.kind) as number);
    if (k !== 0) return k;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

interface DocState {
  readonly declared: Declared[];
  readonly broken: { kind: KindName; name: string }[];
  documents: number;
  /** Things declared so far (Thing documents and ThingFleet expansions), against limits.maxThings. */
  things: number;
  readonly limits: LoadLimits;
  /** Environment values substituted so far: redacted from every diagnostic. */
  readonly secrets: string[];
}

function processDocument(
  view: FileView,
  d: YamlValueDocument,
  props: BuildProps,
  files: FileSet,
  vars: Readonly<Record<string, string>>,
  st: DocState,
  emit: Emit,
): void {
  const file = view.file;
  if (d.errors) {
    for (const e of d.errors) {
      const at = view.position(e.offset);
      emit({ severity: 'error', code: 'yaml-syntax', file, line: at.line, column: at.column, message: e.message });
    }
    return;
  }
  const start = view.position(d.start ?? 0);
  if (d.aliasError !== undefined) {
    st.documents++;
    emit({ severity: 'error', code: 'yaml-syntax', file, line: start.line, column: start.column, message: d.aliasError });
    return;
  }
  // Empty documents (a comment-only file, `---` twice) are not resources.
  if (d.empty || d.value === null || d.value === undefined) return;
  st.documents++;
  const { value, problems, cycle, substitutedEnv } = substituteVariables(d.value, { vars, env: props.processEnv, ...(props.allowEnv ? { allowEnv: props.allowEnv } : {}) });
  for (const s of substitutedEnv) st.secrets.push(s);
  if (cycle) {
    const at = view.context(d.index, start).locate(cycle).at;
    emit({ severity: 'error', code: 'yaml-syntax', file, line: at.line, column: at.column, message: 'recursive alias: a value refers to one of its own ancestors' });
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    emit({ severity: 'error', code: 'not-a-document', file, line: start.line, column: start.column, message: 'a manifest document must be a mapping with apiVersion, kind, metadata and spec' });
    return;
  }
  const doc = value as Record<string, unknown>;
  const kind = typeof doc.kind === 'string' ? doc.kind : undefined;
  const meta = doc.metadata as Record<string, unknown> | undefined;
  const name = typeof meta?.name === 'string' ? meta.name : undefined;
  const ctx: DocContext = view.context(d.index, start, kind, name);
  for (const p of problems) emit(diagAt(ctx, p.code, p.path, p.message));
  if (kind === undefined || !props.validator.kinds.includes(kind)) {
    const known = props.validator.kinds.join(', ');
    emit(diagAt(ctx, 'unknown-kind', ['kind'], kind === undefined ? `missing kind (one of ${known})` : `unknown kind "${kind}" (expected one of ${known})`));
    return;
  }
  // With an undefined variable the value is the raw `{{ }}` text: schema errors on it would only repeat the problem.
  const schemaProblems = problems.length ? [] : props.validator.validateKind(kind, doc);
  for (const p of schemaProblems) emit(diagAt(ctx, p.code, p.path, p.message, { key: p.key }));
  const markBroken = (): void => {
    if (name !== undefined && kind !== 'ThingFleet') st.broken.push({ kind: kind as KindName, name });
  };
  // Unknown fields and bad names leave a well-typed document: keep checking it so one run
  // reports its other mistakes too. Any other schema error makes the values untrustworthy.
  const fatal = schemaProblems.some((p) => p.code !== 'unknown-field' && p.code !== 'name-pattern');
  if (problems.length || fatal || name === undefined) {
    markBroken();
    return;
  }
  let failed = false;
  const np: NormalizeProps = {
    file,
    name,
    tags: meta?.tags === undefined || meta.tags === null ? undefined : stringMap(meta.tags),
    spec: doc.spec as Record<string, unknown>,
    ctx,
    source: { file, line: start.line, column: start.column },
    files,
    emit: (diag) => {
      if (diag.severity === 'error') failed = true;
      emit(diag);
    },
    checkers: props.checkers,
  };
  if (kind === 'ThingFleet') {
    const planned = np.spec.count === undefined ? 0 : Number(np.spec.count);
    if (st.things + planned > st.limits.maxThings) {
      emit(diagAt(ctx, 'too-many-things', ['spec', 'count'], tooManyThings(st)));
      return;
    }
    const expanded = expandThingFleet(np);
    if (st.things + expanded.length > st.limits.maxThings) {
      emit(diagAt(ctx, 'too-many-things', ['spec', 'from'], tooManyThings(st)));
      return;
    }
    st.things += expanded.length;
    // A loop, not push(...expanded): spreading 125,000+ arguments overflows the call stack.
    for (const d of expanded) st.declared.push(d);
    return;
  }
  if (kind === 'Thing' && ++st.things > st.limits.maxThings) {
    emit(diagAt(ctx, 'too-many-things', ['metadata', 'name'], tooManyThings(st)));
    return;
  }
  const resource: DesiredResource | undefined = props.kinds[kind as KindName]?.manifest.normalize(np);
  if (resource && !failed) st.declared.push({ resource, ctx, raw: np.spec });
  else markBroken();
}

function tooManyThings(st: DocState): string {
  return `the fleet declares more than ${st.limits.maxThings} things (the limit); the operator can raise it with --max-things <n>`;
}

export function buildDesiredState(props: BuildProps): BuildResult {
  const all: Diagnostic[] = [];
  const emit: Emit = (d) => void all.push(d);
  const files = createFileSet(props.files);
  scanPrivateKeys(props.files, emit);
  const { config, diagnostics: configDiags } = loadConfig(files, props.validator, props.env);
  all.push(...configDiags);
  const st: DocState = { declared: [], broken: [], documents: 0, things: 0, limits: withDefaults(props.limits), secrets: [] };
  let manifestFiles = 0;
  for (const f of props.files) {
    if (!isYamlFile(f.path) || isConfigPath(f.path)) continue;
    manifestFiles++;
    const text = files.text(f);
    if (!text.ok) {
      emit({ severity: 'error', code: 'binary-file', file: f.path, line: 1, column: 1, message: `${f.path} is not UTF-8 text (binary content in a .yaml file)` });
      continue;
    }
    const view = createFileView(f.path, text.text);
    const overflow = documentOverflow(text.text, st.limits.maxDocumentsPerFile);
    if (overflow >= 0) {
      const at = view.position(overflow);
      const max = st.limits.maxDocumentsPerFile;
      emit({ severity: 'error', code: 'too-many-documents', file: f.path, line: at.line, column: at.column, message: `${f.path} holds more than ${max} YAML documents (the limit); split the file, or the operator can raise it with --max-documents <n>` });
      continue;
    }
    let docs: readonly YamlValueDocument[];
    try {
      docs = parseYamlValues(text.text);
    } catch (err) {
      emit({ severity: 'error', code: 'internal-error', file: f.path, line: 1, column: 1, message: `iotops failed to parse this file (please report): ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    for (const d of docs) {
      try {
        processDocument(view, d, props, files, config.vars, st, emit);
      } catch (err) {
        // A bug must not hide the other documents' diagnostics or surface as a stack trace.
        const at = view.position(d.start ?? 0);
        emit({ severity: 'error', code: 'internal-error', file: f.path, line: at.line, column: at.column, message: `iotops failed on this document (please report): ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` });
      }
    }
  }
  const unique = dropDuplicates(st.declared, emit);
  checkFleet(unique, st.broken, props.kinds, emit);
  if (st.documents === 0) {
    emit({ severity: 'error', code: 'empty-fleet', file: '.', line: 1, column: 1, message: 'the fleet declares no resources (no manifest documents found)' });
  }
  const diagnostics = finalizeDiagnostics(sanitizeDiagnostics(all, st.secrets));
  if (hasErrors(diagnostics)) return { diagnostics, manifestFiles };
  const state: DesiredState = {
    revision: fleetRevision(props.files),
    config,
    resources: sortResources(unique.map((d) => d.resource), props.kinds),
  };
  return { state, diagnostics, manifestFiles };
}
