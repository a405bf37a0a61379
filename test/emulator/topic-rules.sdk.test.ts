// Topic-rule conformance through the real @aws-sdk/client-iot against the embedded emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTopicRuleCommand,
  DeleteTopicRuleCommand,
  DisableTopicRuleCommand,
  EnableTopicRuleCommand,
  GetTopicRuleCommand,
  ListTagsForResourceCommand,
  ListTopicRulesCommand,
  ReplaceTopicRuleCommand,
  type TopicRulePayload,
} from '@aws-sdk/client-iot';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => t.stop());

const role = 'arn:aws:iam::123456789012:role/iot-rules';
const payload = (sql: string, extra: Partial<TopicRulePayload> = {}): TopicRulePayload => ({
  sql,
  awsIotSqlVersion: '2016-03-23',
  actions: [{ republish: { topic: 'alerts/${topic(2)}', roleArn: role, qos: 1 } }],
  ...extra,
});

describe('topic rules over the SDK', () => {
  it('creates a rule with tags from x-amz-tagging and reads back the whole payload', async () => {
    const sql = "SELECT temperature AS t, topic(2) AS device FROM 'sensors/+/telemetry' WHERE temperature > 50";
    await t.iot.send(new CreateTopicRuleCommand({
      ruleName: 'hot_sensors',
      tags: 'team=fleet&cost%20center=42',
      topicRulePayload: payload(sql, { description: 'too hot', errorAction: { cloudwatchLogs: { logGroupName: 'rule-errors', roleArn: role } } }),
    }));
    const got = await t.iot.send(new GetTopicRuleCommand({ ruleName: 'hot_sensors' }));
    expect(got.ruleArn).toBe('arn:aws:iot:us-east-1:123456789012:rule/hot_sensors');
    expect(got.rule).toMatchObject({
      ruleName: 'hot_sensors',
      sql,
      description: 'too hot',
      ruleDisabled: false,
      awsIotSqlVersion: '2016-03-23',
      actions: [{ republish: { topic: 'alerts/${topic(2)}', roleArn: role, qos: 1 } }],
      errorAction: { cloudwatchLogs: { logGroupName: 'rule-errors', roleArn: role } },
    });
    expect(got.rule!.createdAt).toBeInstanceOf(Date);
    const tags = await t.iot.send(new ListTagsForResourceCommand({ resourceArn: got.ruleArn }));
    expect(tags.tags!.sort((a, b) => a.Key!.localeCompare(b.Key!))).toEqual([{ Key: 'cost center', Value: '42' }, { Key: 'team', Value: 'fleet' }]);
    expect(await failure(t.iot.send(new CreateTopicRuleCommand({ ruleName: 'hot_sensors', topicRulePayload: payload("SELECT * FROM 'x'") })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      status: 409,
    });
  });

  it.each([
    "SELECT * FROM sensors",
    "SELECT * FROM 'a/#/b'",
    "SELECT temperature > FROM 'a'",
    "SELEC * FROM 'a'",
    "SELECT * FROM 'a' WHERE (x = 1",
  ])('answers SqlParseException (400) for %s', async (sql) => {
    expect(await failure(t.iot.send(new CreateTopicRuleCommand({ ruleName: 'broken', topicRulePayload: payload(sql) })))).toMatchObject({
      name: 'SqlParseException',
      status: 400,
    });
  });

  it('validates names and actions', async () => {
    const badName = await failure(t.iot.send(new CreateTopicRuleCommand({ ruleName: 'has-hyphen', topicRulePayload: payload("SELECT * FROM 'a'") })));
    expect(badName).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    const tooMany = payload("SELECT * FROM 'a'", { actions: Array.from({ length: 11 }, () => ({ sns: { targetArn: 'arn:aws:sns:us-east-1:123456789012:t', roleArn: role } })) });
    expect(await failure(t.iot.send(new CreateTopicRuleCommand({ ruleName: 'eleven', topicRulePayload: tooMany })))).toMatchObject({ status: 400 });
    const es = payload("SELECT * FROM 'a'", { actions: [{ elasticsearch: { endpoint: 'https://es', index: 'i', type: 't', id: '${newuuid()}', roleArn: role } }] });
    expect(await failure(t.iot.send(new CreateTopicRuleCommand({ ruleName: 'legacy_es', topicRulePayload: es })))).toMatchObject({ name: 'InvalidRequestException', status: 400 });
  });

  it('answers UnauthorizedException (401) for a rule that does not exist, as AWS does', async () => {
    expect(await failure(t.iot.send(new GetTopicRuleCommand({ ruleName: 'nope' })))).toMatchObject({ name: 'UnauthorizedException', status: 401 });
    expect(await failure(t.iot.send(new ReplaceTopicRuleCommand({ ruleName: 'nope', topicRulePayload: payload("SELECT * FROM 'a'") })))).toMatchObject({ status: 401 });
  });

  it('replaces the whole payload and toggles ruleDisabled', async () => {
    await t.iot.send(new CreateTopicRuleCommand({ ruleName: 'replace_me', topicRulePayload: payload("SELECT * FROM 'old'", { description: 'old' }) }));
    await t.iot.send(new ReplaceTopicRuleCommand({ ruleName: 'replace_me', topicRulePayload: { sql: "SELECT a FROM 'new/#'", actions: [] } }));
    const { rule } = await t.iot.send(new GetTopicRuleCommand({ ruleName: 'replace_me' }));
    expect(rule).toMatchObject({ sql: "SELECT a FROM 'new/#'", actions: [], awsIotSqlVersion: '2015-10-08' });
    expect(rule!.description).toBeUndefined();
    await t.iot.send(new DisableTopicRuleCommand({ ruleName: 'replace_me' }));
    expect((await t.iot.send(new GetTopicRuleCommand({ ruleName: 'replace_me' }))).rule!.ruleDisabled).toBe(true);
    await t.iot.send(new EnableTopicRuleCommand({ ruleName: 'replace_me' }));
    expect((await t.iot.send(new GetTopicRuleCommand({ ruleName: 'replace_me' }))).rule!.ruleDisabled).toBe(false);
  });

  it('lists with topic and ruleDisabled filters and pages by nextToken', async () => {
    for (let i = 0; i < 5; i++) {
      await t.iot.send(new CreateTopicRuleCommand({ ruleName: `bulk_${i}`, topicRulePayload: payload("SELECT * FROM 'bulk/+'", { ruleDisabled: i % 2 === 1 }) }));
    }
    const byTopic = await t.iot.send(new ListTopicRulesCommand({ topic: 'bulk/+' }));
    expect(byTopic.rules!.map((r) => [r.ruleName, r.topicPattern, r.ruleDisabled])).toEqual([
      ['bulk_0', 'bulk/+', false], ['bulk_1', 'bulk/+', true], ['bulk_2', 'bulk/+', false], ['bulk_3', 'bulk/+', true], ['bulk_4', 'bulk/+', false],
    ]);
    const disabled = await t.iot.send(new ListTopicRulesCommand({ ruleDisabled: true }));
    expect(disabled.rules!.map((r) => r.ruleName)).toEqual(['bulk_1', 'bulk_3']);
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await t.iot.send(new ListTopicRulesCommand({ maxResults: 2, nextToken }));
      expect(page.rules!.length).toBeLessThanOrEqual(2);
      names.push(...page.rules!.map((r) => r.ruleName!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(['bulk_0', 'bulk_1', 'bulk_2', 'bulk_3', 'bulk_4', 'hot_sensors', 'replace_me']);
    await t.iot.send(new DeleteTopicRuleCommand({ ruleName: 'bulk_0' }));
    expect(await failure(t.iot.send(new GetTopicRuleCommand({ ruleName: 'bulk_0' })))).toMatchObject({ status: 401 });
  });
});
