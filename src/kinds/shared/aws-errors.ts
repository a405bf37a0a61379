// AWS errors surface from the SDK as Error objects whose `name` is the exception type.
export type AwsErrorName =
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'InvalidRequestException'
  | 'VersionConflictException';

export function isAwsError(err: unknown, name: AwsErrorName): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === name;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
