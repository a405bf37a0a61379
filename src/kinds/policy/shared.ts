// Helpers shared by the Policy, Certificate, TopicRule and Job kinds: canonical JSON for
// key-order-insensitive comparison, paging loops, bounded concurrency, AWS error names,
// tag lists and tag reconciliation that never drops the ownership tag.
// (Candidates for src/kinds/shared once that folder settles; nothing here is kind-specific.)
import type { IotApi } from '../../aws/iot-api.js';
import { MANAGED_BY_TAG } from '../types.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON value with object keys sorted recursively; `undefined` members dropped. Arrays keep order. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) out[key] = sortKeysDeep(value[key]);
  }
  return out;
}

/** Stable serialization: equal for values that differ only in key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value)) ?? 'undefined';
}

export function deepEqualUnordered(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Set difference a \ b, sorted. */
export function minus(a: Iterable<string>, b: Iterable<string>): string[] {
  const drop = new Set(b);
  return sortedUnique([...a].filter((x) => !drop.has(x)));
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = sortedUnique(a);
  const y = sortedUnique(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** The AWS error type of a failure, whether wrapped by the adapter (`awsErrorName`) or raw from the SDK (`name`). */
export function awsErrorName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { awsErrorName?: unknown; name?: unknown };
  if (typeof e.awsErrorName === 'string') return e.awsErrorName;
  return typeof e.name === 'string' ? e.name : undefined;
}

export function isAwsErrorNamed(err: unknown, ...names: readonly string[]): boolean {
  const name = awsErrorName(err);
  return name !== undefined && names.includes(name);
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Drains a nextToken-paginated list. */
export async function allPagesByToken<P>(fetch: (nextToken: string | undefined) => Promise<P & { nextToken?: string | undefined }>): Promise<P[]> {
  const pages: P[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    pages.push(page);
    token = page.nextToken || undefined;
  } while (token);
  return pages;
}

/** Drains a marker/nextMarker-paginated list (ListPolicies, ListCertificates, ListTargetsForPolicy). */
export async function allPagesByMarker<P>(fetch: (marker: string | undefined) => Promise<P & { nextMarker?: string | undefined }>): Promise<P[]> {
  const pages: P[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    pages.push(page);
    marker = page.nextMarker || undefined;
  } while (marker);
  return pages;
}

export interface RetryProps {
  /** Error types that mean "try again shortly" for this step (e.g. DeleteConflictException right after a detach). */
  readonly on: readonly string[];
  /** Waits before each further attempt, ms. */
  readonly delaysMs: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries a step on the named, expected-transient AWS errors; anything else propagates at once. */
export async function retryOn<R>(props: RetryProps, step: () => Promise<R>): Promise<R> {
  const sleep = props.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      const delay = props.delaysMs[attempt];
      if (delay === undefined || !isAwsErrorNamed(err, ...props.on)) throw err;
      await sleep(delay);
    }
  }
}

/** Tags from ListTagsForResource as a map (all pages). */
export async function readTags(api: IotApi, resourceArn: string): Promise<Record<string, string>> {
  const pages = await allPagesByToken((nextToken) => api.send('ListTagsForResource', { resourceArn, nextToken }));
  const tags: Record<string, string> = {};
  for (const page of pages) for (const t of page.tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  return tags;
}

/** Desired tags plus the ownership tag; the ownership tag always wins. */
export function tagsWithOwnership(tags: Readonly<Record<string, string>>, fleetId: string): Record<string, string> {
  return { ...tags, [MANAGED_BY_TAG]: fleetId };
}

export function toTagList(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] as string }));
}

/** `k1=v1&k2=v2`, URL-encoded: the form CreateTopicRule takes in `x-amz-tagging`. */
export function toTaggingString(tags: Readonly<Record<string, string>>): string {
  return toTagList(tags)
    .map((t) => `${encodeURIComponent(t.Key)}=${encodeURIComponent(t.Value)}`)
    .join('&');
}

/**
 * Brings a resource's tags to `desired` + ownership with TagResource/UntagResource. Keys under
 * `aws:` are AWS's own and never touched. Reads the live tags first so a rerun is a no-op.
 */
export async function reconcileTags(
  api: IotApi,
  resourceArn: string,
  desired: Readonly<Record<string, string>>,
  fleetId: string,
): Promise<void> {
  const want = tagsWithOwnership(desired, fleetId);
  const have = await readTags(api, resourceArn);
  const set = Object.keys(want).filter((k) => have[k] !== want[k]);
  const remove = Object.keys(have).filter((k) => !(k in want) && !k.startsWith('aws:'));
  if (set.length > 0) {
    await api.send('TagResource', { resourceArn, tags: toTagList(Object.fromEntries(set.map((k) => [k, want[k] as string]))) });
  }
  if (remove.length > 0) await api.send('UntagResource', { resourceArn, tagKeys: remove.sort() });
}

/** `arn:partition:iot:region:account:` of any IoT ARN, to build sibling ARNs (thing/…, thinggroup/…). */
export function arnPrefix(arn: string): string | undefined {
  const m = /^(arn:[^:]+:iot:[^:]*:[^:]*:)/.exec(arn);
  return m?.[1];
}

/** Resource part after the prefix, split at the first slash: `thing/sensor-1` → ['thing', 'sensor-1']. */
export function arnResource(arn: string): { readonly type: string; readonly id: string } | undefined {
  const prefix = arnPrefix(arn);
  if (prefix === undefined) return undefined;
  const rest = arn.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return undefined;
  return { type: rest.slice(0, slash), id: rest.slice(slash + 1) };
}

/**
 * The desired side of a planned change. The plan stores it as `{ spec, tags }` (a whole
 * DesiredResource also fits); apply never re-reads the fleet.
 */
export function desiredOfChange<S>(change: { readonly desired?: unknown }): { readonly spec: S; readonly tags: Readonly<Record<string, string>> } | undefined {
  const d = change.desired;
  if (!isPlainObject(d) || !isPlainObject(d.spec)) return undefined;
  const tags = isPlainObject(d.tags) ? (d.tags as Record<string, string>) : {};
  return { spec: d.spec as S, tags };
}

/** The live side of a planned change: `{ ownership, tags, state }` (or a whole LiveResource), or just the state. */
export function liveOfChange<L>(change: { readonly live?: unknown }): { readonly state: L; readonly tags: Readonly<Record<string, string>> } | undefined {
  const l = change.live;
  if (!isPlainObject(l)) return undefined;
  if ('state' in l && ('ownership' in l || 'kind' in l)) {
    const tags = isPlainObject(l.tags) ? (l.tags as Record<string, string>) : {};
    return { state: l.state as L, tags };
  }
  return { state: l as L, tags: {} };
}

/** Undefined when the resource vanished between the list and the detail call (a race, not an error). */
export async function unlessNotFound<R>(step: () => Promise<R>): Promise<R | undefined> {
  try {
    return await step();
  } catch (err) {
    if (isAwsErrorNamed(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}
