// Call accounting for benchmarks and tests: calls per operation (every call that reached a known
// route, including throttled, faulted and denied ones), and per-outcome counters.

export interface StatsSnapshot {
  readonly calls: Record<string, number>;
  readonly throttled: Record<string, number>;
  readonly denied: Record<string, number>;
  readonly errors: Record<string, number>;
  readonly faults: Record<string, number>;
  readonly totalCalls: number;
}

export interface Stats {
  call(operation: string): void;
  throttled(operation: string): void;
  denied(operation: string): void;
  error(errorType: string): void;
  fault(kind: string): void;
  snapshot(): StatsSnapshot;
  reset(): void;
}

export function createStats(): Stats {
  let s = blank();
  const bump = (m: Record<string, number>, k: string) => void (m[k] = (m[k] ?? 0) + 1);
  return {
    call: (op) => {
      bump(s.calls, op);
      s.totalCalls += 1;
    },
    throttled: (op) => bump(s.throttled, op),
    denied: (op) => bump(s.denied, op),
    error: (type) => bump(s.errors, type),
    fault: (kind) => bump(s.faults, kind),
    snapshot: () => structuredClone(s),
    reset: () => void (s = blank()),
  };
}

function blank(): { calls: Record<string, number>; throttled: Record<string, number>; denied: Record<string, number>; errors: Record<string, number>; faults: Record<string, number>; totalCalls: number } {
  return { calls: {}, throttled: {}, denied: {}, errors: {}, faults: {}, totalCalls: 0 };
}
