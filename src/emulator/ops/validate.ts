// Input validation shared by the registry operations, with AWS's patterns and limits
// (AWS-IOT-FACTS.md §2). Violations are InvalidRequestException, as AWS's model validation returns.
import { errors } from './types.js';

const NAME = /^[a-zA-Z0-9:_-]+$/;
const ATTR_NAME = /^[a-zA-Z0-9_.,@/:#-]+$/;
const ATTR_VALUE = /^[a-zA-Z0-9_.,@/:#=[\]-]*$/;

export function requireString(input: Readonly<Record<string, unknown>>, member: string): string {
  const v = input[member];
  if (typeof v !== 'string' || v === '') throw errors.invalidRequest(`${member} is required`);
  return v;
}

export function optionalString(input: Readonly<Record<string, unknown>>, member: string): string | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw errors.invalidRequest(`${member} must be a string`);
  return v;
}

export function optionalNumber(input: Readonly<Record<string, unknown>>, member: string): number | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw errors.invalidRequest(`${member} must be a number`);
  return v;
}

export function resourceName(value: string, what: string): string {
  if (value.length > 128 || !NAME.test(value)) {
    throw errors.invalidRequest(`${what} name ${JSON.stringify(value)} must be 1-128 characters of [a-zA-Z0-9:_-]`);
  }
  return value;
}

/** Validates an attribute map; empty values are allowed here because merge uses them to delete. */
export function attributeMap(value: unknown, maxValueLength = 800): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalidRequest('attributes must be a map of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.length > 128 || !ATTR_NAME.test(k)) throw errors.invalidRequest(`Attribute name ${JSON.stringify(k)} is invalid`);
    if (typeof v !== 'string' || v.length > maxValueLength || !ATTR_VALUE.test(v)) {
      throw errors.invalidRequest(`Attribute value for ${JSON.stringify(k)} is invalid`);
    }
    out[k] = v;
  }
  return out;
}

export interface AttributePayload {
  readonly attributes: Record<string, string>;
  readonly merge: boolean;
}

export function attributePayload(value: unknown): AttributePayload | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalidRequest('attributePayload must be an object');
  const p = value as { attributes?: unknown; merge?: unknown };
  return { attributes: attributeMap(p.attributes), merge: p.merge === true };
}

/** Applies an attribute payload: merge adds/overwrites and drops keys sent with an empty value; otherwise replaces. */
export function applyAttributes(current: Readonly<Record<string, string>>, payload: AttributePayload): Record<string, string> {
  if (!payload.merge) return { ...payload.attributes };
  const next: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(payload.attributes)) {
    if (v === '') delete next[k];
    else next[k] = v;
  }
  return next;
}

export function sameAttributes(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/** Extracts the name after `<type>/` from an IoT ARN, e.g. thing/foo → foo. */
export function nameFromArn(value: string, type: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iot:[^:]*:[^:]*:([^/]+)\/(.+)$/.exec(value);
  if (!m || m[1] !== type) return undefined;
  return m[2];
}
