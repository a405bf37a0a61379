// The contract every operation module implements. The server decodes an HTTP request into
// `input` (labels, query, headers and body merged, keyed by the SDK's member names, e.g.
// `thingName`, `attributePayload`, `nextToken`, `principal`), calls the handler, and encodes the
// returned object per the operation's output shape. Handlers throw AwsError for AWS errors.
// Timestamps: inputs arrive as epoch milliseconds; outputs may be epoch-ms numbers or Dates (the
// codec writes epoch seconds, as restJson1 expects).
import type { EmulatorState } from '../state.js';
import type { EmulatorIndexes } from '../indexes.js';

export interface OpContext {
  readonly state: EmulatorState;
  /** Injectable clock, epoch ms. Tests move it forward instead of waiting (thing-type deprecation). */
  readonly now: () => number;
  /** Called after any mutation of things or groups so dynamic groups and continuous jobs follow. */
  readonly onThingsChanged: (thingNames: Iterable<string>) => void;
  /**
   * Derived lookup structures (sorted keys for O(page) listing). The server always provides them;
   * code that builds an OpContext by hand may omit them and listing falls back to a full sort.
   */
  readonly indexes?: EmulatorIndexes;
}

export type OpInput = Readonly<Record<string, unknown>>;
export type OpOutput = Record<string, unknown>;
export type OpHandler = (input: OpInput, ctx: OpContext) => OpOutput | Promise<OpOutput>;

/** Operation name (as in the SDK, e.g. `CreateThing`) → handler. */
export type OpTable = Readonly<Record<string, OpHandler>>;

/** An error as AWS returns it: the type goes to `x-amzn-ErrorType` and the body; status per AWS-IOT-FACTS.md §3. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = type;
  }
}

export const errors = {
  invalidRequest: (m: string) => new AwsError('InvalidRequestException', 400, m),
  notFound: (m: string) => new AwsError('ResourceNotFoundException', 404, m),
  alreadyExists: (m: string, resourceId?: string, resourceArn?: string) =>
    new AwsError('ResourceAlreadyExistsException', 409, m, { resourceId, resourceArn }),
  versionConflict: (m: string) => new AwsError('VersionConflictException', 409, m),
  deleteConflict: (m: string) => new AwsError('DeleteConflictException', 409, m),
  versionsLimit: (m: string) => new AwsError('VersionsLimitExceededException', 409, m),
  certificateState: (m: string) => new AwsError('CertificateStateException', 406, m),
  certificateValidation: (m: string) => new AwsError('CertificateValidationException', 400, m),
  certificateConflict: (m: string) => new AwsError('CertificateConflictException', 409, m),
  malformedPolicy: (m: string) => new AwsError('MalformedPolicyException', 400, m),
  sqlParse: (m: string) => new AwsError('SqlParseException', 400, m),
  invalidQuery: (m: string) => new AwsError('InvalidQueryException', 400, m),
  invalidStateTransition: (m: string) => new AwsError('InvalidStateTransitionException', 409, m),
  limitExceeded: (m: string) => new AwsError('LimitExceededException', 410, m),
  throttling: (m = 'Rate exceeded') => new AwsError('ThrottlingException', 400, m),
  unauthorized: (m: string) => new AwsError('UnauthorizedException', 401, m),
  accessDenied: (m: string) => new AwsError('AccessDeniedException', 403, m),
  internal: (m = 'Internal failure') => new AwsError('InternalFailureException', 500, m),
  serviceUnavailable: (m = 'Service unavailable') => new AwsError('ServiceUnavailableException', 503, m),
} as const;
