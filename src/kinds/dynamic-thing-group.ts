// DynamicThingGroup: read through the shared group scan (thing-group/scan.ts); the query, its
// description and attributes come from DescribeThingGroup. A query change is an in-place update
// (AWS rebuilds the membership: status REBUILDING); a live static group with the name is a replace
// (AWS cannot convert). Membership is AWS's business (evaluated from the query), never compared;
// creates and changes get a preview of it (dynamic-thing-group/preview.ts).
import type { FieldChange } from '../model/plan.js';
import type { Comparison, Kind } from './types.js';
import type { LiveResource } from '../model/live.js';
import { mapFields, normMap, normString, optional, stringField } from './shared/diff.js';
import { ownedPart, readGroupIdentity, scanGroups } from './thing-group/scan.js';
import { FLEET_INDEXING_NAME } from './fleet-indexing.js';
import { applyDynamicThingGroup } from './dynamic-thing-group/apply.js';
import { normQuery } from './dynamic-thing-group/query.js';
import { membershipPreview } from './dynamic-thing-group/preview.js';
import { dynamicThingGroupManifest } from './dynamic-thing-group/manifest.js';

export { normQuery };

export interface DynamicThingGroupLive {
  readonly arn: string;
  readonly version: number;
  /** False when the live group with this name is a static group (the manifest wants a dynamic one). */
  readonly dynamic: boolean;
  /** Normalized query (see normQuery); absent for a static group. */
  readonly query?: string;
  readonly description?: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** BUILDING | REBUILDING | ACTIVE (informational, not compared). */
  readonly status?: string;
}

export const dynamicThingGroupKind: Kind<'DynamicThingGroup', DynamicThingGroupLive> = {
  kind: 'DynamicThingGroup',
  manifest: dynamicThingGroupManifest,
  taggable: true,

  async read(ctx) {
    const groups = await scanGroups(ctx, 'DynamicThingGroup');
    return groups.map((g): LiveResource<'DynamicThingGroup', DynamicThingGroupLive> => {
      const d = g.description;
      const dynamic = g.type === 'dynamic';
      return {
        kind: 'DynamicThingGroup',
        name: g.name,
        ...ownedPart(g),
        state: {
          arn: g.arn,
          version: d.version ?? 0,
          dynamic,
          ...optional('query', dynamic ? normQuery(d.queryString ?? '') : undefined),
          ...optional('description', normString(d.thingGroupProperties?.thingGroupDescription)),
          attributes: normMap(d.thingGroupProperties?.attributePayload?.attributes),
          ...optional('status', d.status),
        },
      };
    });
  },

  readIdentity: readGroupIdentity,

  references: [],
  fixedDependencies: [`FleetIndexing/${FLEET_INDEXING_NAME}`],

  compare(desired, live): Comparison {
    const spec = desired.spec;
    const queryChange = live.state.dynamic ? stringField('query', normQuery(spec.query), live.state.query) : [{ path: 'query', after: normQuery(spec.query) }];
    const fields: FieldChange[] = [
      ...(live.state.dynamic ? [] : [{ path: 'groupType', before: 'static', after: 'dynamic' }]),
      ...queryChange,
      ...stringField('description', spec.description, live.state.description),
      ...mapFields('attributes', spec.attributes, live.state.attributes),
    ];
    if (!live.state.dynamic) {
      return {
        fields,
        replaceReason:
          'AWS cannot convert a static thing group into a dynamic one: iotops deletes the static group (its members and policies go with it) and creates a dynamic group with the same name.',
      };
    }
    if (queryChange.length > 0) return { fields, notes: ['AWS re-evaluates the membership after a query change (status REBUILDING)'] };
    return { fields };
  },

  previewNotes(desired, live, ctx) {
    return membershipPreview(desired, live, ctx);
  },

  apply: applyDynamicThingGroup,
};
