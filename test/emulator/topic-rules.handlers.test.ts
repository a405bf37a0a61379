// Handler-level checks of the topic-rule operations against a bare state.
import { describe, expect, it } from 'vitest';
import { emptyState } from '../../src/emulator/state.js';
import { operations } from '../../src/emulator/ops/index.js';
import type { OpContext, OpInput, OpOutput } from '../../src/emulator/ops/types.js';

function setup() {
  const ctx: OpContext = { state: emptyState(), now: () => Date.UTC(2026, 0, 1), onThingsChanged: () => {} };
  const call = (op: string, input: OpInput) => operations[op](input, ctx) as OpOutput;
  const fails = (op: string, input: OpInput) => {
    try {
      operations[op](input, ctx);
    } catch (e) {
      return e as { type: string; status: number; message: string };
    }
    throw new Error(`${op} did not fail`);
  };
  return { ctx, call, fails };
}

const republish = { republish: { topic: 'out/${topic()}', roleArn: 'arn:aws:iam::123456789012:role/r' } };
const payload = (sql: string, extra: Record<string, unknown> = {}) => ({ sql, actions: [republish], ...extra });

describe('topic rule handlers', () => {
  it('creates, reads back and lists a rule with its topic pattern', () => {
    const { call, ctx } = setup();
    call('CreateTopicRule', { ruleName: 'r1', topicRulePayload: payload("SELECT * FROM 'a/+'"), tags: 'team=x&env=dev' });
    const got = call('GetTopicRule', { ruleName: 'r1' });
    expect(got.rule).toMatchObject({ ruleName: 'r1', awsIotSqlVersion: '2015-10-08', ruleDisabled: false, actions: [republish] });
    expect(ctx.state.tags.get(got.ruleArn as string)).toEqual(new Map([['team', 'x'], ['env', 'dev']]));
    expect(call('ListTopicRules', { topic: 'a/+' }).rules).toMatchObject([{ ruleName: 'r1', topicPattern: 'a/+' }]);
    expect(call('ListTopicRules', { topic: 'b' }).rules).toEqual([]);
  });

  it('rejects bad SQL, bad names, unknown or multiple action types and new elasticsearch actions', () => {
    const { fails, call, ctx } = setup();
    expect(fails('CreateTopicRule', { ruleName: 'r1', topicRulePayload: payload("SELECT * FROM 'a/#/b'") })).toMatchObject({ type: 'SqlParseException', status: 400 });
    expect(fails('CreateTopicRule', { ruleName: 'bad-name', topicRulePayload: payload("SELECT * FROM 'a'") }).type).toBe('InvalidRequestException');
    for (const actions of [[{ teleport: {} }], [{ ...republish, sns: { targetArn: 'x', roleArn: 'y' } }], Array(11).fill(republish), [{ elasticsearch: { endpoint: 'e' } }]]) {
      expect(fails('CreateTopicRule', { ruleName: 'r1', topicRulePayload: { sql: "SELECT * FROM 'a'", actions } }).type).toBe('InvalidRequestException');
    }
    call('CreateTopicRule', { ruleName: 'legacy', topicRulePayload: payload("SELECT * FROM 'a'") });
    ctx.state.topicRules.get('legacy')!.actions = [{ elasticsearch: { endpoint: 'e' } }];
    call('ReplaceTopicRule', { ruleName: 'legacy', topicRulePayload: { sql: "SELECT * FROM 'a'", actions: [{ elasticsearch: { endpoint: 'e2' } }] } });
  });

  it('answers UnauthorizedException for rules that do not exist, and 409 for a second create', () => {
    const { fails, call } = setup();
    expect(fails('GetTopicRule', { ruleName: 'nope' })).toMatchObject({ type: 'UnauthorizedException', status: 401 });
    call('CreateTopicRule', { ruleName: 'r1', topicRulePayload: payload("SELECT * FROM 'a'") });
    expect(fails('CreateTopicRule', { ruleName: 'r1', topicRulePayload: payload("SELECT * FROM 'a'") }).status).toBe(409);
  });

  it('replaces the whole payload, toggles ruleDisabled and pages', () => {
    const { call } = setup();
    for (let i = 0; i < 5; i++) call('CreateTopicRule', { ruleName: `r${i}`, topicRulePayload: payload("SELECT * FROM 'a'") });
    call('ReplaceTopicRule', { ruleName: 'r0', topicRulePayload: { sql: "SELECT a FROM 'b'", awsIotSqlVersion: '2016-03-23', actions: [] } });
    expect(call('GetTopicRule', { ruleName: 'r0' }).rule).toMatchObject({ sql: "SELECT a FROM 'b'", actions: [], awsIotSqlVersion: '2016-03-23' });
    call('DisableTopicRule', { ruleName: 'r1' });
    expect((call('ListTopicRules', { ruleDisabled: true }).rules as { ruleName: string }[]).map((r) => r.ruleName)).toEqual(['r1']);
    const first = call('ListTopicRules', { maxResults: 3 });
    const second = call('ListTopicRules', { maxResults: 3, nextToken: first.nextToken });
    expect([...(first.rules as { ruleName: string }[]), ...(second.rules as { ruleName: string }[])].map((r) => r.ruleName)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(second.nextToken).toBeUndefined();
  });
});
