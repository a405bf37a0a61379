// ThingGroup (static): read through the shared group scan (thing-group/scan.ts), plus
// ListAttachedPolicies per static group in scope for `spec.policies`. Parent is fixed at creation
// and static↔dynamic conversion is impossible in AWS, so either change is a replace; a parent
// change is blocked while the group has child groups (AWS refuses to delete a parent).
import type { DesiredResourceOf } from '../manifest/model.js';
import type { FieldChange } from '../plan/model.js';
import type { Comparison, Kind, LiveResource, ReadContext } from './types.js';
import { collectByToken, mapLimit, READ_CONCURRENCY } from './shared/aws-calls.js';
import { mapFields, normMap, normSet, normString, optional, setField, stringField } from './shared/diff.js';
import { GROUP_PAGE, scanGroups, type ScannedGroup } from './thing-group/scan.js';
import { applyThingGroup } from './thing-group/apply.js';

export interface ThingGroupLive {
  readonly arn: string;
  readonly version: number;
  /** True when the live group with this name is a dynamic group (the manifest wants a static one). */
  readonly dynamic: boolean;
  readonly parent?: string;
  readonly description?: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Policies attached directly to the group (sorted). */
  readonly policies: readonly string[];
  /** Child groups, read only when the manifest moves the group to another parent. */
  readonly children?: readonly string[];
}

export const thingGroupKind: Kind<'ThingGroup', ThingGroupLive> = {
  kind: 'ThingGroup',
  taggable: true,

  async read(ctx) {
    const groups = await scanGroups(ctx, 'ThingGroup');
    const declared = new Map<string, DesiredResourceOf<'ThingGroup'>>();
    for (const r of ctx.desired.resources) if (r.kind === 'ThingGroup') declared.set(r.name, r);
    return mapLimit(groups, READ_CONCURRENCY, async (g) => toLive(ctx, g, declared.get(g.name)));
  },

  dependencies(desired) {
    return [
      ...(desired.spec.parent ? [`ThingGroup/${desired.spec.parent}`] : []),
      ...normSet(desired.spec.policies).map((p) => `Policy/${p}`),
    ];
  },

  compare(desired, live, ctx): Comparison {
    const spec = desired.spec;
    const fields: FieldChange[] = [
      ...(live.state.dynamic ? [{ path: 'groupType', before: 'dynamic', after: 'static' }] : []),
      ...stringField('parent', spec.parent, live.state.parent),
      ...stringField('description', spec.description, live.state.description),
      ...mapFields('attributes', spec.attributes, live.state.attributes),
      ...setField('policies', spec.policies, live.state.policies),
    ];
    if (live.state.dynamic) {
      return {
        fields,
        replaceReason:
          'AWS cannot convert a dynamic thing group into a static one: iotops deletes the dynamic group and creates a static group with the same name.',
      };
    }
    if (normString(spec.parent) === live.state.parent) return { fields };

    const replaceReason =
      `AWS fixes a thing group's parent at creation: iotops deletes the group and creates it again under ` +
      `${spec.parent ? `parent ${spec.parent}` : 'no parent'}, then adds its member things back and attaches its policies.`;
    const children = childGroups(desired.name, live.state, ctx.live.get('ThingGroup') ?? []);
    if (children.length > 0) {
      return {
        fields,
        replaceReason,
        blocked: {
          code: 'immutable-field',
          message:
            `thing group ${desired.name} cannot move to another parent: that needs deleting it, and AWS refuses to delete a group ` +
            `with child groups (${children.join(', ')}). Replace the child groups too (or keep the parent).`,
        },
      };
    }
    return { fields, replaceReason, notes: ['member things lose the group (and its policies) between the delete and the re-add'] };
  },

  apply: applyThingGroup,
};

async function toLive(
  ctx: ReadContext,
  g: ScannedGroup,
  desired: DesiredResourceOf<'ThingGroup'> | undefined,
): Promise<LiveResource<'ThingGroup', ThingGroupLive>> {
  const d = g.description;
  const dynamic = g.type === 'dynamic';
  const parent = normString(d.thingGroupMetadata?.parentGroupName);
  const policies = dynamic ? [] : await attachedPolicies(ctx, g.arn);
  const moving = !!desired && !dynamic && normString(desired.spec.parent) !== parent;
  const state: ThingGroupLive = {
    arn: g.arn,
    version: d.version ?? 0,
    dynamic,
    ...optional('parent', parent),
    ...optional('description', normString(d.thingGroupProperties?.thingGroupDescription)),
    attributes: normMap(d.thingGroupProperties?.attributePayload?.attributes),
    policies,
    ...optional('children', moving ? await childNames(ctx, g.name) : undefined),
  };
  return { kind: 'ThingGroup', name: g.name, ownership: g.ownership, tags: g.tags, state };
}

async function attachedPolicies(ctx: ReadContext, target: string): Promise<string[]> {
  const policies = await collectByToken(async (marker) => {
    const page = await ctx.api.send('ListAttachedPolicies', { target, recursive: false, pageSize: 250, marker });
    return { items: page.policies, nextToken: page.nextMarker };
  });
  return normSet(policies.map((p) => p.policyName).filter((n): n is string => !!n));
}

async function childNames(ctx: ReadContext, parentGroup: string): Promise<string[]> {
  const children = await collectByToken(async (nextToken) => {
    const page = await ctx.api.send('ListThingGroups', { parentGroup, recursive: false, maxResults: GROUP_PAGE, nextToken });
    return { items: page.thingGroups, nextToken: page.nextToken };
  });
  return normSet(children.map((c) => c.groupName).filter((n): n is string => !!n));
}

function childGroups(name: string, live: ThingGroupLive, all: readonly LiveResource[]): string[] {
  const inScope = all.filter((g) => (g.state as Partial<ThingGroupLive>).parent === name).map((g) => g.name);
  return normSet([...(live.children ?? []), ...inScope]);
}
