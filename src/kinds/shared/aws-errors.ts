// Recognising AWS error types. The IotApi adapter wraps SDK errors in AwsCallError (type in
// `awsErrorName`); a bare SDK error carries it in `name`. Both are accepted so kinds work with any
// IotApi implementation.
export type AwsErrorName =
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'InvalidRequestException'
  | 'VersionConflictException'
  | 'ThrottlingException';

export function isAwsError(err: unknown, name: AwsErrorName): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; awsErrorName?: unknown };
  return e.awsErrorName === name || e.name === name;
}
