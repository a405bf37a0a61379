// Executes ThingType changes. Deletion and replacement span two runs because AWS deletes a type
// only ≥ 5 minutes after deprecation: when the live type is not deprecated yet, this run only
// deprecates it (the plan says so); a later run, once the planner no longer blocks it as
// `deprecation-pending`, deletes (and for a replace, recreates) it.
import type { StringMap } from '../../model/resource.js';
import type { ThingTypeSpec } from './spec.js';
import type { PlannedChange } from '../../model/plan.js';
import type { ApplyContext } from '../types.js';
import type { ThingTypeLive } from '../thing-type.js';
import { desiredOf, liveOf } from '../shared/change-data.js';
import { unlessNotFound } from '../shared/aws-errors.js';
import { ownedTags, recordToTags, syncTags } from '../shared/tags.js';

export async function applyThingType(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const name = change.name;
  switch (change.action) {
    case 'create': {
      const { spec, tags } = desiredOf<'ThingType'>(change);
      await create(ctx, name, spec, tags);
      return;
    }
    case 'update':
    case 'adopt': {
      const { spec, tags } = desiredOf<'ThingType'>(change);
      const live = liveOf<ThingTypeLive>(change);
      if (change.action === 'adopt' || change.fields.some((f) => f.path === 'tags' || f.path.startsWith('tags.'))) {
        await syncTags(ctx.api, live.state.arn, tags, live.tags, ctx.fleetId);
      }
      if (spec.deprecated !== live.state.deprecated) await setDeprecated(ctx, name, spec.deprecated);
      return;
    }
    case 'replace': {
      const { spec, tags } = desiredOf<'ThingType'>(change);
      const live = liveOf<ThingTypeLive>(change).state;
      if (!live.deprecated) {
        await setDeprecated(ctx, name, true);
        return;
      }
      await remove(ctx, name);
      await create(ctx, name, spec, tags);
      return;
    }
    case 'delete': {
      const live = change.live ? liveOf<ThingTypeLive>(change).state : undefined;
      if (live && !live.deprecated) {
        await setDeprecated(ctx, name, true);
        return;
      }
      await remove(ctx, name);
      return;
    }
  }
}

async function create(ctx: ApplyContext, name: string, spec: ThingTypeSpec, tags: StringMap | undefined): Promise<void> {
  await ctx.api.send('CreateThingType', {
    thingTypeName: name,
    thingTypeProperties: {
      ...(spec.description ? { thingTypeDescription: spec.description } : {}),
      ...(spec.searchableAttributes.length > 0 ? { searchableAttributes: [...spec.searchableAttributes] } : {}),
    },
    tags: recordToTags(ownedTags(tags, ctx.fleetId)),
  });
  if (spec.deprecated) await setDeprecated(ctx, name, true);
}

async function setDeprecated(ctx: ApplyContext, name: string, deprecated: boolean): Promise<void> {
  await ctx.api.send('DeprecateThingType', { thingTypeName: name, undoDeprecate: !deprecated });
}

async function remove(ctx: ApplyContext, name: string): Promise<void> {
  await unlessNotFound(() => ctx.api.send('DeleteThingType', { thingTypeName: name }));
}
