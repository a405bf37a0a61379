// Evaluates a parsed query against one ThingDocument. Hot path of SearchIndex and dynamic-group
// rebuilds: field terms don't allocate. `shadow.delta.<path>` builds the delta on demand, and
// queries with several unqualified terms gather the document's values once per call.
import type { Field, Query, QueryNode, ThingDocument, ValueTest } from './ast.js';
import { testNumber, testScalar } from './value-test.js';

/** Whether the thing is in the query's result set (SearchIndex) or dynamic group. */
export function matchesQuery(query: Query, doc: ThingDocument): boolean {
  return evaluate(query.root, doc, { anyValues: undefined, gather: query.unqualifiedTerms > 1 });
}

/**
 * Per-document scratch: the values unqualified terms search, gathered (and lower-cased) once on
 * first use, so a query with several unqualified terms walks the document once and an equality
 * test becomes a plain string lookup.
 */
type Scratch = { anyValues: SearchableValues | undefined; readonly gather: boolean };

type SearchableValues = {
  /** Lower-cased registry values and shadow strings/booleans. */
  readonly strings: string[];
  /** Shadow JSON numbers, kept as numbers. */
  readonly numbers: number[];
};

function evaluate(node: QueryNode, doc: ThingDocument, scratch: Scratch): boolean {
  switch (node.kind) {
    case 'term':
      if (node.field.source === 'any') return matchAnyField(node.test, doc, scratch);
      return matchTerm(node.field, node.test, doc);
    case 'and':
      for (const child of node.children) if (!evaluate(child, doc, scratch)) return false;
      return true;
    case 'or':
      for (const child of node.children) if (evaluate(child, doc, scratch)) return true;
      return false;
    case 'not':
      return !evaluate(node.child, doc, scratch);
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
      return doc.shadow !== undefined && testScalar(test, hasDelta(doc.shadow.desired, doc.shadow.reported) ? 'true' : 'false');
    case 'connected':
      return doc.connectivity !== undefined && testScalar(test, doc.connectivity.connected ? 'true' : 'false');
    case 'connectivityTimestamp': {
      const timestamp = doc.connectivity?.timestamp;
      return timestamp !== undefined && testNumber(test, timestamp);
    }
    case 'disconnectReason': {
      const reason = doc.connectivity?.disconnectReason;
      return reason !== undefined && testScalar(test, reason);
    }
    case 'any':
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
      return testNumber(test, node);
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
    const record = node as Record<string, unknown>;
    for (const key in record) if (Object.hasOwn(record, key) && someLeaf(test, record[key])) return true;
    return false;
  }
  return testJson(test, node);
}

/** Unqualified terms search every registry and shadow value (connectivity is not searched). */
function matchAnyField(test: ValueTest, doc: ThingDocument, scratch: Scratch): boolean {
  if (test.kind === 'exists') return true;
  if (scratch.anyValues === undefined && !scratch.gather) return walkAnyField(test, doc);
  scratch.anyValues ??= searchableValues(doc);
  const { strings, numbers } = scratch.anyValues;
  if (test.kind === 'equals') {
    if (strings.includes(test.text)) return true;
    if (test.num === undefined) return false;
    if (numbers.includes(test.num)) return true;
  }
  for (const value of strings) if (testScalar(test, value)) return true;
  for (const value of numbers) if (testNumber(test, value)) return true;
  return false;
}

/** One unqualified term: walking the document is cheaper than gathering its values. */
function walkAnyField(test: ValueTest, doc: ThingDocument): boolean {
  if (testScalar(test, doc.thingName) || testScalar(test, doc.thingId)) return true;
  if (doc.thingTypeName !== undefined && testScalar(test, doc.thingTypeName)) return true;
  for (const group of doc.thingGroupNames) if (testScalar(test, group)) return true;
  for (const name in doc.attributes) {
    if (Object.hasOwn(doc.attributes, name) && testScalar(test, doc.attributes[name])) return true;
  }
  return someLeaf(test, doc.shadow?.reported) || someLeaf(test, doc.shadow?.desired);
}

function searchableValues(doc: ThingDocument): SearchableValues {
  const values: SearchableValues = { strings: [doc.thingName.toLowerCase(), doc.thingId.toLowerCase()], numbers: [] };
  if (doc.thingTypeName !== undefined) values.strings.push(doc.thingTypeName.toLowerCase());
  for (const group of doc.thingGroupNames) values.strings.push(group.toLowerCase());
  for (const name in doc.attributes) {
    if (Object.hasOwn(doc.attributes, name)) values.strings.push(doc.attributes[name].toLowerCase());
  }
  collectLeaves(doc.shadow?.reported, values);
  collectLeaves(doc.shadow?.desired, values);
  return values;
}

function collectLeaves(node: unknown, out: SearchableValues): void {
  if (node === undefined || node === null) return;
  if (Array.isArray(node)) {
    for (const element of node) collectLeaves(element, out);
    return;
  }
  switch (typeof node) {
    case 'object': {
      const record = node as Record<string, unknown>;
      for (const key in record) if (Object.hasOwn(record, key)) collectLeaves(record[key], out);
      return;
    }
    case 'string':
      out.strings.push(node.toLowerCase());
      return;
    case 'number':
      out.numbers.push(node);
      return;
    case 'boolean':
      out.strings.push(node ? 'true' : 'false');
      return;
    default:
      return;
  }
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

/** Whether `delta(desired, reported)` is non-empty, without building it. */
function hasDelta(desired: unknown, reported: unknown): boolean {
  if (!isRecord(desired)) return false;
  const base = isRecord(reported) ? reported : undefined;
  for (const key in desired) {
    if (!Object.hasOwn(desired, key)) continue;
    const value = desired[key];
    if (value === null || value === undefined) continue;
    const other = base !== undefined && Object.hasOwn(base, key) ? base[key] : undefined;
    if (isRecord(value) ? hasDelta(value, other) || (!isRecord(other) && hasValue(value)) : !deepEqual(value, other)) {
      return true;
    }
  }
  return false;
}

/** A desired object with nothing but nulls inside yields no delta. */
function hasValue(node: Record<string, unknown>): boolean {
  for (const key in node) {
    if (!Object.hasOwn(node, key)) continue;
    const value = node[key];
    if (value === null || value === undefined) continue;
    if (!isRecord(value) || hasValue(value)) return true;
  }
  return false;
}

function shadowDelta(shadow: NonNullable<ThingDocument['shadow']>): unknown {
  return isRecord(shadow.desired) ? delta(shadow.desired, shadow.reported) : undefined;
}
