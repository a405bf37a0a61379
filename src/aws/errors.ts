// Classifying what the SDK throws: which failures are worth another attempt (throttling, 5xx,
// dropped connections) and which are final. LimitExceededException is a hard quota, not a
// throttle, although smithy's retry strategy treats it as one (AWS-IOT-FACTS.md §3), so the
// SDK's own retries are off and this module decides. It also holds the one matcher of AWS error
// types (isAwsError): nothing else reads an AWS error's `name` or `awsErrorName` to decide.

/** Stable codes of a failed AWS call; `fault` says whether the user's fleet/account or the system is to blame. */
export type AwsErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'conflict'
  | 'limit-exceeded'
  | 'invalid-request'
  | 'unauthorized'
  | 'throttled'
  | 'service-unavailable'
  | 'network'
  | 'client-error';

export type RetryClass = 'throttle' | 'server' | 'network' | 'terminal';

const THROTTLE_NAMES: ReadonlySet<string> = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const SERVER_NAMES: ReadonlySet<string> = new Set(['InternalFailureException', 'InternalException', 'ServiceUnavailableException', 'InternalServerException']);
// Topic-rule operations raise it when two pending updates race; AWS says retry with backoff.
const TRANSIENT_CONFLICT_NAMES: ReadonlySet<string> = new Set(['ConflictingResourceUpdateException']);
const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET']);
const NETWORK_NAMES: ReadonlySet<string> = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

interface SdkErrorLike {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $response?: { readonly statusCode?: number };
}

export function httpStatusOf(err: unknown): number | undefined {
  const e = err as SdkErrorLike | undefined;
  return e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
}

export function classify(err: unknown): RetryClass {
  const e = (err ?? {}) as SdkErrorLike;
  const name = e.name ?? '';
  if (name === 'LimitExceededException') return 'terminal';
  if (THROTTLE_NAMES.has(name)) return 'throttle';
  if (SERVER_NAMES.has(name) || TRANSIENT_CONFLICT_NAMES.has(name)) return 'server';
  const status = httpStatusOf(err);
  if (status !== undefined && status >= 500 && status <= 599) return 'server';
  if (status !== undefined) return 'terminal';
  if ((e.code !== undefined && NETWORK_CODES.has(e.code)) || NETWORK_NAMES.has(name)) return 'network';
  if (/socket hang up|ECONNRESET|EPIPE/i.test(e.message ?? '')) return 'network';
  return 'terminal';
}

function codeFor(name: string, status: number | undefined, cls: RetryClass): AwsErrorCode {
  if (cls === 'throttle') return 'throttled';
  if (cls === 'server') return 'service-unavailable';
  if (cls === 'network') return 'network';
  switch (name) {
    case 'ResourceNotFoundException':
      return 'not-found';
    case 'ResourceAlreadyExistsException':
      return 'already-exists';
    case 'LimitExceededException':
    case 'VersionsLimitExceededException':
      return 'limit-exceeded';
    case 'UnauthorizedException':
    case 'AccessDeniedException':
    case 'ForbiddenException':
      return 'unauthorized';
    case 'VersionConflictException':
    case 'DeleteConflictException':
    case 'CertificateStateException':
    case 'InvalidStateTransitionException':
      return 'conflict';
    case 'InvalidRequestException':
    case 'MalformedPolicyException':
    case 'SqlParseException':
    case 'InvalidQueryException':
      return 'invalid-request';
    default:
      return status === 401 || status === 403 ? 'unauthorized' : 'client-error';
  }
}

/** A failed AWS call after iotops gave up on it (terminal error, or retries exhausted). */
export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  readonly code: AwsErrorCode;
  readonly operation: string;
  /** The AWS error type, e.g. `ResourceNotFoundException`; `NetworkError` when no response came back. */
  readonly awsErrorName: string;
  readonly httpStatus: number | undefined;
  /** True when the failure class is transient and only the retry budget ran out. */
  readonly retryable: boolean;
  readonly attempts: number;
  /** `system` for AWS/network trouble, `user` for what the fleet or account configuration caused. */
  readonly fault: 'user' | 'system';
  /** Set when the call may have taken effect although it failed, and was deliberately not repeated. */
  readonly ambiguous: boolean;

  constructor(props: { operation: string; cause: unknown; attempts: number; ambiguous?: boolean }) {
    const cls = classify(props.cause);
    const e = (props.cause ?? {}) as SdkErrorLike;
    const awsErrorName = cls === 'network' ? 'NetworkError' : (e.name ?? 'Error');
    const status = httpStatusOf(props.cause);
    const unsure = props.ambiguous
      ? ' (not retried: AWS may have done it without the answer arriving, and doing it again would make a second one)'
      : '';
    super(`${props.operation} failed: ${awsErrorName}: ${e.message ?? String(props.cause)}${unsure}`, { cause: props.cause });
    this.ambiguous = props.ambiguous === true;
    this.operation = props.operation;
    this.awsErrorName = awsErrorName;
    this.httpStatus = status;
    this.retryable = cls !== 'terminal';
    this.attempts = props.attempts;
    this.code = codeFor(e.name ?? '', status, cls);
    this.fault = cls === 'terminal' ? 'user' : 'system';
  }
}

/**
 * The AWS error types iotops reacts to by name (everything else is handled by `code` or passed on).
 * `CredentialsProviderError` is the SDK's own: no credentials were found and no request was sent.
 */
export type AwsErrorName =
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'InvalidRequestException'
  | 'VersionConflictException'
  | 'VersionsLimitExceededException'
  | 'DeleteConflictException'
  | 'LimitExceededException'
  | 'ThrottlingException'
  | 'CredentialsProviderError';

/**
 * The AWS error type of a failure: AwsCallError's `awsErrorName`, else a bare SDK error's `name`.
 * Read by shape, not `instanceof`, so an AwsCallError from another copy of this module still counts.
 */
function awsErrorNameOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { awsErrorName?: unknown; name?: unknown };
  if (typeof e.awsErrorName === 'string') return e.awsErrorName;
  return typeof e.name === 'string' ? e.name : undefined;
}

/**
 * True when the failure is one of the named AWS error types. The only place that reads an AWS
 * error's type: it accepts the adapter's AwsCallError and a bare SDK error alike, so callers work
 * with any IotApi implementation.
 */
export function isAwsError(err: unknown, ...names: readonly AwsErrorName[]): boolean {
  const name = awsErrorNameOf(err);
  return name !== undefined && (names as readonly string[]).includes(name);
}
