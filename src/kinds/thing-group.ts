// ThingGroup (static): read through the shared group scan (thing-group/scan.ts). `policies` comes
// from the Policy reader's targets (ListTargetsForPolicy, one per policy in scope), not from
// ListAttachedPolicies per group: every policy a group declares is a fleet policy (validate checks
// references), and the Policy reader covers every declared, referenced or managed policy. So
// attachments of policies outside the fleet are not seen and never touched, as for certificates.
// Parent is fixed at creation
// and static↔dynamic conversion is impossible in AWS, so either change is a replace; a parent
// change is blocked while the group has child groups (AWS refuses to delete a parent).
import type { DesiredResourceOf } from '../model/resource.js';
import type { FieldChange } from '../model/plan.js';
import type { Comparison, Kind, ReadContext } from './types.js';
import type { LiveResource } from '../model/live.js';
import { listAll } from '../aws/paginate.js';
import { mapLimit, READ_CONCURRENCY } from './shared/concurrency.js';
import type { PolicyLiveState } from './policy/read.js';
import { mapFields, normMap, normSet, normString, optional, setField, stringField } from './shared/diff.js';
import { ownedPart, readGroupIdentity, scanGroups, type ScannedGroup } from './thing-group/scan.js';
import { applyThingGroup } from './thing-group/apply.js';
import { thingGroupManifest } from './thing-group/manifest.js';

export interface ThingGroupLive {
  readonly arn: string;
  readonly version: number;
  /** True when the live group with this name is a dynamic group (the manifest wants a static one). */
  readonly dynamic: boolean;
  readonly parent?: string;
  readonly description?: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Policies in the fleet's scope (declared, referenced or managed) attached directly to the group (sorted). */
  readonly policies: readonly string[];
  /** Child groups, read only when the manifest moves the group to another parent. */
  readonly children?: readonly string[];
}

export const thingGroupKind: Kind<'ThingGroup', ThingGroupLive> = {
  kind: 'ThingGroup',
  manifest: thingGroupManifest,
  taggable: true,

  async read(ctx) {
    // Both started at once: the group scan never waits for the policies' tag reads.
    const [groups, policies] = await Promise.all([scanGroups(ctx, 'ThingGroup'), ctx.live('Policy')]);
    const declared = new Map<string, DesiredResourceOf<'ThingGroup'>>();
    for (const r of ctx.desired.resources) if (r.kind === 'ThingGroup') declared.set(r.name, r);
    const byTarget = policiesByTarget(policies as readonly LiveResource<'Policy', PolicyLiveState>[]);
    return mapLimit(groups, READ_CONCURRENCY, async (g) => toLive(ctx, g, declared.get(g.name), byTarget));
  },

  readIdentity: readGroupIdentity,

  references: [
    // Its hierarchy check reports an unknown or dynamic parent.
    { path: ['parent'], to: ['ThingGroup'], checkedByKind: true },
    { path: ['policies'], to: ['Policy'] },
  ],

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
  byTarget: ReadonlyMap<string, readonly string[]>,
): Promise<LiveResource<'ThingGroup', ThingGroupLive>> {
  const d = g.description;
  const dynamic = g.type === 'dynamic';
  const parent = normString(d.thingGroupMetadata?.parentGroupName);
  const policies = dynamic ? [] : normSet(byTarget.get(g.arn) ?? []);
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
  return { kind: 'ThingGroup', name: g.name, ...ownedPart(g), state };
}

/** Target ARN → names of the policies in scope attached to it. */
function policiesByTarget(policies: readonly LiveResource<'Policy', PolicyLiveState>[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of policies) {
    for (const target of p.state.targets) {
      const list = out.get(target);
      if (list) list.push(p.name);
      else out.set(target, [p.name]);
    }
  }
  return out;
}

async function childNames(ctx: ReadContext, parentGroup: string): Promise<string[]> {
  const children = await listAll(ctx.api, 'ListThingGroups', { parentGroup, recursive: false }, (page) => page.thingGroups);
  return normSet(children.map((c) => c.groupName).filter((n): n is string => !!n));
}

function childGroups(name: string, live: ThingGroupLive, all: readonly LiveResource[]): string[] {
  const inScope = all.filter((g) => (g.state as Partial<ThingGroupLive>).parent === name).map((g) => g.name);
  return normSet([...(live.children ?? []), ...inScope]);
}
