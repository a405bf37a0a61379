// Policy apply. Every step re-reads what it depends on, so a rerun after a partial failure
// converges: a create that finds the policy continues as an update, an update whose document is
// already the default does nothing, a delete of a missing policy succeeds.
import type { IotApi } from '../../aws/iot-api.js';
import type { PlannedChange } from '../../model/plan.js';
import { type ApplyContext } from '../types.js';
import { MANAGED_BY_TAG } from '../../model/live.js';
import { desiredDocument, sameDocument, versionToPrune } from './compare.js';
import { parseDocument, sortVersionIds } from './read.js';
import { listAll } from '../../aws/paginate.js';
import { isAwsError } from '../../aws/errors.js';
import { retryOn, unlessNotFound } from '../shared/aws-errors.js';
import { desiredOf } from '../shared/change-data.js';
import { ownedTags, readTags, recordToTags, syncTags } from '../shared/tags.js';

/** DeletePolicy can conflict for up to ~5 minutes after the last detach (AWS-IOT-FACTS.md, Policies). */
export const DELETE_CONFLICT_DELAYS_MS: readonly number[] = [500, 1000, 2000, 4000, 8000, 15000, 30000, 60000, 60000, 60000, 60000];

async function versions(api: IotApi, policyName: string): Promise<{ ids: string[]; defaultId: string }> {
  const out = await api.send('ListPolicyVersions', { policyName });
  const list = out.policyVersions ?? [];
  const ids = sortVersionIds(list.flatMap((v) => (v.versionId === undefined ? [] : [v.versionId])));
  const defaultId = list.find((v) => v.isDefaultVersion)?.versionId ?? '';
  return { ids, defaultId };
}

async function pruneOldest(api: IotApi, policyName: string): Promise<void> {
  const v = await versions(api, policyName);
  const victim = versionToPrune(v.ids, v.defaultId);
  if (victim !== undefined) await api.send('DeletePolicyVersion', { policyName, policyVersionId: victim });
}

/** Makes `document` the default version: CreatePolicyVersion(setAsDefault), pruning the oldest non-default at 5. */
export async function setPolicyDocument(api: IotApi, policyName: string, document: unknown): Promise<void> {
  const current = await api.send('GetPolicy', { policyName });
  if (sameDocument(parseDocument(current.policyDocument), document)) return;
  await pruneOldest(api, policyName);
  const create = () => api.send('CreatePolicyVersion', { policyName, policyDocument: JSON.stringify(document), setAsDefault: true });
  try {
    await create();
  } catch (err) {
    // Someone else added a version between our prune and create: prune again, once.
    if (!isAwsError(err, 'VersionsLimitExceededException')) throw err;
    await pruneOldest(api, policyName);
    await create();
  }
}

async function createPolicy(api: IotApi, change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const desired = desiredOf<'Policy'>(change);
  const document = desiredDocument(desired.spec);
  try {
    await api.send('CreatePolicy', {
      policyName: change.name,
      policyDocument: JSON.stringify(document),
      tags: recordToTags(ownedTags(desired.tags, ctx.fleetId)),
    });
  } catch (err) {
    if (!isAwsError(err, 'ResourceAlreadyExistsException')) throw err;
    // A previous run created it (or it raced in): converge it like an update, but only if it is ours.
    const arn = (await api.send('GetPolicy', { policyName: change.name })).policyArn ?? '';
    const tags = await readTags(api, arn);
    if (tags[MANAGED_BY_TAG] !== ctx.fleetId) throw err;
    await setPolicyDocument(api, change.name, document);
    await syncTags(api, arn, desired.tags, undefined, ctx.fleetId);
  }
}

async function updatePolicy(api: IotApi, change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const desired = desiredOf<'Policy'>(change);
  const touchesTags = change.action === 'adopt' || change.fields.some((f) => f.path === 'tags' || f.path.startsWith('tags.'));
  const arn = (await api.send('GetPolicy', { policyName: change.name })).policyArn ?? '';
  // Adopt marks ownership first, so a failure later leaves a managed policy that the next plan updates.
  if (touchesTags) await syncTags(api, arn, desired.tags, undefined, ctx.fleetId);
  await setPolicyDocument(api, change.name, desiredDocument(desired.spec));
}

/** Detach from every target, delete non-default versions, then DeletePolicy (retrying the detach lag). */
export async function deletePolicy(api: IotApi, policyName: string, fleetId: string): Promise<void> {
  const policy = await unlessNotFound(() => api.send('GetPolicy', { policyName }));
  if (policy === undefined) return;
  const arn = policy.policyArn ?? '';
  // The plan may be stale: never delete what is not provably ours.
  const tags = await readTags(api, arn);
  if (tags[MANAGED_BY_TAG] !== fleetId) throw new Error(`Policy/${policyName} is not managed by fleet ${fleetId}; refusing to delete it`);
  const targets = await listAll(api, 'ListTargetsForPolicy', { policyName }, (page) => page.targets);
  for (const target of targets) await unlessNotFound(() => api.send('DetachPolicy', { policyName, target }));
  const v = await versions(api, policyName);
  for (const id of v.ids) if (id !== v.defaultId) await api.send('DeletePolicyVersion', { policyName, policyVersionId: id });
  await retryOn({ on: ['DeleteConflictException'], delaysMs: DELETE_CONFLICT_DELAYS_MS }, () =>
    unlessNotFound(() => api.send('DeletePolicy', { policyName })),
  );
}

export async function applyPolicy(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  switch (change.action) {
    case 'create':
      return createPolicy(ctx.api, change, ctx);
    case 'update':
    case 'adopt':
    case 'replace':
      return updatePolicy(ctx.api, change, ctx);
    case 'delete':
      return deletePolicy(ctx.api, change.name, ctx.fleetId);
  }
}
