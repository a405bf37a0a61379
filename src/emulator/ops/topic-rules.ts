// Topic rules. SQL is checked by the emulator's own parser (../sql); actions are checked for shape
// only (one known action type per entry). A missing rule answers UnauthorizedException, as AWS
// does ("Access to topic rule '…' was denied"), not ResourceNotFoundException.
import { arn, type EmulatorState, type TopicRuleRecord } from '../state.js';
import { parseSql, SqlSyntaxError } from '../sql/parser.js';
import { optBool, optString, paginate, reqString, storeTags } from './policies.js';
import { errors, type OpContext, type OpInput, type OpTable } from './types.js';

const RULE_NAME = /^[a-zA-Z0-9_]{1,128}$/;
const SQL_VERSIONS = new Set(['2015-10-08', '2016-03-23', 'beta']);
const DEFAULT_SQL_VERSION = '2015-10-08';
const MAX_ACTIONS = 10;

/** Members of the SDK's Action union. */
const ACTION_TYPES = new Set([
  'dynamoDB', 'dynamoDBv2', 'lambda', 'sns', 'sqs', 'kinesis', 'republish', 's3', 'firehose',
  'cloudwatchMetric', 'cloudwatchAlarm', 'cloudwatchLogs', 'elasticsearch', 'salesforce', 'iotAnalytics',
  'iotEvents', 'iotSiteWise', 'stepFunctions', 'timestream', 'http', 'kafka', 'openSearch', 'location', 'influxDB',
]);

function ruleArn(state: EmulatorState, ruleName: string): string {
  return arn(state, `rule/${ruleName}`);
}

function ruleName(input: OpInput): string {
  const name = reqString(input, 'ruleName');
  if (!RULE_NAME.test(name)) throw errors.invalidRequest(`Rule name ${name} must match [a-zA-Z0-9_]+ (1-128 characters)`);
  return name;
}

function getRule(state: EmulatorState, name: string): TopicRuleRecord {
  const rule = state.topicRules.get(name);
  if (!rule) throw errors.unauthorized(`Access to topic rule '${name}' was denied`);
  return rule;
}

/** `elasticsearch` is accepted only where the rule being replaced already used it. */
function checkAction(a: unknown, where: string, allowElasticsearch: boolean): Record<string, unknown> {
  if (typeof a !== 'object' || a === null || Array.isArray(a)) throw errors.invalidRequest(`${where} must be an object`);
  const keys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined && (a as Record<string, unknown>)[k] !== null);
  if (keys.length !== 1) throw errors.invalidRequest(`${where} must specify exactly one action type`);
  const [type] = keys;
  if (!ACTION_TYPES.has(type)) throw errors.invalidRequest(`${where}: unknown action type ${type}`);
  if (type === 'elasticsearch' && !allowElasticsearch) {
    throw errors.invalidRequest('The elasticsearch action is deprecated for new rules; use openSearch');
  }
  const body = (a as Record<string, unknown>)[type];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.invalidRequest(`${where}.${type} must be an object`);
  return { [type]: body };
}

const usesElasticsearch = (rule: TopicRuleRecord | undefined): boolean =>
  !!rule && [...rule.actions, ...(rule.errorAction ? [rule.errorAction] : [])].some((a) => 'elasticsearch' in a);

interface CheckedPayload {
  readonly sql: string;
  readonly topicPattern?: string;
  readonly description?: string;
  readonly ruleDisabled: boolean;
  readonly awsIotSqlVersion: string;
  readonly actions: Record<string, unknown>[];
  readonly errorAction?: Record<string, unknown>;
}

