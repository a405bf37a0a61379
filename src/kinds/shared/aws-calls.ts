// Pagination loops and bounded concurrency for kind readers/appliers. Pagination is spelled out
// here (instead of SDK paginators) because every call must go through the IotApi port.

/** Follows `nextToken` until AWS stops returning one; `fetch` gets the token of the page to read. */
export async function collectByToken<T>(
  fetch: (nextToken: string | undefined) => Promise<{ readonly items: readonly T[] | undefined; readonly nextToken?: string | undefined }>,
): Promise<T[]> {
  return collect(fetch, (page) => page.nextToken);
}

/** Follows `nextMarker` (ListPolicies, ListCertificates, ListTargetsForPolicy, ListAttachedPolicies); `fetch` gets the marker to send. */
export async function collectByMarker<T>(
  fetch: (marker: string | undefined) => Promise<{ readonly items: readonly T[] | undefined; readonly nextMarker?: string | undefined }>,
): Promise<T[]> {
  return collect(fetch, (page) => page.nextMarker);
}

/** An empty token ends the list as an absent one does. */
async function collect<T, P extends { readonly items: readonly T[] | undefined }>(
  fetch: (token: string | undefined) => Promise<P>,
  next: (page: P) => string | undefined,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.items ?? []));
    token = next(page) || undefined;
  } while (token);
  return out;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
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

/** Concurrency for per-resource reads; the IotApi token buckets do the actual rate limiting. */
export const READ_CONCURRENCY = 8;

/** One call per key: later callers share the first call's promise (its failure too). */
export function memo<K, V>(fn: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const cache = new Map<K, Promise<V>>();
  return (key) => {
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = fn(key);
      cache.set(key, hit);
    }
    return hit;
  };
}
