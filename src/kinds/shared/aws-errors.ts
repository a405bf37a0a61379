// Recognising AWS error types, and the two reactions to them kinds share: "vanished meanwhile"
// (unlessNotFound) and "expected to pass shortly" (retryOn). The IotApi adapter wraps SDK errors in
// AwsCallError (type in `awsErrorName`); a bare SDK error carries it in `name`. Both are accepted so
// kinds work with any IotApi implementation.
export type AwsErrorName =
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'InvalidRequestException'
  | 'VersionConflictException'
  | 'VersionsLimitExceededException'
  | 'DeleteConflictException'
  | 'LimitExceededException'
  | 'ThrottlingException';

/** The AWS error type of a failure: the adapter's `awsErrorName` when it has one, else the SDK's `name`. */
function awsErrorName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { awsErrorName?: unknown; name?: unknown };
  if (typeof e.awsErrorName === 'string') return e.awsErrorName;
  return typeof e.name === 'string' ? e.name : undefined;
}

/** True when the failure is one of the named AWS error types. */
export function isAwsError(err: unknown, ...names: readonly AwsErrorName[]): boolean {
  const name = awsErrorName(err);
  return name !== undefined && (names as readonly string[]).includes(name);
}

/**
 * Undefined when the resource is gone: a detail read racing a delete (the list saw it), or a
 * detach/delete whose goal a rerun or another actor already reached. Neither is an error.
 */
export async function unlessNotFound<R>(step: () => Promise<R>): Promise<R | undefined> {
  try {
    return await step();
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}

export interface RetryProps {
  /** Error types that mean "try again shortly" for this step (e.g. DeleteConflictException right after a detach). */
  readonly on: readonly AwsErrorName[];
  /** Waits before each further attempt, ms. */
  readonly delaysMs: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries a step on the named, expected-transient AWS errors; anything else propagates at once. */
export async function retryOn<R>(props: RetryProps, step: () => Promise<R>): Promise<R> {
  const sleep = props.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      const delay = props.delaysMs[attempt];
      if (delay === undefined || !isAwsError(err, ...props.on)) throw err;
      await sleep(delay);
    }
  }
}
