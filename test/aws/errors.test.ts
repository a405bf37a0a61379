import { describe, expect, it } from 'vitest';
import { classify, AwsCallError } from '../../src/aws/errors.js';

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
