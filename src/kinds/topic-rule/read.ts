// TopicRule read: ListTopicRules (up to 10000 a page), tags of every rule (ownership), then
// GetTopicRule only for rules in scope (managed or declared). Declared rules are in scope whatever
// their tags, so their GetTopicRule starts beside the tag reads (both 10 TPS, separate limits)
// instead of queueing behind them.
import type { IotOutput } from '../../aws/iot-api.js';
import { MANAGED_BY_TAG, type LiveResource, type ReadContext } from '../types.js';
import type { RuleAction } from '../../manifest/model.js';
import { allPagesByToken, unlessNotFound } from '../policy/shared.js';
import { mapLimit } from '../shared/aws-calls.js';
import { readTags } from '../shared/tags.js';

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

const CONCURRENCY = 8;

type GetTopicRuleOutput = IotOutput<'GetTopicRule'>;

export async function readTopicRules(ctx: ReadContext): Promise<TopicRuleLive[]> {
  const { api, fleetId } = ctx;
  const pages = await allPagesByToken((nextToken) => api.send('ListTopicRules', { maxResults: 10000, nextToken }));
  const listed = pages.flatMap((p) => p.rules ?? []).flatMap((r) =>
    r.ruleName !== undefined && r.ruleArn !== undefined ? [{ name: r.ruleName, arn: r.ruleArn }] : [],
  );
  const declared = new Set(ctx.desired.resources.filter((r) => r.kind === 'TopicRule').map((r) => r.name));
  const rules = new Map<string, Promise<GetTopicRuleOutput | undefined>>();
  const ruleOf = (ruleName: string): Promise<GetTopicRuleOutput | undefined> => {
    let p = rules.get(ruleName);
    if (p === undefined) {
      p = unlessNotFound(() => api.send('GetTopicRule', { ruleName }));
      rules.set(ruleName, p);
    }
    return p;
  };
  const [, tagged] = await Promise.all([
    mapLimit(
      listed.filter((r) => declared.has(r.name)),
      CONCURRENCY,
      (r) => ruleOf(r.name),
    ),
    mapLimit(listed, CONCURRENCY, async (r) => {
      const tags = await unlessNotFound(() => readTags(api, r.arn));
      return tags === undefined ? undefined : { ...r, tags };
    }),
  ]);
  const inScope = tagged.flatMap((r) => (r !== undefined && (declared.has(r.name) || r.tags[MANAGED_BY_TAG] === fleetId) ? [r] : []));
  const live = await mapLimit(inScope, CONCURRENCY, async (r): Promise<TopicRuleLive | undefined> => {
    const out = await ruleOf(r.name);
    const rule = out?.rule;
    if (rule === undefined) return undefined;
    return {
      kind: 'TopicRule',
      name: r.name,
      ownership: r.tags[MANAGED_BY_TAG] === fleetId ? 'managed' : 'unmanaged',
      tags: r.tags,
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
