// TopicRule read: ListTopicRules (largest pages, src/aws/paginate.ts), then GetTopicRule only for rules in scope:
// declared, or claimed by the ownership ledger (shared/ownership.ts). The identity the ledger
// records is the rule's creation time, which ListTopicRules already returns.
import type { IotApi, IotOutput } from '../../aws/iot-api.js';
import { listAll } from '../../aws/paginate.js';
import type { ReadContext } from '../types.js';
import type { LiveResource } from '../../model/live.js';
import type { RuleAction } from './spec.js';
import { mapLimit, READ_CONCURRENCY } from '../shared/concurrency.js';
import { unlessNotFound } from '../shared/aws-errors.js';
import { ownershipResolver, timeIdentity } from '../shared/ownership.js';

/** AWS's SQL version when a rule was created without one. */
export const AWS_DEFAULT_SQL_VERSION = '2015-10-08';

export interface TopicRuleLiveState {
  readonly arn: string;
  readonly sql: string;
  /** As stored; AWS's own default filled in when the rule has none. */
  readonly sqlVersion: string;
  readonly description?: string;
  readonly enabled: boolean;
  /** In AWS's order. */
  readonly actions: readonly RuleAction[];
  readonly errorAction?: RuleAction;
}

export type TopicRuleLive = LiveResource<'TopicRule', TopicRuleLiveState>;

/** Every rule of the account, as ListTopicRules reports it (name, ARN, creation time). */
export async function listTopicRules(api: IotApi): Promise<NonNullable<IotOutput<'ListTopicRules'>['rules']>> {
  return listAll(api, 'ListTopicRules', {}, (page) => page.rules);
}

export async function readTopicRules(ctx: ReadContext): Promise<TopicRuleLive[]> {
  const { api } = ctx;
  const listed = (await listTopicRules(api)).flatMap((r) =>
    r.ruleName !== undefined && r.ruleArn !== undefined ? [{ name: r.ruleName, arn: r.ruleArn, identity: timeIdentity(r.createdAt) }] : [],
  );
  const declared = new Set(ctx.desired.resources.filter((r) => r.kind === 'TopicRule').map((r) => r.name));
  const owner = await ownershipResolver(ctx, 'TopicRule', declared);
  const live = await mapLimit(listed, READ_CONCURRENCY, async (r): Promise<TopicRuleLive | undefined> => {
    if (!(await owner.covers(r.name, r.arn))) return undefined;
    const out = await unlessNotFound(() => api.send('GetTopicRule', { ruleName: r.name }));
    const rule = out?.rule;
    if (rule === undefined) return undefined;
    const owned = await owner.resolve(r.name, r.arn, r.identity);
    if (owned === undefined || (owned.ownership !== 'managed' && !declared.has(r.name))) return undefined;
    return {
      kind: 'TopicRule',
      name: r.name,
      ...owned,
      state: {
        arn: out?.ruleArn ?? r.arn,
        sql: rule.sql ?? '',
        sqlVersion: rule.awsIotSqlVersion ?? AWS_DEFAULT_SQL_VERSION,
        ...(rule.description !== undefined ? { description: rule.description } : {}),
        enabled: rule.ruleDisabled !== true,
        actions: (rule.actions ?? []) as RuleAction[],
        ...(rule.errorAction !== undefined ? { errorAction: rule.errorAction as RuleAction } : {}),
      },
    };
  });
  return live.filter((r): r is TopicRuleLive => r !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The ownership ledger's identity of a rule: its creation time. */
export async function readTopicRuleIdentity(api: IotApi, ruleName: string): Promise<string | undefined> {
  const out = await unlessNotFound(() => api.send('GetTopicRule', { ruleName }));
  return timeIdentity(out?.rule?.createdAt);
}
