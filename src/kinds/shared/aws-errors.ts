// The two reactions to AWS errors kinds share: "vanished meanwhile" (unlessNotFound) and "expected
// to pass shortly" (retryOn). Which error it is, is told by the one matcher, isAwsError in
// src/aws/errors.ts.
import { isAwsError, type AwsErrorName } from '../../aws/errors.js';

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
