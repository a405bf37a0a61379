// Pagination for both token styles of AWS IoT list calls, always at the largest page size the
// API allows (AWS-IOT-FACTS.md §1b) so a read of N resources costs ⌈N / page⌉ calls:
// - `nextToken` in and out, page size `maxResults` (most registry and jobs calls);
// - `marker` in, `nextMarker` out, page size `pageSize` (policies, certificates, policy targets).
// This is the only pagination in iotops (the emulator aside): page sizes live in PAGE_STYLES and
// nowhere else. Readers that stop early (newest-first scans) or want one page only use `paginate`
// or `paginateItems` and leave the loop, or pass `maxPages`.
import type { IotApi, IotInput, IotOperation, IotOutput } from './iot-api.js';

type NextTokenOperation = {
  [N in IotOperation]: IotInput<N> extends { nextToken?: string } ? (IotOutput<N> extends { nextToken?: string } ? N : never) : never;
}[IotOperation];

type MarkerOperation = {
  [N in IotOperation]: IotInput<N> extends { marker?: string } ? (IotOutput<N> extends { nextMarker?: string } ? N : never) : never;
}[IotOperation];

export type PaginatedOperation = NextTokenOperation | MarkerOperation;

/** The caller's filters: everything but the token and the page size, which pagination owns. */
export type PageInput<N extends PaginatedOperation> = Omit<IotInput<N>, 'nextToken' | 'marker' | 'maxResults' | 'pageSize'>;

interface PageStyle {
  readonly token: 'nextToken' | 'marker';
  readonly sizeParam?: 'maxResults' | 'pageSize';
  readonly max?: number;
}

const REGISTRY_MAX = 250;

/** Largest page size per operation; operations absent here use `nextToken` with the API's default page. */
const PAGE_STYLES: Readonly<Partial<Record<PaginatedOperation, PageStyle>>> = {
  ListThings: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListThingsInThingGroup: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListThingGroupsForThing: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListThingGroups: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListThingTypes: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListThingPrincipals: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListThingPrincipalsV2: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListPrincipalThings: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListPrincipalThingsV2: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListJobs: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListJobExecutionsForJob: { token: 'nextToken', sizeParam: 'maxResults', max: REGISTRY_MAX },
  ListTopicRules: { token: 'nextToken', sizeParam: 'maxResults', max: 10_000 },
  SearchIndex: { token: 'nextToken', sizeParam: 'maxResults', max: 100 },
  ListTagsForResource: { token: 'nextToken' },
  ListPolicies: { token: 'marker', sizeParam: 'pageSize', max: REGISTRY_MAX },
  ListCertificates: { token: 'marker', sizeParam: 'pageSize', max: REGISTRY_MAX },
  ListCertificatesByCA: { token: 'marker', sizeParam: 'pageSize', max: REGISTRY_MAX },
  ListTargetsForPolicy: { token: 'marker', sizeParam: 'pageSize', max: REGISTRY_MAX },
  ListAttachedPolicies: { token: 'marker', sizeParam: 'pageSize', max: REGISTRY_MAX },
};

const MARKER_OPERATIONS: ReadonlySet<string> = new Set(
  Object.entries(PAGE_STYLES)
    .filter(([, s]) => s?.token === 'marker')
    .map(([op]) => op),
);

function styleOf(operation: string): PageStyle {
  return (PAGE_STYLES as Record<string, PageStyle | undefined>)[operation] ?? { token: MARKER_OPERATIONS.has(operation) ? 'marker' : 'nextToken' };
}

export interface PaginateOptions {
  /**
   * Stop after this many pages although AWS offers more (at least 1). The last page yielded still
   * carries AWS's token, so the caller can tell a cut list from a complete one.
   */
  readonly maxPages?: number;
}

/** Every page of a list call, in order; the next page is requested only when the caller asks for it. */
export async function* paginate<N extends PaginatedOperation>(
  api: IotApi,
  operation: N,
  input: PageInput<N>,
  options: PaginateOptions = {},
): AsyncGenerator<IotOutput<N>, void, undefined> {
  const { maxPages } = options;
  if (maxPages !== undefined && !(Number.isInteger(maxPages) && maxPages >= 1)) throw new RangeError(`maxPages must be a positive integer, got ${maxPages}`);
  const style = styleOf(operation);
  const sizing = style.sizeParam && style.max ? { [style.sizeParam]: style.max } : {};
  let token: string | undefined;
  let pages = 0;
  const seen = new Set<string>();
  do {
    const request = { ...input, ...sizing, ...(token ? { [style.token]: token } : {}) } as unknown as IotInput<N>;
    const page = await api.send(operation, request);
    yield page;
    if (maxPages !== undefined && ++pages >= maxPages) return;
    token = tokenAfter(style, page);
    // A service that hands back a token it already gave would loop forever; stop instead.
    if (token !== undefined && seen.has(token)) throw new Error(`${operation} returned a repeated pagination token`);
    if (token) seen.add(token);
  } while (token);
}

/** The token that asks for the page after `page`; an empty token ends the list as an absent one does. */
function tokenAfter(style: PageStyle, page: unknown): string | undefined {
  const out = page as { nextToken?: string; nextMarker?: string };
  return style.token === 'marker' ? out.nextMarker : out.nextToken;
}

export interface FirstPage<N extends PaginatedOperation> {
  readonly page: IotOutput<N>;
  /** True when AWS has further pages (which were not read). */
  readonly more: boolean;
}

/** The first page only: a sample, and whether AWS has more (the caller need not know the token style). */
export async function firstPage<N extends PaginatedOperation>(api: IotApi, operation: N, input: PageInput<N>): Promise<FirstPage<N>> {
  for await (const page of paginate(api, operation, input, { maxPages: 1 })) return { page, more: !!tokenAfter(styleOf(operation), page) };
  // paginate yields at least one page or throws.
  throw new Error(`${operation} yielded no page`);
}

/** Every item of a list call: `pick` selects the page's item array (e.g. `(p) => p.things`). */
export async function* paginateItems<N extends PaginatedOperation, T>(
  api: IotApi,
  operation: N,
  input: PageInput<N>,
  pick: (page: IotOutput<N>) => readonly T[] | undefined,
  options: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  for await (const page of paginate(api, operation, input, options)) yield* pick(page) ?? [];
}

/** All items of a list call in one array, in AWS's order. */
export async function listAll<N extends PaginatedOperation, T>(
  api: IotApi,
  operation: N,
  input: PageInput<N>,
  pick: (page: IotOutput<N>) => readonly T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for await (const item of paginateItems(api, operation, input, pick)) out.push(item);
  return out;
}
