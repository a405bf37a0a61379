import { DescribeThingCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, AwsCallError, isAwsError } from '../../src/aws/errors.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }), ...extra });

describe('classify', () => {
  it.each([
    ['ThrottlingException', 400, 'throttle'],
    ['InternalFailureException', 500, 'server'],
    ['ServiceUnavailableException', 503, 'server'],
    ['SomethingElse', 502, 'server'],
    ['ConflictingResourceUpdateException', 409, 'server'],
    ['LimitExceededException', 410, 'terminal'],
    ['ResourceNotFoundException', 404, 'terminal'],
    ['InvalidRequestException', 400, 'terminal'],
    ['UnauthorizedException', 401, 'terminal'],
  ] as const)('%s (%i) is %s', (name, status, expected) => {
    expect(classify(sdkError(name, status))).toBe(expected);
  });

  it('treats resets and timeouts without a response as network failures', () => {
    expect(classify(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('network');
    expect(classify(Object.assign(new Error('socket hang up'), {}))).toBe('network');
    expect(classify(sdkError('TimeoutError'))).toBe('network');
    expect(classify(new Error('something odd'))).toBe('terminal');
  });

  it('gives terminal failures stable codes', () => {
    const e = new AwsCallError({ operation: 'CreateThing', cause: sdkError('ResourceAlreadyExistsException', 409), attempts: 1 });
    expect(e).toMatchObject({ code: 'already-exists', awsErrorName: 'ResourceAlreadyExistsException', httpStatus: 409, retryable: false, fault: 'user' });
    expect(e.message).toBe('CreateThing failed: ResourceAlreadyExistsException: ResourceAlreadyExistsException');
    const n = new AwsCallError({ operation: 'ListThings', cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), attempts: 9 });
    expect(n).toMatchObject({ code: 'network', awsErrorName: 'NetworkError', retryable: true, fault: 'system' });
  });
});

describe('isAwsError', () => {
  let env: TestEmulator;
  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(async () => env?.stop());

  const failure = (p: Promise<unknown>): Promise<unknown> => p.then(
    () => expect.fail('the call succeeded'),
    (err: unknown) => err,
  );

  it('matches the adapter’s AwsCallError by its AWS error type', async () => {
    const err = await failure(env.api.send('DescribeThing', { thingName: 'missing' }));
    expect(err).toBeInstanceOf(AwsCallError);
    expect(isAwsError(err, 'ResourceNotFoundException')).toBe(true);
    expect(isAwsError(err, 'ResourceAlreadyExistsException')).toBe(false);
  });

  it('matches a bare SDK error (an IotApi without the adapter) the same way', async () => {
    const err = await failure(env.client.send(new DescribeThingCommand({ thingName: 'missing' })));
    expect(err).not.toBeInstanceOf(AwsCallError);
    expect(isAwsError(err, 'ResourceNotFoundException')).toBe(true);
    expect(isAwsError(err, 'InvalidRequestException')).toBe(false);
  });

  it('matches any of several names', async () => {
    await env.api.send('CreateThing', { thingName: 'twice' });
    const err = await failure(env.api.send('CreateThing', { thingName: 'twice', attributePayload: { attributes: { a: '1' } } }));
    expect(isAwsError(err, 'ResourceNotFoundException', 'ResourceAlreadyExistsException')).toBe(true);
    expect(isAwsError(err)).toBe(false);
  });

  it('matches nothing that is not an AWS failure', () => {
    const network = new AwsCallError({ operation: 'ListThings', cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), attempts: 3 });
    expect(isAwsError(network, 'ThrottlingException')).toBe(false);
    expect(isAwsError(undefined, 'ResourceNotFoundException')).toBe(false);
    expect(isAwsError('ResourceNotFoundException', 'ResourceNotFoundException')).toBe(false);
    expect(isAwsError(new Error('ResourceNotFoundException'), 'ResourceNotFoundException')).toBe(false);
  });
});
