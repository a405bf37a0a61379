// Executes ThingGroup (static) changes. A replace keeps the group's member things: they are listed
// before the delete and added back after the create, so one run converges.
import type { StringMap } from '../../model/resource.js';
import type { ThingGroupSpec } from './spec.js';
import type { PlannedChange } from '../../model/plan.js';
import type { IotApi } from '../../aws/iot-api.js';
import type { ApplyContext } from '../types.js';
import type { ThingGroupLive } from '../thing-group.js';
import { desiredOf, liveOf } from '../shared/change-data.js';
import { listAll } from '../../aws/paginate.js';
import { mapLimit } from '../shared/concurrency.js';
import { unlessNotFound } from '../shared/aws-errors.js';
import { mapFields, normMap, normSet, normString, setDelta } from '../shared/diff.js';
import { ownedTags, recordToTags, syncTags } from '../shared/tags.js';

const APPLY_CONCURRENCY = 4;

export async function applyThingGroup(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const name = change.name;
  switch (change.action) {
    case 'create': {
      const { spec, tags } = desiredOf<'ThingGroup'>(change);
      await create(ctx, name, spec, tags);
      return;
    }
    case 'update':
    case 'adopt': {
      const { spec, tags } = desiredOf<'ThingGroup'>(change);
      const live = liveOf<ThingGroupLive>(change);
      await update(ctx.api, name, spec, live.state);
      if (change.action === 'adopt' || change.fields.some((f) => f.path === 'tags' || f.path.startsWith('tags.'))) {
        await syncTags(ctx.api, live.state.arn, tags, live.tags, ctx.fleetId);
      }
      return;
    }
    case 'replace': {
      const { spec, tags } = desiredOf<'ThingGroup'>(change);
      const live = liveOf<ThingGroupLive>(change).state;
      if (live.dynamic) {
        await deleteDynamic(ctx.api, name);
        await create(ctx, name, spec, tags);
        return;
      }
      const members = await listMembers(ctx.api, name);
      await deleteStatic(ctx.api, name, live.policies, live.arn);
      await create(ctx, name, spec, tags);
      await mapLimit(members, APPLY_CONCURRENCY, (thingName) => ctx.api.send('AddThingToThingGroup', { thingGroupName: name, thingName }));
      return;
    }
    case 'delete': {
      const live = liveOf<ThingGroupLive>(change).state;
      if (live.dynamic) await deleteDynamic(ctx.api, name);
      else await deleteStatic(ctx.api, name, live.policies, live.arn);
      return;
    }
  }
}

async function create(ctx: ApplyContext, name: string, spec: ThingGroupSpec, tags: StringMap | undefined): Promise<void> {
  const description = normString(spec.description);
  const out = await ctx.api.send('CreateThingGroup', {
    thingGroupName: name,
    ...(spec.parent ? { parentGroupName: spec.parent } : {}),
    thingGroupProperties: {
      ...(description ? { thingGroupDescription: description } : {}),
      attributePayload: { attributes: normMap(spec.attributes) },
    },
    tags: recordToTags(ownedTags(tags, ctx.fleetId)),
  });
  const target = out.thingGroupArn as string;
  for (const policyName of normSet(spec.policies)) await ctx.api.send('AttachPolicy', { policyName, target });
}

async function update(api: IotApi, name: string, spec: ThingGroupSpec, live: ThingGroupLive): Promise<void> {
  const description = normString(spec.description);
  const propsDiffer = description !== live.description || mapFields('attributes', spec.attributes, live.attributes).length > 0;
  if (propsDiffer) {
    // merge:false replaces the attribute map, so removed attributes disappear (no empty-value trick needed).
    await api.send('UpdateThingGroup', {
      thingGroupName: name,
      thingGroupProperties: {
        thingGroupDescription: description ?? '',
        attributePayload: { attributes: normMap(spec.attributes), merge: false },
      },
      expectedVersion: live.version,
    });
  }
  const { add, remove } = setDelta(live.policies, normSet(spec.policies));
  for (const policyName of add) await api.send('AttachPolicy', { policyName, target: live.arn });
  for (const policyName of remove) await detach(api, policyName, live.arn);
}

async function deleteStatic(api: IotApi, name: string, policies: readonly string[], arn: string): Promise<void> {
  for (const policyName of policies) await detach(api, policyName, arn);
  // Already gone (a rerun after a partial failure): the goal is reached.
  await unlessNotFound(() => api.send('DeleteThingGroup', { thingGroupName: name }));
}

async function deleteDynamic(api: IotApi, name: string): Promise<void> {
  await unlessNotFound(() => api.send('DeleteDynamicThingGroup', { thingGroupName: name }));
}

async function detach(api: IotApi, policyName: string, target: string): Promise<void> {
  await unlessNotFound(() => api.send('DetachPolicy', { policyName, target }));
}

export async function listMembers(api: IotApi, thingGroupName: string): Promise<string[]> {
  const names = await listAll(api, 'ListThingsInThingGroup', { thingGroupName, recursive: false }, (page) => page.things);
  return normSet(names);
}
