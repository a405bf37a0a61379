// readLive: the "live" stage. Runs every registered kind's bulk reader concurrently through the
// IotApi port and returns the live resources by kind. Readers share memoized `live(kind)` and
// `groupMembers(group)`, so a kind that needs another kind's live resources (a certificate needs
// the managed things) or a group's members triggers one read. A reader waiting on itself through
// other readers would hang the plan; that cycle is detected and reported by name instead.
import type { DesiredState, KindName } from '../model/resource.js';
import type { IotApi } from '../aws/iot-api.js';
import { listAll } from '../aws/paginate.js';
import type { ReadContext } from '../kinds/types.js';
import type { LiveResource } from '../model/live.js';
import { kindNames, type KindRegistry } from '../kinds/registry.js';
import type { LiveState } from '../model/live.js';
import { readOwnershipLedger, type OwnershipLedger } from '../kinds/shared/ownership-ledger.js';

export interface ReadLiveProps {
  readonly api: IotApi;
  readonly desired: DesiredState;
  readonly fleetId: string;
  readonly kinds: KindRegistry;
  /** Restrict the read to these kinds (default: every registered kind). */
  readonly only?: readonly KindName[];
}

/** The kinds each running reader is waiting for, to find a wait cycle before it deadlocks. */
function waitsFor(waits: Map<KindName, Set<KindName>>, from: KindName, to: KindName): KindName[] | undefined {
  const path: KindName[] = [from];
  const seen = new Set<KindName>();
  const visit = (k: KindName): boolean => {
    if (k === from) return true;
    if (seen.has(k)) return false;
    seen.add(k);
    path.push(k);
    for (const next of waits.get(k) ?? []) if (visit(next)) return true;
    path.pop();
    return false;
  };
  return visit(to) ? [...path, from] : undefined;
}

/** A ReadContext; `reader` is the kind whose read() receives it (undefined for the orchestrator). */
export function createReadContext(props: Omit<ReadLiveProps, 'only'>): ReadContext {
  const reads = new Map<KindName, Promise<readonly LiveResource[]>>();
  const members = new Map<string, Promise<ReadonlySet<string>>>();
  const waits = new Map<KindName, Set<KindName>>();
  let ledger: Promise<OwnershipLedger> | undefined;
  const ownershipLedger = (): Promise<OwnershipLedger> => (ledger ??= readOwnershipLedger(props.api, props.fleetId));

  const groupMembers = (groupName: string): Promise<ReadonlySet<string>> => {
    let p = members.get(groupName);
    if (!p) {
      p = listAll(props.api, 'ListThingsInThingGroup', { thingGroupName: groupName, recursive: false }, (page) => page.things).then(
        (names) => new Set(names),
      );
      members.set(groupName, p);
    }
    return p;
  };

  const contextFor = (reader: KindName | undefined): ReadContext => ({
    api: props.api,
    fleetId: props.fleetId,
    desired: props.desired,
    groupMembers,
    ownershipLedger,
    live<K extends KindName>(kind: K): Promise<readonly LiveResource<K>[]> {
      if (reader !== undefined) {
        const cycle = waitsFor(waits, reader, kind);
        if (cycle) return Promise.reject(new Error(`live readers wait for each other in a cycle: ${cycle.join(' -> ')}`));
        const set = waits.get(reader) ?? new Set<KindName>();
        set.add(kind);
        waits.set(reader, set);
      }
      let p = reads.get(kind);
      if (!p) {
        const module = props.kinds[kind];
        p = module ? Promise.resolve().then(() => module.read(contextFor(kind) as never)) : Promise.resolve([]);
        reads.set(kind, p);
      }
      return p as Promise<readonly LiveResource<K>[]>;
    },
  });
  return contextFor(undefined);
}

export async function readLive(props: ReadLiveProps): Promise<LiveState> {
  const ctx = createReadContext(props);
  const kinds = kindNames(props.kinds).filter((k) => !props.only || props.only.includes(k));
  const results = await Promise.all(kinds.map(async (k) => [k, await ctx.live(k)] as const));
  return new Map(results);
}
