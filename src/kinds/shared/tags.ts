// Tags and the ownership mark. A taggable resource is managed by this fleet iff its
// `iotops:managed-by` tag equals the fleet id (src/kinds/types.ts); another fleet's mark means
// unmanaged. Tag keys starting with `aws:` belong to AWS and are never written or removed.
import type { IotApi } from '../../aws/iot-api.js';
import type { StringMap } from '../../model/resource.js';
import { MANAGED_BY_TAG, type Ownership } from '../../model/live.js';
import { listAll } from '../../aws/paginate.js';

export interface AwsTag {
  readonly Key: string | undefined;
  readonly Value?: string | undefined;
}

export function tagsToRecord(tags: readonly AwsTag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of [...(tags ?? [])].sort((a, b) => cmp(a.Key ?? '', b.Key ?? ''))) {
    if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  }
  return out;
}

export function ownershipOf(tags: StringMap, fleetId: string): Ownership {
  return tags[MANAGED_BY_TAG] === fleetId ? 'managed' : 'unmanaged';
}

/** The tags iotops writes: the manifest's tags (if it declares any) plus the ownership mark (which always wins). */
export function ownedTags(desired: StringMap | undefined, fleetId: string): Record<string, string> {
  return { ...desired, [MANAGED_BY_TAG]: fleetId };
}

export function recordToTags(tags: StringMap): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort(cmp)
    .map((Key) => ({ Key, Value: tags[Key] as string }));
}

/** `k1=v1&k2=v2`, URL-encoded: the form CreateTopicRule takes in `x-amz-tagging`. */
export function toTaggingString(tags: Readonly<Record<string, string>>): string {
  return recordToTags(tags)
    .map((t) => `${encodeURIComponent(t.Key)}=${encodeURIComponent(t.Value)}`)
    .join('&');
}

export async function readTags(api: IotApi, resourceArn: string): Promise<Record<string, string>> {
  return tagsToRecord(await listAll(api, 'ListTagsForResource', { resourceArn }, (page) => page.tags));
}

/**
 * Brings a resource's tags to `desired` + the ownership mark: TagResource for new/changed values,
 * UntagResource for keys the manifest no longer has. `live` undefined means "read them first".
 * `desired` undefined (the manifest declares no tags) only sets the mark; other tags stay.
 */
export async function syncTags(
  api: IotApi,
  resourceArn: string,
  desired: StringMap | undefined,
  live: StringMap | undefined,
  fleetId: string,
): Promise<void> {
  if (desired === undefined) {
    if (live?.[MANAGED_BY_TAG] !== fleetId) await api.send('TagResource', { resourceArn, tags: [{ Key: MANAGED_BY_TAG, Value: fleetId }] });
    return;
  }
  const current = live ?? (await readTags(api, resourceArn));
  const want = ownedTags(desired, fleetId);
  const toSet = Object.keys(want).filter((k) => current[k] !== want[k] && !k.startsWith('aws:'));
  const toRemove = Object.keys(current).filter((k) => !(k in want) && !k.startsWith('aws:'));
  if (toSet.length > 0) {
    await api.send('TagResource', { resourceArn, tags: toSet.sort(cmp).map((Key) => ({ Key, Value: want[Key] as string })) });
  }
  if (toRemove.length > 0) {
    await api.send('UntagResource', { resourceArn, tagKeys: toRemove.sort(cmp) });
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
