// The @aws-sdk/client-iot adapter behind the IotApi port. The SDK's own retries are off
// (maxAttempts 1) because smithy retries LimitExceededException as a throttle; instead every call
// waits for its operation's token bucket, then retries throttling, 5xx and dropped connections
// with full-jitter exponential backoff and turns anything else into an AwsCallError.
import './sdk-env.js';
import * as Iot from '@aws-sdk/client-iot';
import type { IoTClientConfig } from '@aws-sdk/client-iot';
import type { IotApi, IotInput, IotOperation, IotOutput } from './iot-api.js';
import { AwsCallError, classify, type RetryClass } from './errors.js';
import { operationTps, type RateLimits } from './rate-limits.js';
import { bucketForTps, type TokenBucket } from './token-bucket.js';

export interface OperationStats {
  /** HTTP requests sent (first attempts and retries). */
  calls: number;
  /** ThrottlingException responses received. */
  throttles: number;
  /** Attempts repeated after a transient failure. */
  retries: number;
  /** Calls that finally failed (terminal error or retries exhausted). */
  errors: number;
  /** Total milliseconds spent waiting for the token bucket. */
  waitMs: number;
}

export interface ApiStats {
  readonly total: Readonly<OperationStats>;
  readonly byOperation: Readonly<Record<string, Readonly<OperationStats>>>;
}

export type CallEvent =
  | { readonly type: 'attempt'; readonly operation: string; readonly attempt: number }
  | { readonly type: 'retry'; readonly operation: string; readonly attempt: number; readonly class: RetryClass; readonly delayMs: number; readonly errorName: string }
  | { readonly type: 'failed'; readonly operation: string; readonly error: AwsCallError };

export interface CreateIotApiProps {
  /** Custom endpoint (the emulator, or an AWS-compatible URL). */
  readonly endpoint?: string;
  /** Absent: the SDK resolves it (AWS_REGION, then the shared config profile). */
  readonly region?: string;
  readonly profile?: string;
  /** Absent: the SDK's default credential chain (pass dummy ones for an emulator). */
  readonly credentials?: IoTClientConfig['credentials'];
  /** Client-side token buckets per operation: AWS's table, off, or the table scaled. Default `aws`. */
  readonly rateLimits?: RateLimits;
  /** Per-operation TPS overrides (e.g. an account's raised quotas) applied before scaling. */
  readonly tpsOverrides?: Readonly<Record<string, number>>;
  /** Retries after the first attempt for transient failures. Default 8. */
  readonly maxRetries?: number;
  /** Backoff base and cap in ms. Defaults 100 and 20000. */
  readonly backoff?: { readonly baseMs?: number; readonly capMs?: number };
  readonly onCall?: (event: CallEvent) => void;
  /** Injected for tests. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface IotClientApi extends IotApi {
  stats(): ApiStats;
  resetStats(): void;
  /** Releases sockets; the api must not be used afterwards. */
  destroy(): void;
}

type CommandCtor = new (input: unknown) => unknown;
const sdk = Iot as unknown as Readonly<Record<string, unknown>>;

function commandClass(operation: string): CommandCtor {
  const ctor = sdk[`${operation}Command`];
  if (typeof ctor !== 'function') throw new TypeError(`unknown AWS IoT operation: ${operation}`);
  return ctor as CommandCtor;
}

/**
 * Calls that make something new every time they run, so that repeating one whose answer may have
 * been lost (a 5xx, a dropped connection: AWS may have done it) would make a second one. They are
 * retried only after a throttle, which AWS answers before running the call. Today that is
 * CreateKeysAndCertificate: a repeat would leave an ACTIVE certificate whose key nobody got. The
 * step fails instead, its journal entry stays open, and the next apply's recovery deletes the
 * keyless certificate if AWS did create it (src/kinds/certificate/recover.ts).
 */
const NOT_REPEATED_WHEN_AMBIGUOUS: ReadonlySet<string> = new Set(['CreateKeysAndCertificate']);

const emptyStats = (): OperationStats => ({ calls: 0, throttles: 0, retries: 0, errors: 0, waitMs: 0 });
const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createIotApi(props: CreateIotApiProps): IotClientApi {
  const now = props.now ?? Date.now;
  const sleep = props.sleep ?? defaultSleep;
  const random = props.random ?? Math.random;
  const maxRetries = props.maxRetries ?? 8;
  const baseMs = props.backoff?.baseMs ?? 100;
  const capMs = props.backoff?.capMs ?? 20_000;
  const limits = props.rateLimits ?? 'aws';
  const credentials = props.credentials;
  const client = new Iot.IoTClient({
    ...(props.region ? { region: props.region } : {}),
    ...(props.endpoint ? { endpoint: props.endpoint } : {}),
    ...(props.profile ? { profile: props.profile } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
  const buckets = new Map<string, TokenBucket | null>();
  let byOperation = new Map<string, OperationStats>();

  const bucketOf = (operation: string): TokenBucket | null => {
    let b = buckets.get(operation);
    if (b === undefined) {
      const tps = operationTps(operation, limits, props.tpsOverrides);
      b = tps === undefined ? null : bucketForTps(tps, { now, sleep });
      buckets.set(operation, b);
    }
    return b;
  };
  const statsOf = (operation: string): OperationStats => {
    let s = byOperation.get(operation);
    if (!s) byOperation.set(operation, (s = emptyStats()));
    return s;
  };

  async function send<N extends IotOperation>(operation: N, input: IotInput<N>): Promise<IotOutput<N>> {
    const Ctor = commandClass(operation);
    const stats = statsOf(operation);
    const bucket = bucketOf(operation);
    for (let attempt = 1; ; attempt++) {
      if (bucket) {
        // Not `waitMs += await ...`: that reads waitMs before the wait, losing concurrent callers' waits.
        const waited = await bucket.acquire();
        stats.waitMs += waited;
      }
      stats.calls++;
      props.onCall?.({ type: 'attempt', operation, attempt });
      try {
        const out = (await client.send(new Ctor(input) as never)) as unknown as Record<string, unknown>;
        const { $metadata: _meta, ...rest } = out;
        return rest as IotOutput<N>;
      } catch (err) {
        const cls = classify(err);
        if (cls === 'throttle') stats.throttles++;
        const ambiguous = (cls === 'server' || cls === 'network') && NOT_REPEATED_WHEN_AMBIGUOUS.has(operation);
        if (cls === 'terminal' || ambiguous || attempt > maxRetries) {
          stats.errors++;
          const error = new AwsCallError({ operation, cause: err, attempts: attempt, ambiguous });
          props.onCall?.({ type: 'failed', operation, error });
          throw error;
        }
        // Full jitter: uniform in [0, min(cap, base·2^n)] spreads retries of concurrent callers.
        const delayMs = Math.floor(random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));
        stats.retries++;
        props.onCall?.({ type: 'retry', operation, attempt, class: cls, delayMs, errorName: (err as Error)?.name ?? 'Error' });
        await sleep(delayMs);
      }
    }
  }

  return {
    send,
    stats() {
      const total = emptyStats();
      const out: Record<string, OperationStats> = {};
      for (const [op, s] of [...byOperation].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        out[op] = { ...s };
        total.calls += s.calls;
        total.throttles += s.throttles;
        total.retries += s.retries;
        total.errors += s.errors;
        total.waitMs += s.waitMs;
      }
      return { total, byOperation: out };
    },
    resetStats() {
      byOperation = new Map();
    },
    destroy() {
      client.destroy();
    },
  };
}
