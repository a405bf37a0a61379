// Topic rule action objects ({ <type>: { ...params } }), checked against the API model's
// Action union (@aws-sdk/client-iot models: required members are non-optional there).

import { suggestion } from '../policy/did-you-mean.js';

export interface RuleActionIssue {
  readonly code: 'unknown-rule-action' | 'rule-action-invalid';
  /** Location inside the action object, e.g. ['kinesis', 'streamName']. */
  readonly path: (string | number)[];
  readonly message: string;
}

interface ActionShape {
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

const shape = (required: string[], optional: string[] = []): ActionShape => ({ required, optional });

/** Every action type of the CreateTopicRule `Action` union, with its members. */
const ACTION_SHAPES: Readonly<Record<string, ActionShape>> = {
  dynamoDB: shape(['tableName', 'roleArn', 'hashKeyField', 'hashKeyValue'], ['operation', 'hashKeyType', 'rangeKeyField', 'rangeKeyValue', 'rangeKeyType', 'payloadField']),
  dynamoDBv2: shape(['roleArn', 'putItem']),
  lambda: shape(['functionArn']),
  sns: shape(['targetArn', 'roleArn'], ['messageFormat']),
  sqs: shape(['roleArn', 'queueUrl'], ['useBase64']),
  kinesis: shape(['roleArn', 'streamName'], ['partitionKey']),
  republish: shape(['roleArn', 'topic'], ['qos', 'headers']),
  s3: shape(['roleArn', 'bucketName', 'key'], ['cannedAcl']),
  firehose: shape(['roleArn', 'deliveryStreamName'], ['separator', 'batchMode']),
  cloudwatchMetric: shape(['roleArn', 'metricNamespace', 'metricName', 'metricValue', 'metricUnit'], ['metricTimestamp']),
  cloudwatchAlarm: shape(['roleArn', 'alarmName', 'stateReason', 'stateValue']),
  cloudwatchLogs: shape(['roleArn', 'logGroupName'], ['batchMode']),
  elasticsearch: shape(['roleArn', 'endpoint', 'index', 'type', 'id']),
  openSearch: shape(['roleArn', 'endpoint', 'index', 'type', 'id']),
  salesforce: shape(['token', 'url']),
  iotAnalytics: shape([], ['channelArn', 'channelName', 'batchMode', 'roleArn']),
  iotEvents: shape(['inputName', 'roleArn'], ['messageId', 'batchMode']),
  iotSiteWise: shape(['putAssetPropertyValueEntries', 'roleArn']),
  stepFunctions: shape(['stateMachineName', 'roleArn'], ['executionNamePrefix']),
  timestream: shape(['roleArn', 'databaseName', 'tableName', 'dimensions'], ['timestamp']),
  http: shape(['url'], ['confirmationUrl', 'headers', 'auth', 'enableBatching', 'batchConfig']),
  kafka: shape(['destinationArn', 'topic', 'clientProperties'], ['key', 'partition', 'headers']),
  location: shape(['roleArn', 'trackerName', 'deviceId', 'latitude', 'longitude'], ['timestamp']),
  influxDB: shape(['destinationArn', 'roleArn', 'databaseName', 'tableName'], ['organization', 'tags', 'timestampUnit', 'batchConfig']),
};

export const KNOWN_RULE_ACTIONS: readonly string[] = Object.keys(ACTION_SHAPES);

/**
 * Action types AWS accepts only on rules that already use them, with their replacement.
 * checkRuleAction accepts them (an adopted rule may keep one); creating a new rule with one
 * is for the TopicRule kind to refuse.
 */
export const LEGACY_RULE_ACTIONS: Readonly<Record<string, string>> = { elasticsearch: 'openSearch' };

/** Members whose value is an object or a list rather than a string/number/boolean. */
const STRUCTURED = new Set(['putItem', 'headers', 'auth', 'batchConfig', 'putAssetPropertyValueEntries', 'dimensions', 'timestamp', 'clientProperties', 'tags']);

const IAM_ROLE_ARN = /^arn:[^:]+:iam::[^:]*:role\/.+/;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkStructured(type: string, field: string, value: unknown, path: (string | number)[], issue: (p: (string | number)[], m: string) => void): void {
  if (field === 'putItem') {
    if (!isPlainObject(value) || typeof value.tableName !== 'string' || value.tableName === '') {
      issue(path, `${type}.putItem needs a tableName`);
    }
    return;
  }
  if (field === 'dimensions' || field === 'putAssetPropertyValueEntries') {
    if (!Array.isArray(value) || value.length === 0) {
      issue(path, `${type}.${field} must be a non-empty list`);
      return;
    }
    if (field === 'dimensions') {
      value.forEach((d, i) => {
        if (!isPlainObject(d) || typeof d.name !== 'string' || typeof d.value !== 'string') {
          issue([...path, i], `${type}.dimensions entries need a name and a value`);
        }
      });
    }
    return;
  }
  if (field === 'headers' && !Array.isArray(value) && !isPlainObject(value)) {
    issue(path, `${type}.headers must be a list or an object`);
    return;
  }
  if ((field === 'clientProperties' || field === 'tags') && !isPlainObject(value)) {
    issue(path, `${type}.${field} must be a map of strings`);
  }
}

/** All problems of one rule action object (an `actions` entry or the `errorAction`). */
export function checkRuleAction(action: unknown): RuleActionIssue[] {
  const issues: RuleActionIssue[] = [];
  const invalid = (path: (string | number)[], message: string): void => {
    issues.push({ code: 'rule-action-invalid', path, message });
  };
  if (!isPlainObject(action)) {
    invalid([], 'a rule action is an object with one key, its type (e.g. { kinesis: { streamName, roleArn } })');
    return issues;
  }
  const types = Object.keys(action);
  if (types.length !== 1) {
    invalid([], `a rule action has exactly one key, its type; found ${types.length === 0 ? 'none' : types.join(', ')}`);
    return issues;
  }
  const type = types[0];
  const spec = ACTION_SHAPES[type];
  if (spec === undefined) {
    issues.push({ code: 'unknown-rule-action', path: [type], message: `unknown rule action type "${type}"${suggestion(type, KNOWN_RULE_ACTIONS)}` });
    return issues;
  }
  const params = action[type];
  if (!isPlainObject(params)) {
    invalid([type], `${type} takes an object of parameters`);
    return issues;
  }
  const known = [...spec.required, ...spec.optional];
  for (const field of Object.keys(params)) {
    if (!known.includes(field)) invalid([type, field], `unknown ${type} parameter "${field}"${suggestion(field, known)}`);
  }
  for (const field of spec.required) {
    if (!(field in params) || params[field] === '' || params[field] === null) {
      invalid([type], `${type} needs ${field}`);
    }
  }
  for (const field of known) {
    if (!(field in params)) continue;
    const value = params[field];
    const path = [type, field];
    if (STRUCTURED.has(field)) {
      checkStructured(type, field, value, path, invalid);
      continue;
    }
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      invalid(path, `${type}.${field} must be a string`);
      continue;
    }
    if (field === 'roleArn' && typeof value === 'string' && value.startsWith('arn:') && !IAM_ROLE_ARN.test(value)) {
      invalid(path, `${type}.roleArn "${value}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
    }
  }
  return issues;
}
