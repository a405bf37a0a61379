// ThingType: read with ListThingTypes (description, searchable attributes, deprecation and the
// creation time the ownership ledger records are all in the list); tags only where the ledger does
// not prove ownership or the manifest declares tags (shared/ownership.ts). AWS cannot update a type's
// description or searchable attributes: such a change is a replace (deprecate, wait 5 minutes,
// delete, create), blocked while things use the type. Deletion follows the same two-run rule.
import type { DesiredResourceOf } from '../model/resource.js';
import type { ThingTypeSpec } from './thing-type/spec.js';
import type { FieldChange } from '../model/plan.js';
import type { IotApi } from '../aws/iot-api.js';
import { firstPage, listAll } from '../aws/paginate.js';
import type { Comparison, Kind, ReadContext } from './types.js';
import type { LiveResource } from '../model/live.js';
import { mapLimit, READ_CONCURRENCY } from './shared/concurrency.js';
import { normSet, normString, optional, scalarField, setField, stringField } from './shared/diff.js';
import { ownershipResolver, timeIdentity } from './shared/ownership.js';
import { unlessNotFound } from './shared/aws-errors.js';
import {
  DEPRECATE_FIRST_NOTE,
  deletionWaitLeft,
  deprecationPending,
  thingsStayingOnType,
  thingsUsingType,
  typeInUse,
} from './thing-type/rules.js';
import { applyThingType } from './thing-type/apply.js';
import { thingTypeManifest } from './thing-type/manifest.js';

export interface ThingTypeLive {
  readonly arn: string;
  readonly description?: string;
  /** A set: sorted, unique. */
  readonly searchableAttributes: readonly string[];
  readonly deprecated: boolean;
  /** Epoch ms; set when deprecated. */
  readonly deprecationDate?: number;
  /** Things using the type (first page of ListThings by type), read only for types about to be replaced or deleted. */
  readonly usedBy?: readonly string[];
  /** True when more things use the type than `usedBy` lists. */
  readonly usedByMore?: boolean;
}

export const thingTypeKind: Kind<'ThingType', ThingTypeLive> = {
  kind: 'ThingType',
  manifest: thingTypeManifest,
  taggable: true,

  async read(ctx) {
    const defs = await listAll(ctx.api, 'ListThingTypes', {}, (page) => page.thingTypes);
    const declared = new Map<string, DesiredResourceOf<'ThingType'>>();
    for (const r of ctx.desired.resources) if (r.kind === 'ThingType') declared.set(r.name, r);

    const owner = await ownershipResolver(ctx, 'ThingType', new Set(declared.keys()));
    const out = await mapLimit(defs, READ_CONCURRENCY, async (def) => {
      const name = def.thingTypeName;
      const arn = def.thingTypeArn;
      if (!name || !arn || !(await owner.covers(name, arn))) return undefined;
      const owned = await owner.resolve(name, arn, timeIdentity(def.thingTypeMetadata?.creationDate));
      if (owned === undefined || (owned.ownership !== 'managed' && !declared.has(name))) return undefined;
      const meta = def.thingTypeMetadata;
      const props = def.thingTypeProperties;
      const base: ThingTypeLive = {
        arn: def.thingTypeArn ?? '',
        ...optional('description', normString(props?.thingTypeDescription)),
        searchableAttributes: normSet(props?.searchableAttributes),
        deprecated: meta?.deprecated === true,
        ...optional('deprecationDate', meta?.deprecated && meta.deprecationDate ? new Date(meta.deprecationDate).getTime() : undefined),
      };
      const desired = declared.get(name);
      const state = needsUsage(base, desired) ? { ...base, ...(await readUsage(ctx, name)) } : base;
      const live: LiveResource<'ThingType', ThingTypeLive> = { kind: 'ThingType', name, ...owned, state };
      return live;
    });
    return out.filter((t): t is LiveResource<'ThingType', ThingTypeLive> => t !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  },

  references: [],

  readIdentity: readThingTypeIdentity,

  compare(desired, live, ctx): Comparison {
    const immutable = immutableFields(desired.spec, live.state);
    const fields: FieldChange[] = [...immutable, ...scalarField('deprecated', desired.spec.deprecated, live.state.deprecated)];
    if (immutable.length === 0) return { fields };

    const what = immutable.map((f) => f.path).join(' and ');
    const replaceReason =
      `AWS cannot update a thing type's ${what} (only deprecation can change): iotops replaces it — ` +
      'deprecate, wait 5 minutes, delete, and create it again with the same name.';
    const users = thingsUsingType(desired.name, live.state, ctx);
    if (users.names.length > 0 || users.more) {
      return { fields, replaceReason, blocked: typeInUse(desired.name, users, `changing its ${what} means deleting it, and`) };
    }
    if (!live.state.deprecated) return { fields, replaceReason, notes: [DEPRECATE_FIRST_NOTE] };
    if (deletionWaitLeft(live.state, ctx.now) > 0) {
      return { fields, replaceReason, blocked: deprecationPending(desired.name, live.state, ctx.now) };
    }
    return { fields, replaceReason, notes: ['deletes the deprecated thing type and creates it again'] };
  },

  checkDelete(live, ctx) {
    const users = thingsStayingOnType(live.name, live.state, ctx);
    const used = users.names.length > 0 || users.more;
    if (!live.state.deprecated) {
      const notes = [DEPRECATE_FIRST_NOTE];
      if (used) notes.push(typeInUse(live.name, users, 'deprecation is allowed now, but').message);
      return { notes };
    }
    if (deletionWaitLeft(live.state, ctx.now) > 0) return { blocked: deprecationPending(live.name, live.state, ctx.now) };
    if (used) return { blocked: typeInUse(live.name, users, 'it is deprecated, but') };
    return {};
  },

  apply: applyThingType,
};

function immutableFields(spec: ThingTypeSpec, live: ThingTypeLive): FieldChange[] {
  return [
    ...stringField('description', spec.description, live.description),
    ...setField('searchableAttributes', spec.searchableAttributes, live.searchableAttributes),
  ];
}

/** Usage matters only where the type is going away: undeclared managed types, or immutable changes. */
function needsUsage(live: ThingTypeLive, desired: DesiredResourceOf<'ThingType'> | undefined): boolean {
  if (!desired) return true;
  return immutableFields(desired.spec, live).length > 0;
}

async function readUsage(ctx: ReadContext, thingTypeName: string): Promise<Pick<ThingTypeLive, 'usedBy' | 'usedByMore'>> {
  // One page is enough to name users in the plan and to know whether there are more.
  const { page, more } = await firstPage(ctx.api, 'ListThings', { thingTypeName });
  const usedBy = normSet((page.things ?? []).map((t) => t.thingName).filter((n): n is string => !!n));
  return more ? { usedBy, usedByMore: true } : { usedBy };
}

/** The ownership ledger's identity of a thing type: its creation time. */
async function readThingTypeIdentity(api: IotApi, thingTypeName: string): Promise<string | undefined> {
  const out = await unlessNotFound(() => api.send('DescribeThingType', { thingTypeName }));
  return out === undefined ? undefined : timeIdentity(out.thingTypeMetadata?.creationDate);
}
