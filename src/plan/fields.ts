// Generic field-level views of a resource for the plan: the fields a create sets (from the
// desired spec) and the tag differences of taggable kinds. Kind-specific comparisons live in
// the kinds; these cover what every kind shares.
import type { StringMap } from '../model/resource.js';
import type { FieldChange } from '../model/plan.js';
import { MANAGED_BY_TAG } from '../model/live.js';
import { compileWildcard } from '../lang/wildcard.js';

const MAX_INLINE_STRING = 200;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringMap(v: unknown): v is Record<string, string> {
  return isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string');
}

/** Long strings (PEMs, CSRs, job documents) are shown by size; apply reads the full value from `desired`. */
function display(value: unknown): unknown {
  if (typeof value === 'string' && value.length > MAX_INLINE_STRING) return `${value.slice(0, 40)}… (${value.length} chars)`;
  return value;
}

/**
 * The fields a create sets, from the desired spec: string maps (attributes) per key, everything
 * else as a whole value. Empty values are left out so the plan shows what matters.
 */
export function createFields(spec: unknown, tags: StringMap): FieldChange[] {
  const out: FieldChange[] = [];
  if (isPlainObject(spec)) {
    for (const key of Object.keys(spec).sort()) {
      const value = spec[key];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value) && value.length === 0) continue;
      if (isStringMap(value)) {
        for (const k of Object.keys(value).sort()) out.push({ path: `${key}.${k}`, after: display(value[k]) });
        continue;
      }
      if (isPlainObject(value) && Object.keys(value).length === 0) continue;
      out.push({ path: key, after: display(value) });
    }
  }
  for (const k of Object.keys(tags).sort()) out.push({ path: `tags.${k}`, after: tags[k] });
  return out;
}

/** The desired tags of a managed resource: the fleet's tags plus the ownership mark. */
export function desiredTags(tags: StringMap, fleetId: string): Record<string, string> {
  return { ...tags, [MANAGED_BY_TAG]: fleetId };
}

/**
 * Tag differences, the desired set being authoritative: missing or different tags are set and
 * extra tags removed, except `aws:` tags, which only AWS may write.
 */
export function compareTags(desired: StringMap, live: StringMap): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = [...new Set([...Object.keys(desired), ...Object.keys(live)])].sort();
  for (const k of keys) {
    if (k.startsWith('aws:')) continue;
    const before = Object.hasOwn(live, k) ? live[k] : undefined;
    const after = Object.hasOwn(desired, k) ? desired[k] : undefined;
    if (before === after) continue;
    out.push({ path: `tags.${k}`, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) });
  }
  return out;
}

/**
 * `Kind/namePattern` globs from iotops.yaml `ignore:` (`*` any run, `?` one character),
 * case-sensitive like resource names. The patterns come from the fleet repository: they are
 * matched in linear time, never compiled to a RegExp (validate bounds their wildcards).
 */
export function ignoreMatcher(patterns: readonly string[]): (key: string) => boolean {
  if (patterns.length === 0) return () => false;
  const matchers = patterns.map((p) => compileWildcard(p));
  return (key) => matchers.some((m) => m.test(key));
}
