import { describe, expect, it } from 'vitest';
import { checkPolicyDocument } from '../../src/lang/policy/index.js';

const ARN = 'arn:aws:iot:eu-central-1:123456789012';

const allow = (Action: unknown, Resource: unknown, extra: Record<string, unknown> = {}): unknown => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action, Resource, ...extra }],
});

const VALID: [string, unknown][] = [
  ['single statement object, string action and resource', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' } }],
  ['telemetry policy with thing-name variables', {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}:topic/telemetry/\${iot:Connection.Thing.ThingName}/*` },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/commands/\${iot:Connection.Thing.ThingName}/#` },
    ],
  }],
  ['wildcard actions', allow(['iot:*', 'iot:Get*', '*'], '*')],
  ['lower-case action names (IAM is case-insensitive)', allow('iot:publish', `${ARN}:topic/a`)],
  ['legacy version without variables', { Version: '2008-10-17', Statement: [{ Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}:topic/x` }] }],
  ['missing Version without variables', { Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }],
  ['Id and Sid', { Version: '2012-10-17', Id: 'p1', Statement: [{ Sid: 'A', Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }],
  ['NotAction and NotResource', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: 'iot:Connect', NotResource: `${ARN}:topic/ok` }] }],
  ['publish and subscribe with both topic and topicfilter resources', allow(['iot:Publish', 'iot:Subscribe'], [`${ARN}:topic/a/*`, `${ARN}:topicfilter/a/*`])],
  ['wildcard region and account', allow('iot:Connect', 'arn:aws:iot:*:*:client/*')],
  ['wildcard resource type', allow('iot:Publish', `${ARN}:*`)],
  ['shadow actions on thing/ with named shadow', allow(['iot:GetThingShadow', 'iot:UpdateThingShadow'], `${ARN}:thing/\${iot:Connection.Thing.ThingName}/config`)],
  ['jobs actions', allow(['iot:DescribeJobExecution', 'iot:GetPendingJobExecutions', 'iot:UpdateJobExecution', 'iot:StartNextPendingJobExecution'], `${ARN}:thing/\${iot:ClientId}`)],
  ['role alias', allow('iot:AssumeRoleWithCertificate', `${ARN}:rolealias/s3-upload`)],
  ['certificate subject and attribute variables', allow('iot:Publish', [`${ARN}:topic/\${iot:Certificate.Subject.CommonName}`, `${ARN}:topic/\${iot:Connection.Thing.Attributes[site]}/x`, `${ARN}:topic/\${iot:Certificate.Subject.Country.1}`])],
  ['condition with IfExists and set prefix', allow('iot:Connect', '*', {
    Condition: {
      Bool: { 'iot:Connection.Thing.IsAttached': 'true' },
      'ForAnyValue:StringLikeIfExists': { 'iot:ClientId': ['sensor-*', 'gw-*'] },
      NumericLessThan: { 'aws:EpochTime': 2000000000 },
    },
  })],
  ['greengrass actions', allow(['greengrass:GetComponentVersionArtifact', 'greengrass:ResolveComponentCandidates'], '*')],
  ['escape variables', allow('iot:Publish', `${ARN}:topic/literal\${*}star`)],
  ['control-plane actions and wildcards over them', allow(['iot:ListThingGroups', 'iot:Describe*', 'iot:CreateKeysAndCertificate'], '*')],
  ['other partitions and regions', allow('iot:Publish', ['arn:aws-cn:iot:cn-north-1:123456789012:topic/a', 'arn:aws-us-gov:iot:us-gov-west-1:123456789012:topic/a'])],
  ['issuer alternative name variable', allow('iot:Connect', `${ARN}:client/\${iot:Certificate.IssuerAlternativeName.DNSName}`)],
  ['a JSON string document', JSON.stringify(allow('iot:Connect', '*'))],
];

interface Invalid {
  readonly name: string;
  readonly doc: unknown;
  readonly path: readonly (string | number)[];
  readonly fragment: string;
}

const INVALID: Invalid[] = [
  { name: 'not an object', doc: [1], path: [], fragment: 'must be an object' },
  { name: 'unparsable JSON text', doc: '{"Version": ', path: [], fragment: 'not valid JSON' },
  { name: 'bad version', doc: { Version: '2012-10-18', Statement: { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' } }, path: ['Version'], fragment: 'Version must be' },
  { name: 'missing Statement', doc: { Version: '2012-10-17' }, path: [], fragment: 'needs a Statement' },
  { name: 'empty Statement list', doc: { Version: '2012-10-17', Statement: [] }, path: ['Statement'], fragment: 'empty list' },
  { name: 'unknown top-level key', doc: { Version: '2012-10-17', Statements: [] , Statement: { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' } }, path: ['Statements'], fragment: 'did you mean "Statement"' },
  { name: 'statement not an object', doc: { Version: '2012-10-17', Statement: ['x'] }, path: ['Statement', 0], fragment: 'must be an object' },
  { name: 'bad Effect', doc: allow('iot:Connect', '*', { Effect: 'allow' }), path: ['Statement', 0, 'Effect'], fragment: '"Allow" or "Deny"' },
  { name: 'missing Effect', doc: { Version: '2012-10-17', Statement: [{ Action: 'iot:Connect', Resource: '*' }] }, path: ['Statement', 0], fragment: 'needs Effect' },
  { name: 'Action and NotAction', doc: allow('iot:Connect', '*', { NotAction: 'iot:Publish' }), path: ['Statement', 0, 'NotAction'], fragment: 'not both' },
  { name: 'missing Action', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }, path: ['Statement', 0], fragment: 'needs Action' },
  { name: 'missing Resource', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect' }] }, path: ['Statement', 0], fragment: 'needs Resource' },
  { name: 'Resource and NotResource', doc: allow('iot:Connect', '*', { NotResource: '*' }), path: ['Statement', 0, 'NotResource'], fragment: 'not both' },
  { name: 'empty action list', doc: allow([], '*'), path: ['Statement', 0, 'Action'], fragment: 'empty list' },
  { name: 'action is a number', doc: allow(['iot:Connect', 5], '*'), path: ['Statement', 0, 'Action', 1], fragment: 'non-empty strings' },
  { name: 'unknown action with suggestion', doc: allow('iot:Pubish', '*'), path: ['Statement', 0, 'Action'], fragment: 'did you mean "iot:Publish"' },
  { name: 'unknown action in a list', doc: allow(['iot:Connect', 'iot:Subscrbe'], '*'), path: ['Statement', 0, 'Action', 1], fragment: 'iot:Subscribe' },
  { name: 'action of another service', doc: allow('s3:GetObject', '*'), path: ['Statement', 0, 'Action'], fragment: 'belongs in an IAM policy' },
  { name: 'action without prefix', doc: allow('Publish', '*'), path: ['Statement', 0, 'Action'], fragment: 'service:Name' },
  { name: 'wildcard matching nothing', doc: allow('iot:Pub*x', '*'), path: ['Statement', 0, 'Action'], fragment: 'matches no known' },
  { name: 'Principal element', doc: allow('iot:Connect', '*', { Principal: '*' }), path: ['Statement', 0, 'Principal'], fragment: 'no Principal' },
  { name: 'lower-case element', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', action: 'iot:Connect', Action: 'iot:Connect', Resource: '*' }] }, path: ['Statement', 0, 'action'], fragment: 'did you mean "Action"' },
  { name: 'Subscribe on topic/', doc: allow('iot:Subscribe', `${ARN}:topic/commands/#`), path: ['Statement', 0, 'Action'], fragment: 'topic filters, not topics' },
  { name: 'Connect on a topic', doc: allow(['iot:Publish', 'iot:Connect'], `${ARN}:topic/a`), path: ['Statement', 0, 'Action', 1], fragment: 'client/' },
  { name: 'Publish on topicfilter/', doc: allow('iot:Publish', `${ARN}:topicfilter/a`), path: ['Statement', 0, 'Action'], fragment: 'iot:Publish is authorized against topic/' },
  { name: 'resource not an ARN', doc: allow('iot:Publish', 'topic/telemetry'), path: ['Statement', 0, 'Resource'], fragment: 'must be "*" or an ARN' },
  { name: 'unknown resource type', doc: allow('iot:Publish', `${ARN}:topics/a`), path: ['Statement', 0, 'Resource'], fragment: 'did you mean "topic"' },
  { name: 'bad account', doc: allow('iot:Publish', 'arn:aws:iot:eu-central-1:1234:topic/a'), path: ['Statement', 0, 'Resource'], fragment: '12 digits' },
  { name: 'bad region', doc: allow('iot:Publish', 'arn:aws:iot:europe:123456789012:topic/a'), path: ['Statement', 0, 'Resource'], fragment: 'not a region' },
  { name: 'resource of another service', doc: allow('iot:Publish', 'arn:aws:s3:::bucket/key'), path: ['Statement', 0, 'Resource'], fragment: 's3 ARN' },
  { name: 'type without name', doc: allow('iot:Publish', `${ARN}:topic`), path: ['Statement', 0, 'Resource'], fragment: 'needs a name' },
  { name: 'unknown iot variable', doc: allow('iot:Publish', `${ARN}:topic/\${iot:Connection.Thing.Name}`), path: ['Statement', 0, 'Resource'], fragment: 'unknown policy variable' },
  { name: 'unterminated variable', doc: allow('iot:Publish', `${ARN}:topic/\${iot:ClientId`), path: ['Statement', 0, 'Resource'], fragment: 'without a closing' },
  { name: 'certificate variable with bad index', doc: allow('iot:Publish', `${ARN}:topic/\${iot:Certificate.Subject.Planet.1}`), path: ['Statement', 0, 'Resource'], fragment: 'unknown policy variable' },
  { name: 'variables with legacy version', doc: { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}` }] }, path: ['Version'], fragment: 'only with Version "2012-10-17"' },
  { name: 'variables with no version', doc: { Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}` }] }, path: [], fragment: 'only with Version' },
  { name: 'unknown condition operator', doc: allow('iot:Connect', '*', { Condition: { StringEqual: { 'iot:ClientId': 'a' } } }), path: ['Statement', 0, 'Condition', 'StringEqual'], fragment: 'did you mean "StringEquals"' },
  { name: 'Null with IfExists', doc: allow('iot:Connect', '*', { Condition: { NullIfExists: { 'iot:ClientId': 'true' } } }), path: ['Statement', 0, 'Condition', 'NullIfExists'], fragment: 'neither IfExists' },
  { name: 'Bool with a non-boolean', doc: allow('iot:Connect', '*', { Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'yes' } } }), path: ['Statement', 0, 'Condition', 'Bool', 'iot:Connection.Thing.IsAttached'], fragment: '"true" or "false"' },
  { name: 'numeric with text', doc: allow('iot:Connect', '*', { Condition: { NumericLessThan: { 'aws:EpochTime': 'soon' } } }), path: ['Statement', 0, 'Condition', 'NumericLessThan', 'aws:EpochTime'], fragment: 'needs a number' },
  { name: 'condition key without service', doc: allow('iot:Connect', '*', { Condition: { StringEquals: { ClientId: 'a' } } }), path: ['Statement', 0, 'Condition', 'StringEquals', 'ClientId'], fragment: 'service:Key' },
  { name: 'empty condition values', doc: allow('iot:Connect', '*', { Condition: { StringEquals: { 'iot:ClientId': [] } } }), path: ['Statement', 0, 'Condition', 'StringEquals', 'iot:ClientId'], fragment: 'empty list' },
  { name: 'unknown variable in a condition', doc: allow('iot:Connect', '*', { Condition: { StringEquals: { 'iot:ClientId': ['${iot:Thing}'] } } }), path: ['Statement', 0, 'Condition', 'StringEquals', 'iot:ClientId', 0], fragment: 'unknown policy variable' },
  { name: 'duplicate Sid', doc: { Version: '2012-10-17', Statement: [{ Sid: 'a', Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }, { Sid: 'a', Effect: 'Deny', Action: 'iot:Publish', Resource: '*' }] }, path: ['Statement', 1, 'Sid'], fragment: 'used by another statement' },
  { name: 'Sid not a string', doc: allow('iot:Connect', '*', { Sid: 3 }), path: ['Statement', 0, 'Sid'], fragment: 'Sid must be a string' },
];

describe('checkPolicyDocument', () => {
  it.each(VALID)('accepts: %s', (_name, doc) => {
    expect(checkPolicyDocument(doc)).toEqual([]);
  });

  it.each(INVALID)('rejects: $name', ({ doc, path, fragment }) => {
    const issues = checkPolicyDocument(doc);
    const match = issues.find((i) => i.message.includes(fragment));
    expect(match, JSON.stringify(issues)).toBeDefined();
    expect(match?.path).toEqual(path);
    expect(match?.code).toBe('policy-invalid');
  });

  it('reports a document over 2048 characters without whitespace, and not one just under', () => {
    const resources = (n: number): string[] => Array.from({ length: n }, (_, i) => `${ARN}:topic/t${String(i).padStart(4, '0')}`);
    const sizeOf = (d: unknown): number => JSON.stringify(d).replace(/\s/g, '').length;
    let n = 1;
    while (sizeOf(allow('iot:Publish', resources(n + 1))) <= 2048) n++;
    expect(sizeOf(allow('iot:Publish', resources(n)))).toBeLessThanOrEqual(2048);
    expect(checkPolicyDocument(allow('iot:Publish', resources(n)))).toEqual([]);
    const over = checkPolicyDocument(allow('iot:Publish', resources(n + 1)));
    expect(over).toEqual([expect.objectContaining({ path: [], message: expect.stringContaining('at most 2048') })]);
  });

  it('reports every problem of a document, not only the first', () => {
    const issues = checkPolicyDocument({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iot:Pubish', Resource: '*' },
        { Effect: 'Permit', Action: 'iot:Connect', Resource: 'nope' },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual([
      ['Statement', 0, 'Action'],
      ['Statement', 1, 'Effect'],
      ['Statement', 1, 'Resource'],
    ]);
  });
});