function checkPayload(input: OpInput, existing: TopicRuleRecord | undefined): CheckedPayload {
  const payload = input.topicRulePayload;
  if (typeof payload !== 'object' || payload === null) throw errors.invalidRequest('topicRulePayload is required');
  const p = payload as Record<string, unknown>;
  const sql = reqString(p, 'sql');
  const awsIotSqlVersion = optString(p, 'awsIotSqlVersion') ?? DEFAULT_SQL_VERSION;
  if (!SQL_VERSIONS.has(awsIotSqlVersion)) throw errors.invalidRequest(`Unsupported awsIotSqlVersion: ${awsIotSqlVersion}`);
  let topicPattern: string | undefined;
  try {
    topicPattern = parseSql(sql).topicFilter;
  } catch (e) {
    if (e instanceof SqlSyntaxError) throw errors.sqlParse(`Failed to parse the SQL statement: ${e.message}`);
    throw e;
  }
  const actions = p.actions ?? [];
  if (!Array.isArray(actions)) throw errors.invalidRequest('actions must be a list');
  if (actions.length > MAX_ACTIONS) throw errors.invalidRequest(`A rule can have at most ${MAX_ACTIONS} actions`);
  const allowEs = usesElasticsearch(existing);
  const description = optString(p, 'description');
  const errorAction = p.errorAction === undefined || p.errorAction === null ? undefined : checkAction(p.errorAction, 'errorAction', allowEs);
  return {
    sql,
    topicPattern,
    description,
    ruleDisabled: optBool(p, 'ruleDisabled') ?? false,
    awsIotSqlVersion,
    actions: actions.map((a, i) => checkAction(a, `actions[${i}]`, allowEs)),
    ...(errorAction ? { errorAction } : {}),
  };
}

/** CreateTopicRule's tags arrive as the x-amz-tagging header: `k1=v1&k2=v2`, URL-encoded. */
function parseTagging(header: string | undefined): Array<readonly [string, string]> {
  if (!header) return [];
  return [...new URLSearchParams(header)].map(([k, v]) => [k, v] as const);
}

function createTopicRule(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const name = ruleName(input);
  if (state.topicRules.has(name)) {
    throw errors.alreadyExists(`Rule ${name} already exists`, name, ruleArn(state, name));
  }
  const payload = checkPayload(input, undefined);
  const ruleArnValue = ruleArn(state, name);
  storeTags(state, ruleArnValue, parseTagging(optString(input, 'tags')));
  state.topicRules.set(name, { ruleName: name, ruleArn: ruleArnValue, ...payload, createdAt: ctx.now() });
  return {};
}

function replaceTopicRule(input: OpInput, ctx: OpContext) {
  const name = ruleName(input);
  const existing = getRule(ctx.state, name);
  const payload = checkPayload(input, existing);
  ctx.state.topicRules.set(name, {
    ruleName: name,
    ruleArn: existing.ruleArn,
    ...payload,
    createdAt: existing.createdAt,
  });
  return {};
}

function getTopicRule(input: OpInput, ctx: OpContext) {
  const r = getRule(ctx.state, ruleName(input));
  return {
    ruleArn: r.ruleArn,
    rule: {
      ruleName: r.ruleName,
      sql: r.sql,
      description: r.description,
      createdAt: r.createdAt,
      actions: r.actions,
      ruleDisabled: r.ruleDisabled,
      awsIotSqlVersion: r.awsIotSqlVersion ?? DEFAULT_SQL_VERSION,
      ...(r.errorAction ? { errorAction: r.errorAction } : {}),
    },
  };
}

function listTopicRules(input: OpInput, ctx: OpContext) {
  const topic = optString(input, 'topic');
  const disabled = optBool(input, 'ruleDisabled');
  const rules = [...ctx.state.topicRules.values()]
    .filter((r) => (topic === undefined || r.topicPattern === topic) && (disabled === undefined || r.ruleDisabled === disabled))
    .sort((a, b) => (a.ruleName < b.ruleName ? -1 : 1));
  const { page, next } = paginate(rules, input, { sizeKey: 'maxResults', tokenKey: 'nextToken', defaultSize: 1000, maxSize: 10000 });
  return {
    rules: page.map((r) => ({
      ruleArn: r.ruleArn,
      ruleName: r.ruleName,
      topicPattern: r.topicPattern,
      createdAt: r.createdAt,
      ruleDisabled: r.ruleDisabled,
    })),
    nextToken: next,
  };
}

function deleteTopicRule(input: OpInput, ctx: OpContext) {
  const r = getRule(ctx.state, ruleName(input));
  ctx.state.topicRules.delete(r.ruleName);
  ctx.state.tags.delete(r.ruleArn);
  return {};
}

function setDisabled(disabled: boolean) {
  return (input: OpInput, ctx: OpContext) => {
    getRule(ctx.state, ruleName(input)).ruleDisabled = disabled;
    return {};
  };
}

export const topicRuleOps: OpTable = {
  CreateTopicRule: createTopicRule,
  ReplaceTopicRule: replaceTopicRule,
  GetTopicRule: getTopicRule,
  ListTopicRules: listTopicRules,
  DeleteTopicRule: deleteTopicRule,
  EnableTopicRule: setDisabled(false),
  DisableTopicRule: setDisabled(true),
};
