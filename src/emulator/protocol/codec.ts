// Request decoding and response encoding for AWS restJson1 as @aws-sdk/client-iot speaks it.
// Handlers see one `input` object keyed by member names and return one output object; all
// HTTP binding (labels, query, headers, payload) happens here, driven by routes.json.
//
// Timestamps: handlers receive and return epoch milliseconds (numbers) or Dates; on the wire
// restJson1 uses epoch seconds in bodies and ISO-8601 in query strings.
import type { BindingType, OperationRoute } from './route-types.js';
import { AwsError } from '../ops/types.js';

export type Input = Record<string, unknown>;

export interface EncodedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const serialization = (m: string) => new AwsError('SerializationException', 400, m);

export function decodeRequest(
  route: CompiledRoute,
  labels: Readonly<Record<string, string>>,
  query: URLSearchParams | undefined,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: Buffer,
): Input {
  let input: Input = {};
  if (route.payload) {
    if (body.length > 0) input[route.payload] = decodePayload(route, body);
  } else if (body.length > 0) {
    const parsed = parseJson(body);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw serialization('Request body must be a JSON object');
    input = parsed as Input;
  }
  for (const path of route.inPaths) input = mapPath(input, path, 0, wireTimestampToMs) as Input;
  for (const member in route.labels) {
    const v = labels[member];
    if (v !== undefined) input[member] = coerce(v, route.labels[member], member);
  }
  if (query) {
    const bound = new Set<string>();
    for (const member in route.query) {
      const [key, type] = route.query[member];
      bound.add(key);
      if (type.startsWith('list:')) {
        const values = query.getAll(key);
        if (values.length > 0) input[member] = values.map((v) => coerce(v, type.slice(5) as BindingType, member));
        continue;
      }
      const v = query.get(key);
      if (v !== null) input[member] = coerce(v, type, member);
    }
    if (route.queryParams) {
      const rest: Record<string, string> = {};
      for (const [k, v] of query) if (!bound.has(k)) rest[k] = v;
      input[route.queryParams] = rest;
    }
  }
  for (const member in route.headers) {
    const [name, type] = route.headers[member];
    const raw = headers[name];
    if (raw === undefined) continue;
    const v = Array.isArray(raw) ? raw.join(',') : raw;
    input[member] = type.startsWith('list:')
      ? v.split(',').map((s) => coerce(s.trim(), type.slice(5) as BindingType, member))
      : coerce(v, type, member);
  }
  return input;
}

function decodePayload(route: OperationRoute, body: Buffer): unknown {
  if (route.payloadKind === 'json') return parseJson(body);
  if (route.payloadKind === 'blob') return body;
  return body.toString('utf8');
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw serialization('Request body is not valid JSON');
  }
}

function coerce(raw: string, type: BindingType, member: string): unknown {
  switch (type) {
    case 'number': {
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n)) throw new AwsError('InvalidRequestException', 400, `Invalid number for ${member}: ${raw}`);
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new AwsError('InvalidRequestException', 400, `Invalid boolean for ${member}: ${raw}`);
      return raw === 'true';
    case 'timestamp': {
      const ms = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
      if (!Number.isFinite(ms)) throw new AwsError('InvalidRequestException', 400, `Invalid timestamp for ${member}: ${raw}`);
      return ms;
    }
    default:
      return raw;
  }
}

export function encodeResponse(route: CompiledRoute, output: Readonly<Record<string, unknown>>): EncodedResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let body: Record<string, unknown> = output as Record<string, unknown>;
  let copied = false;
  for (const member in route.outHeaders) {
    const v = body[member];
    if (v === undefined) continue;
    if (!copied) body = { ...body };
    copied = true;
    headers[route.outHeaders[member]] = String(v);
    delete body[member];
  }
  if (route.outPayload) {
    const payload = body[route.outPayload];
    return { status: route.status, headers, body: payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload) };
  }
  for (const path of route.outPaths) body = mapPath(body, path, 0, msToWireTimestamp) as Record<string, unknown>;
  return { status: route.status, headers, body: JSON.stringify(body) };
}

export function encodeError(err: AwsError): EncodedResponse {
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.type },
    body: JSON.stringify({ ...err.extra, message: err.message }),
  };
}

type Segment = { kind: 'key'; key: string } | { kind: 'list' } | { kind: 'map' };

/** A route with its timestamp paths parsed once at start-up. */
export interface CompiledRoute extends OperationRoute {
  readonly inPaths: readonly (readonly Segment[])[];
  readonly outPaths: readonly (readonly Segment[])[];
}

export function compileRoute(route: OperationRoute): CompiledRoute {
  return { ...route, inPaths: route.inTimestamps.map(parsePath), outPaths: route.outTimestamps.map(parsePath) };
}

function parsePath(path: string): readonly Segment[] {
  const segs: Segment[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[{]*)((?:\[\]|\{\})*)$/.exec(part);
    if (!m) continue;
    if (m[1]) segs.push({ kind: 'key', key: m[1] });
    for (const suffix of m[2].match(/\[\]|\{\}/g) ?? []) segs.push(suffix === '[]' ? { kind: 'list' } : { kind: 'map' });
  }
  return segs;
}

/** Returns `value` with `fn` applied at `path`, copying only along the path so handler-owned objects are never mutated. */
function mapPath(value: unknown, path: readonly Segment[], i: number, fn: (v: unknown) => unknown): unknown {
  if (value === undefined || value === null) return value;
  if (i === path.length) return fn(value);
  const seg = path[i];
  if (seg.kind === 'list') return Array.isArray(value) ? value.map((v) => mapPath(v, path, i + 1, fn)) : value;
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  if (seg.kind === 'map') {
    const out: Record<string, unknown> = {};
    for (const k in obj) out[k] = mapPath(obj[k], path, i + 1, fn);
    return out;
  }
  if (!(seg.key in obj)) return value;
  return { ...obj, [seg.key]: mapPath(obj[seg.key], path, i + 1, fn) };
}

function wireTimestampToMs(v: unknown): unknown {
  if (typeof v === 'number') return Math.round(v * 1000);
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? ms : v;
  }
  return v;
}

function msToWireTimestamp(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (typeof v === 'number') return v / 1000;
  return v;
}
