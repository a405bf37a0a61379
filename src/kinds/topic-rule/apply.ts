// TopicRule apply. ReplaceTopicRule always sends the whole payload with an explicit
// awsIotSqlVersion (AWS falls back to 2015-10-08 when it is omitted); a change of `enabled`
// alone uses Enable/DisableTopicRule. Tags go with CreateTopicRule as an `x-amz-tagging` string
// and are reconciled with TagResource/UntagResource afterwards (they are not in the payload).
import type { IotApi, IotInput } from '../../aws/iot-api.js';
import type { TopicRuleSpec } from './spec.js';
import type { PlannedChange } from '../../model/plan.js';
import { type ApplyContext } from '../types.js';
import { MANAGED_BY_TAG } from '../../model/live.js';
import { isAwsError } from '../../aws/errors.js';
import { desiredOf } from '../shared/change-data.js';
import { ownedTags, readTags, syncTags, toTaggingString } from '../shared/tags.js';
import { DEFAULT_SQL_VERSION } from './compare.js';
import { listTopicRules } from './read.js';

type Payload = NonNullable<IotInput<'CreateTopicRule'>['topicRulePayload']>;

export function topicRulePayload(spec: TopicRuleSpec): Payload {
  return {
    sql: spec.sql,
    awsIotSqlVersion: spec.sqlVersion || DEFAULT_SQL_VERSION,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ruleDisabled: !spec.enabled,
    actions: spec.actions as unknown as Payload['actions'],
    ...(spec.errorAction !== undefined ? { errorAction: spec.errorAction as Payload['errorAction'] } : {}),
  };
}

async function ruleArn(api: IotApi, ruleName: string): Promise<string> {
  return (await api.send('GetTopicRule', { ruleName })).ruleArn ?? '';
}

async function createRule(api: IotApi, change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const { spec, tags } = desiredOf<'TopicRule'>(change);
  try {
    await api.send('CreateTopicRule', {
      ruleName: change.name,
      topicRulePayload: topicRulePayload(spec),
      tags: toTaggingString(ownedTags(tags, ctx.fleetId)),
    });
  } catch (err) {
    if (!isAwsError(err, 'ResourceAlreadyExistsException')) throw err;
    const arn = await ruleArn(api, change.name);
    if ((await readTags(api, arn))[MANAGED_BY_TAG] !== ctx.fleetId) throw err;
    await api.send('ReplaceTopicRule', { ruleName: change.name, topicRulePayload: topicRulePayload(spec) });
    await syncTags(api, arn, tags, undefined, ctx.fleetId);
  }
}

async function updateRule(api: IotApi, change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const { spec, tags } = desiredOf<'TopicRule'>(change);
  const isTag = (path: string): boolean => path === 'tags' || path.startsWith('tags.');
  if (change.action === 'adopt' || change.fields.some((f) => isTag(f.path))) {
    await syncTags(api, await ruleArn(api, change.name), tags, undefined, ctx.fleetId);
  }
  const specFields = change.fields.filter((f) => !isTag(f.path));
  if (specFields.length === 0 && change.action !== 'adopt') return;
  if (specFields.length > 0 && specFields.every((f) => f.path === 'enabled')) {
    if (spec.enabled) await api.send('EnableTopicRule', { ruleName: change.name });
    else await api.send('DisableTopicRule', { ruleName: change.name });
    return;
  }
  await api.send('ReplaceTopicRule', { ruleName: change.name, topicRulePayload: topicRulePayload(spec) });
}

/**
 * The rule's ARN from ListTopicRules: GetTopicRule answers UnauthorizedException (not NotFound)
 * for a missing rule, which cannot be told apart from a real permission problem.
 */
async function listedRuleArn(api: IotApi, ruleName: string): Promise<string | undefined> {
  return (await listTopicRules(api)).find((r) => r.ruleName === ruleName)?.ruleArn;
}

async function deleteRule(api: IotApi, ruleName: string, fleetId: string): Promise<void> {
  const arn = await listedRuleArn(api, ruleName);
  if (arn === undefined) return;
  if ((await readTags(api, arn))[MANAGED_BY_TAG] !== fleetId) {
    throw new Error(`TopicRule/${ruleName} is not managed by fleet ${fleetId}; refusing to delete it`);
  }
  await api.send('DeleteTopicRule', { ruleName });
}

export async function applyTopicRule(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  switch (change.action) {
    case 'create':
      return createRule(ctx.api, change, ctx);
    case 'update':
    case 'adopt':
    case 'replace':
      return updateRule(ctx.api, change, ctx);
    case 'delete':
      return deleteRule(ctx.api, change.name, ctx.fleetId);
  }
}
