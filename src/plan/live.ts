// readLive: the "live" stage. Runs every registered kind's bulk reader concurrently through the
// IotApi port and returns the live resources by kind. Readers share a ReadContext whose
// `live(kind)` and `groupMembers(group)` are memoized, so a kind that needs another kind's live
// resources (a certificate needs the managed things) or a group's members triggers one read.
import { KIND_NAMES, type DesiredState, type KindName } from '../manifest/model.js';
import type { IotApi } from '../aws/iot-api.js';
import { listAll } from '../aws/paginate.js';
import type { LiveResource, ReadContext } from '../kinds/types.js';
import type { KindRegistry } from '../kinds/registry.js';
import type { LiveState } from './diff.js';

export interface ReadLiveProps {
  readonly api: IotApi;
  readonly desired: DesiredState;
  readonly fleetId: string;
  readonly kinds: KindRegistry;
  /** Restrict the read to these kinds (default: every registered kind). */
  readonly only?: readonly KindName[];
}

export function createReadContext(props: Omit<ReadLiveProps, 'only'>): ReadContext {
  const reads = new Map<KindName, Promise<readonly LiveResource[]>>();
  const members = new Map<string, Promise<ReadonlySet<string>>>();
  const ctx: ReadContext = {
    api: props.api,
    fleetId: props.fleetId,
    desired: props.desired,
    live<K extends KindName>(kind: K): Promise<readonly LiveResource<K>[]> {
      let p = reads.get(kind);
      if (!p) {
        const module = props.kinds[kind];
        p = module ? Promise.resolve().then(() => module.read(ctx)) : Promise.resolve([]);
        reads.set(kind, p);
      }
      return p as Promise<readonly LiveResource<K>[]>;
    },
    groupMembers(groupName: string): Promise<ReadonlySet<string>> {
      let p = members.get(groupName);
      if (!p) {
        p = listAll(props.api, 'ListThingsInThingGroup', { thingGroupName: groupName, recursive: false }, (page) => page.things).then(
          (names) => new Set(names),
        );
        members.set(groupName, p);
      }
      return p;
    },
  };
  return ctx;
}

export async function readLive(props: ReadLiveProps): Promise<LiveState> {
  const ctx = createReadContext(props);
  const kinds = KIND_NAMES.filter((k) => props.kinds[k] && (!props.only || props.only.includes(k)));
  const results = await Promise.all(kinds.map(async (k) => [k, await ctx.live(k)] as const));
  return new Map(results);
}
