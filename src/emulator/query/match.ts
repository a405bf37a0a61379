// Evaluates a parsed query against one ThingDocument. Hot path of SearchIndex and dynamic-group
// rebuilds: no allocation per term except for `shadow.delta`/`shadow.hasDelta`, which derive the
// delta from desired and reported on demand.
import type { Field, Query, QueryNode, ThingDocument, ValueTest } from './ast.js';
import { testScalar } from './value-test.js';

export function matchesQuery(query: Query, doc: ThingDocument): boolean {
  return evaluate(query.root, doc);
}

function evaluate(node: QueryNode, doc: ThingDocument): boolean {
  switch (node.kind) {
    case 'term':
      return matchTerm(node.field, node.test, doc);
    case 'and':
      for (const child of node.children) if (!evaluate(child, doc)) return false;
      return true;
    case 'or':
      for (const child of node.children) if (evaluate(child, doc)) return true;
      return false;
    case 'not':
      return !evaluate(node.child, doc);
  }
}

function matchTerm(field: Field, test: ValueTest, doc: ThingDocument): boolean {
  switch (field.source) {
    case 'thingName':
      return testScalar(test, doc.thingName);
    case 'thingId':
      return testScalar(test, doc.thingId);
    case 'thingTypeName':
      return doc.thingTypeName !== undefined && testScalar(test, doc.thingTypeName);
    case 'thingGroupNames':
      for (const group of doc.thingGroupNames) if (testScalar(test, group)) return true;
      return false;
    case 'attribute': {
      const name = field.path[0];
      return Object.hasOwn(doc.attributes, name) && testScalar(test, doc.attributes[name]);
    }
    case 'shadowReported':
      return testPath(test, doc.shadow?.reported, field.path, 0);
    case 'shadowDesired':
      return testPath(test, doc.shadow?.desired, field.path, 0);
    case 'shadowDelta':
      return doc.shadow !== undefined && testPath(test, shadowDelta(doc.shadow), field.path, 0);
    case 'shadowHasDelta':
      return doc.shadow !== undefined && testScalar(test, shadowDelta(doc.shadow) === undefined ? 'false' : 'true');
    case 'connected':
      return doc.connectivity !== undefined && testScalar(test, doc.connectivity.connected ? 'true' : 'false');
    case 'connectivityTimestamp': {
      const timestamp = doc.connectivity?.timestamp;
      return timestamp !== undefined && testScalar(test, String(timestamp), timestamp);
    }
    case 'disconnectReason': {
      const reason = doc.connectivity?.disconnectReason;
      return reason !== undefined && testScalar(test, reason);
    }
    case 'any':
      return matchAnyField(test, doc);
    case 'unknown':
      return false;
  }
}

/** Arrays anywhere on the path are multi-valued: the term matches if any element does. */
function testPath(test: ValueTest, node: unknown, path: readonly string[], i: number): boolean {
  if (node === undefined || node === null) return false;
  if (Array.isArray(node)) {
    for (const element of node) if (testPath(test, element, path, i)) return true;
    return false;
  }
  if (i === path.length) return testJson(test, node);
  if (typeof node !== 'object') return false;
  const record = node as Record<string, unknown>;
  const key = path[i];
  return Object.hasOwn(record, key) && testPath(test, record[key], path, i + 1);
}

/** `node` is neither null nor an array. An object only answers `exists`, when it holds some value. */
function testJson(test: ValueTest, node: unknown): boolean {
  switch (typeof node) {
    case 'string':
      return testScalar(test, node);
    case 'number':
      return testScalar(test, String(node), node);
    case 'boolean':
      return testScalar(test, node ? 'true' : 'false');
    case 'object':
      return test.kind === 'exists' && someLeaf(test, node);
    default:
      return false;
  }
}

function someLeaf(test: ValueTest, node: unknown): boolean {
  if (node === undefined || node === null) return false;
  if (Array.isArray(node)) {
    for (const element of node) if (someLeaf(test, element)) return true;
    return false;
  }
  if (typeof node === 'object') {
    for (const value of Object.values(node)) if (someLeaf(test, value)) return true;
    return false;
  }
  return testJson(test, node);
}

/** Unqualified terms search every registry and shadow value (connectivity is not searched). */
function matchAnyField(test: ValueTest, doc: ThingDocument): boolean {
  if (test.kind === 'exists') return true;
  if (testScalar(test, doc.thingName) || testScalar(test, doc.thingId)) return true;
  if (doc.thingTypeName !== undefined && testScalar(test, doc.thingTypeName)) return true;
  for (const group of doc.thingGroupNames) if (testScalar(test, group)) return true;
  for (const name in doc.attributes) {
    if (Object.hasOwn(doc.attributes, name) && testScalar(test, doc.attributes[name])) return true;
  }
  return someLeaf(test, doc.shadow?.reported) || someLeaf(test, doc.shadow?.desired);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

/**
 * The shadow service's delta: desired keys whose value differs from reported, recursing into
 * objects and comparing arrays whole. Null desired values are deletions, not deltas.
 */
function delta(desired: unknown, reported: unknown): unknown {
  if (!isRecord(desired)) return deepEqual(desired, reported) ? undefined : desired;
  const base = isRecord(reported) ? reported : undefined;
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(desired)) {
    if (value === null || value === undefined) continue;
    const d = delta(value, base !== undefined && Object.hasOwn(base, key) ? base[key] : undefined);
    if (d === undefined) continue;
    out ??= {};
    out[key] = d;
  }
  return out;
}

function shadowDelta(shadow: NonNullable<ThingDocument['shadow']>): unknown {
  return isRecord(shadow.desired) ? delta(shadow.desired, shadow.reported) : undefined;
}
