// Per-operation token buckets. A bucket holds one second of its rate (at least one token), so a
// client that stays at the rate is never throttled and a burst above it is, like AWS's limiter.
import { DEFAULT_TPS } from './throttle-rates.js';

export type ThrottleMode = 'aws' | 'off';

export interface ThrottleProps {
  readonly mode: ThrottleMode;
  /** Multiplies every rate (0.1 = a tenth of AWS's TPS). */
  readonly scale?: number;
  /** Overrides per operation, in TPS before scaling. */
  readonly rates?: Readonly<Record<string, number>>;
  readonly now: () => number;
}

export interface Throttle {
  /** True when the call may proceed (and consumes a token). */
  take(operation: string): boolean;
}

interface Bucket {
  tokens: number;
  last: number;
  readonly rate: number;
  readonly capacity: number;
}

export function createThrottle(props: ThrottleProps): Throttle {
  if (props.mode === 'off') return { take: () => true };
  const scale = props.scale ?? 1;
  const rates = { ...DEFAULT_TPS, ...props.rates };
  const buckets = new Map<string, Bucket>();
  return {
    take(operation) {
      let bucket = buckets.get(operation);
      if (!bucket) {
        const tps = rates[operation];
        if (tps === undefined) return true;
        const rate = tps * scale;
        const capacity = Math.max(1, rate);
        bucket = { tokens: capacity, last: props.now(), rate, capacity };
        buckets.set(operation, bucket);
      }
      const now = props.now();
      bucket.tokens = Math.min(bucket.capacity, bucket.tokens + ((now - bucket.last) / 1000) * bucket.rate);
      bucket.last = now;
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
