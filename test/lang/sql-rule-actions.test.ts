import { describe, expect, it } from 'vitest';
import { checkRuleAction, KNOWN_RULE_ACTIONS, LEGACY_RULE_ACTIONS } from '../../src/lang/sql/index.js';

const ROLE = 'arn:aws:iam::123456789012:role/iot-rules';

const VALID: [string, unknown][] = [
  ['kinesis', { kinesis: { streamName: 'audits', roleArn: ROLE, partitionKey: '${newuuid()}' } }],
  ['lambda', { lambda: { functionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:f' } }],
  ['republish', { republish: { topic: 'errors/${topic()}', roleArn: ROLE, qos: 1 } }],
  ['s3', { s3: { bucketName: 'b', key: '${topic()}/${timestamp()}', roleArn: ROLE } }],
  ['sqs', { sqs: { queueUrl: 'https://sqs.eu-central-1.amazonaws.com/123456789012/q', roleArn: ROLE, useBase64: false } }],
  ['sns', { sns: { targetArn: 'arn:aws:sns:eu-central-1:123456789012:t', roleArn: ROLE, messageFormat: 'RAW' } }],
  ['dynamoDBv2', { dynamoDBv2: { roleArn: ROLE, putItem: { tableName: 'readings' } } }],
  ['firehose', { firehose: { deliveryStreamName: 'd', roleArn: ROLE, batchMode: true } }],
  ['cloudwatchMetric', { cloudwatchMetric: { roleArn: ROLE, metricNamespace: 'n', metricName: 'm', metricValue: '${v}', metricUnit: 'Count' } }],
  ['cloudwatchLogs', { cloudwatchLogs: { roleArn: ROLE, logGroupName: '/iot/errors' } }],
  ['http', { http: { url: 'https://example.com/ingest', headers: [{ key: 'k', value: 'v' }] } }],
  ['timestream', { timestream: { roleArn: ROLE, databaseName: 'db', tableName: 't', dimensions: [{ name: 'device', value: '${clientid()}' }] } }],
  ['legacy elasticsearch (existing rules)', { elasticsearch: { roleArn: ROLE, endpoint: 'https://e', index: 'i', type: 't', id: '${newuuid()}' } }],
  ['placeholder role (not an ARN yet)', { kinesis: { streamName: 's', roleArn: 'ROLE_PLACEHOLDER' } }],
];

const INVALID: [string, unknown, 'unknown-rule-action' | 'rule-action-invalid', (string | number)[], string][] = [
  ['not an object', 'kinesis', 'rule-action-invalid', [], 'object with one key'],
  ['two types', { kinesis: {}, lambda: {} }, 'rule-action-invalid', [], 'exactly one key'],
  ['no type', {}, 'rule-action-invalid', [], 'found none'],
  ['unknown type with suggestion', { kinesys: { streamName: 's', roleArn: ROLE } }, 'unknown-rule-action', ['kinesys'], 'did you mean "kinesis"'],
  ['parameters not an object', { lambda: 'arn' }, 'rule-action-invalid', ['lambda'], 'takes an object'],
  ['kinesis without streamName', { kinesis: { roleArn: ROLE } }, 'rule-action-invalid', ['kinesis'], 'kinesis needs streamName'],
  ['lambda without functionArn', { lambda: {} }, 'rule-action-invalid', ['lambda'], 'needs functionArn'],
  ['republish without roleArn', { republish: { topic: 't' } }, 'rule-action-invalid', ['republish'], 'needs roleArn'],
  ['s3 without key', { s3: { bucketName: 'b', roleArn: ROLE } }, 'rule-action-invalid', ['s3'], 'needs key'],
  ['dynamoDBv2 without tableName', { dynamoDBv2: { roleArn: ROLE, putItem: {} } }, 'rule-action-invalid', ['dynamoDBv2', 'putItem'], 'needs a tableName'],
  ['misspelled parameter', { kinesis: { streamname: 's', streamName: 's', roleArn: ROLE } }, 'rule-action-invalid', ['kinesis', 'streamname'], 'did you mean "streamName"'],
  ['role ARN of another service', { sqs: { queueUrl: 'q', roleArn: 'arn:aws:iot:eu-central-1:123456789012:role/x' } }, 'rule-action-invalid', ['sqs', 'roleArn'], 'not an IAM role ARN'],
  ['parameter of the wrong type', { firehose: { deliveryStreamName: ['d'], roleArn: ROLE } }, 'rule-action-invalid', ['firehose', 'deliveryStreamName'], 'must be a string'],
  ['timestream dimension without value', { timestream: { roleArn: ROLE, databaseName: 'db', tableName: 't', dimensions: [{ name: 'd' }] } }, 'rule-action-invalid', ['timestream', 'dimensions', 0], 'name and a value'],
  ['empty required value', { http: { url: '' } }, 'rule-action-invalid', ['http'], 'http needs url'],
];

describe('checkRuleAction', () => {
  it.each(VALID)('accepts %s', (_name, action) => {
    expect(checkRuleAction(action)).toEqual([]);
  });

  it.each(INVALID)('rejects: %s', (_name, action, code, path, fragment) => {
    const issues = checkRuleAction(action);
    const match = issues.find((i) => i.message.includes(fragment));
    expect(match, JSON.stringify(issues)).toBeDefined();
    expect(match?.code).toBe(code);
    expect(match?.path).toEqual(path);
  });

  it('knows every action type of the model, and names openSearch as the successor of elasticsearch', () => {
    for (const type of ['dynamoDB', 'dynamoDBv2', 's3', 'timestream', 'lambda', 'sns', 'sqs', 'kinesis', 'firehose', 'republish', 'stepFunctions', 'http', 'kafka', 'cloudwatchMetric', 'cloudwatchAlarm', 'cloudwatchLogs', 'elasticsearch', 'openSearch', 'salesforce', 'iotAnalytics', 'iotEvents', 'iotSiteWise', 'location']) {
      expect(KNOWN_RULE_ACTIONS).toContain(type);
    }
    expect(LEGACY_RULE_ACTIONS).toEqual({ elasticsearch: 'openSearch' });
  });
});
