// Generates src/emulator/protocol/routes.json from @aws-sdk/client-iot's own operation schemas,
// so the emulator serves exactly the HTTP bindings the SDK uses while importing no SDK at runtime.
// Run after upgrading the SDK:  npx tsx scripts/gen-emulator-routes.ts
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RouteTable, ErrorTable, OperationRoute, ScalarKind, BindingType } from '../src/emulator/protocol/route-types.js';

const require = createRequire(import.meta.url);
const iot = require('@aws-sdk/client-iot') as Record<string, unknown>;
const { NormalizedSchema } = require('@smithy/core/schema') as {
  NormalizedSchema: { of(ref: unknown): Schema };
};

interface Schema {
  structIterator(): Iterable<[string, Schema]>;
  getMergedTraits(): Record<string, unknown>;
  isStructSchema(): boolean;
  isListSchema(): boolean;
  isMapSchema(): boolean;
  isTimestampSchema(): boolean;
  isNumericSchema(): boolean;
  isBooleanSchema(): boolean;
  isBlobSchema(): boolean;
  isUnitSchema(): boolean;
  isDocumentSchema(): boolean;
  getValueSchema(): Schema;
  getName(withNamespace?: boolean): string;
}

function scalarKind(s: Schema): ScalarKind {
  if (s.isTimestampSchema()) return 'timestamp';
  if (s.isBooleanSchema()) return 'boolean';
  if (s.isNumericSchema()) return 'number';
  return 'string';
}

function bindingType(s: Schema): BindingType {
  if (s.isListSchema()) return `list:${scalarKind(s.getValueSchema())}`;
  return scalarKind(s);
}

/** Paths to timestamp members below a shape: `a.b`, `[]` for list items, `{}` for map values. */
function timestampPaths(s: Schema, prefix: string, seen: ReadonlySet<string>, out: string[]): void {
  if (s.isTimestampSchema()) {
    out.push(prefix);
    return;
  }
  if (s.isListSchema()) return timestampPaths(s.getValueSchema(), `${prefix}[]`, seen, out);
  if (s.isMapSchema()) return timestampPaths(s.getValueSchema(), `${prefix}{}`, seen, out);
  if (!s.isStructSchema() || s.isDocumentSchema()) return;
  const name = s.getName(true);
  if (seen.has(name)) return;
  const next = new Set(seen).add(name);
  for (const [member, ms] of s.structIterator()) {
    timestampPaths(ms, prefix ? `${prefix}.${member}` : member, next, out);
  }
}

function describeOperation(op: unknown[]): OperationRoute {
  const [method, path, status] = (op[3] as { http: [string, string, number] }).http;
  const input = NormalizedSchema.of((op[4] as () => unknown)());
  const output = NormalizedSchema.of((op[5] as () => unknown)());
  const route: OperationRoute = { method, path, status, labels: {}, query: {}, headers: {}, inTimestamps: [], outHeaders: {}, outTimestamps: [] };
  for (const [member, ms] of input.isUnitSchema() ? [] : input.structIterator()) {
    const t = ms.getMergedTraits();
    if (t.httpLabel) route.labels[member] = bindingType(ms);
    else if (typeof t.httpQuery === 'string') route.query[member] = [t.httpQuery, bindingType(ms)];
    else if (typeof t.httpHeader === 'string') route.headers[member] = [t.httpHeader.toLowerCase(), bindingType(ms)];
    else if (t.httpQueryParams) route.queryParams = member;
    else if (t.httpPayload) {
      route.payload = member;
      route.payloadKind = ms.isStructSchema() ? 'json' : ms.isBlobSchema() ? 'blob' : 'string';
      timestampPaths(ms, member, new Set(), route.inTimestamps);
    } else timestampPaths(ms, member, new Set(), route.inTimestamps);
  }
  for (const [member, ms] of output.isUnitSchema() ? [] : output.structIterator()) {
    const t = ms.getMergedTraits();
    if (typeof t.httpHeader === 'string') route.outHeaders[member] = t.httpHeader;
    else if (t.httpPayload) route.outPayload = member;
    else timestampPaths(ms, member, new Set(), route.outTimestamps);
  }
  if (route.queryParams === undefined) delete route.queryParams;
  return route;
}

/** The route table of the installed SDK; a test checks the committed routes.json still equals it. */
export function buildRouteTable(): RouteTable {
  const operations: Record<string, OperationRoute> = {};
  const errors: ErrorTable = {};
  for (const [key, value] of Object.entries(iot).sort(([a], [b]) => a.localeCompare(b))) {
    if (!key.endsWith('$') || !Array.isArray(value)) continue;
    if (value[0] === 9) operations[key.slice(0, -1)] = describeOperation(value);
    if (value[0] === -3) errors[value[2] as string] = (value[3] as { httpError: number }).httpError;
  }
  return { sdkVersion: (require('@aws-sdk/client-iot/package.json') as { version: string }).version, operations, errors };
}

export const ROUTES_PATH = fileURLToPath(new URL('../src/emulator/protocol/routes.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const table = buildRouteTable();
  writeFileSync(ROUTES_PATH, `${JSON.stringify(table, null, 1)}\n`);
  process.stdout.write(`wrote ${Object.keys(table.operations).length} operations, ${Object.keys(table.errors).length} errors to ${ROUTES_PATH}\n`);
}
