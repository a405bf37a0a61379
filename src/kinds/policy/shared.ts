// Helpers the Policy, Certificate, TopicRule and Job kinds share on top of src/kinds/shared: set
// helpers, page loops that keep pages (marker- and token-paged), AWS error names beyond shared/aws-errors' list, a retry for
// expected-transient conflicts, the topic-rule tagging string and ARN parsing.
import { recordToTags } from '../shared/tags.js';

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
function awsErrorName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { awsErrorName?: unknown; name?: unknown };
  if (typeof e.awsErrorName === 'string') return e.awsErrorName;
  return typeof e.name === 'string' ? e.name : undefined;
}

export function isAwsErrorNamed(err: unknown, ...names: readonly string[]): boolean {
  const name = awsErrorName(err);
  return name !== undefined && names.includes(name);
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

/** `k1=v1&k2=v2`, URL-encoded: the form CreateTopicRule takes in `x-amz-tagging`. */
export function toTaggingString(tags: Readonly<Record<string, string>>): string {
  return recordToTags(tags)
    .map((t) => `${encodeURIComponent(t.Key)}=${encodeURIComponent(t.Value)}`)
    .join('&');
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

/** Undefined when the resource vanished between the list and the detail call (a race, not an error). */
export async function unlessNotFound<R>(step: () => Promise<R>): Promise<R | undefined> {
  try {
    return await step();
  } catch (err) {
    if (isAwsErrorNamed(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}
