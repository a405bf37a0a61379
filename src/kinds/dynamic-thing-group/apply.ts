// Executes DynamicThingGroup changes (Create/Update/DeleteDynamicThingGroup; replace = a live
// static group of the same name is deleted first).
import type { StringMap } from '../../model/resource.js';
import type { DynamicThingGroupSpec } from './spec.js';
import type { PlannedChange } from '../../model/plan.js';
import type { ApplyContext } from '../types.js';
import type { DynamicThingGroupLive } from '../dynamic-thing-group.js';
import { normQuery } from './query.js';
import { desiredOf, liveOf } from '../shared/change-data.js';
import { isAwsError } from '../../aws/errors.js';
import { mapFields, normMap, normString } from '../shared/diff.js';
import { ownedTags, recordToTags, syncTags } from '../shared/tags.js';

export async function applyDynamicThingGroup(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const name = change.name;
  switch (change.action) {
    case 'create': {
      const { spec, tags } = desiredOf<'DynamicThingGroup'>(change);
      await create(ctx, name, spec, tags);
      return;
    }
    case 'update':
    case 'adopt': {
      const { spec, tags } = desiredOf<'DynamicThingGroup'>(change);
      const live = liveOf<DynamicThingGroupLive>(change);
      await update(ctx, name, spec, live.state);
      if (change.action === 'adopt' || change.fields.some((f) => f.path === 'tags' || f.path.startsWith('tags.'))) {
        await syncTags(ctx.api, live.state.arn, tags, live.tags, ctx.fleetId);
      }
      return;
    }
    case 'replace': {
      const { spec, tags } = desiredOf<'DynamicThingGroup'>(change);
      const live = liveOf<DynamicThingGroupLive>(change).state;
      await remove(ctx, name, live.dynamic);
      await create(ctx, name, spec, tags);
      return;
    }
    case 'delete': {
      const live = liveOf<DynamicThingGroupLive>(change).state;
      await remove(ctx, name, live.dynamic);
      return;
    }
  }
}

async function create(ctx: ApplyContext, name: string, spec: DynamicThingGroupSpec, tags: StringMap | undefined): Promise<void> {
  const description = normString(spec.description);
  await ctx.api.send('CreateDynamicThingGroup', {
    thingGroupName: name,
    queryString: normQuery(spec.query),
    thingGroupProperties: {
      ...(description ? { thingGroupDescription: description } : {}),
      attributePayload: { attributes: normMap(spec.attributes) },
    },
    tags: recordToTags(ownedTags(tags, ctx.fleetId)),
  });
}

async function update(ctx: ApplyContext, name: string, spec: DynamicThingGroupSpec, live: DynamicThingGroupLive): Promise<void> {
  const description = normString(spec.description);
  const query = normQuery(spec.query);
  const changed =
    query !== live.query || description !== live.description || mapFields('attributes', spec.attributes, live.attributes).length > 0;
  if (!changed) return;
  await ctx.api.send('UpdateDynamicThingGroup', {
    thingGroupName: name,
    queryString: query,
    thingGroupProperties: {
      thingGroupDescription: description ?? '',
      attributePayload: { attributes: normMap(spec.attributes), merge: false },
    },
    expectedVersion: live.version,
  });
}

async function remove(ctx: ApplyContext, name: string, dynamic: boolean): Promise<void> {
  try {
    if (dynamic) await ctx.api.send('DeleteDynamicThingGroup', { thingGroupName: name });
    else await ctx.api.send('DeleteThingGroup', { thingGroupName: name });
  } catch (err) {
    if (!isAwsError(err, 'ResourceNotFoundException')) throw err;
  }
}
