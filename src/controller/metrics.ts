// Prometheus metrics (prom-client) on a registry of the controller's own, never the global one,
// so several controllers (tests) can coexist in one process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { KindName } from '../model/resource.js';

export interface ApiCallStats {
  readonly calls: number;
  readonly throttles: number;
}

export interface ControllerMetrics {
  readonly registry: Registry;
  reconciled(result: 'success' | 'failure' | 'stalled', seconds: number): void;
  managed(byKind: Readonly<Partial<Record<KindName, number>>>): void;
  drifted(byKind: Readonly<Partial<Record<KindName, number>>>): void;
  appliedRevision(revision: string): void;
  sourceFailed(): void;
  driftCorrected(kind: KindName): void;
  /** Cumulative per-operation stats from the AWS client; turned into counter increments. */
  apiStats(stats: Readonly<Record<string, ApiCallStats>>): void;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): ControllerMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'iotops_' });
  const reconciles = new Counter({ name: 'iotops_reconcile_total', help: 'Reconcile cycles by result', labelNames: ['result'], registers: [registry] });
  const duration = new Histogram({
    name: 'iotops_reconcile_duration_seconds',
    help: 'Reconcile cycle duration by result',
    labelNames: ['result'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const managed = new Gauge({ name: 'iotops_managed_resources', help: 'Resources managed by the fleet, by kind', labelNames: ['kind'], registers: [registry] });
  const drifted = new Gauge({ name: 'iotops_drifted_resources', help: 'Resources currently drifted from the applied revision, by kind', labelNames: ['kind'], registers: [registry] });
  const revision = new Gauge({ name: 'iotops_last_applied_revision_info', help: 'The last applied fleet revision (value is always 1)', labelNames: ['revision'], registers: [registry] });
  const calls = new Counter({ name: 'iotops_aws_api_calls_total', help: 'AWS IoT API calls by operation', labelNames: ['operation'], registers: [registry] });
  const throttles = new Counter({ name: 'iotops_aws_api_throttles_total', help: 'AWS IoT ThrottlingException responses by operation', labelNames: ['operation'], registers: [registry] });
  const sourceFailures = new Counter({ name: 'iotops_source_failures_total', help: 'Failed reads of the fleet source (git fetch, directory read)', registers: [registry] });
  const lastSuccess = new Gauge({ name: 'iotops_last_success_timestamp_seconds', help: 'Unix time of the last successful reconcile (alert when it grows old)', registers: [registry] });
  const corrections = new Counter({ name: 'iotops_drift_corrections_total', help: 'Drifted resources put back by heal mode, by kind', labelNames: ['kind'], registers: [registry] });
  const seen = new Map<string, ApiCallStats>();

  return {
    registry,
    reconciled(result, seconds) {
      reconciles.inc({ result });
      duration.observe({ result }, seconds);
      if (result === 'success') lastSuccess.set(Date.now() / 1000);
    },
    managed(byKind) {
      managed.reset();
      for (const [kind, n] of Object.entries(byKind)) managed.set({ kind }, n ?? 0);
    },
    drifted(byKind) {
      drifted.reset();
      for (const [kind, n] of Object.entries(byKind)) drifted.set({ kind }, n ?? 0);
    },
    appliedRevision(rev) {
      revision.reset();
      revision.set({ revision: rev }, 1);
    },
    driftCorrected(kind) {
      corrections.inc({ kind });
    },
    sourceFailed() {
      sourceFailures.inc();
    },
    apiStats(stats) {
      for (const [operation, s] of Object.entries(stats)) {
        const prev = seen.get(operation) ?? { calls: 0, throttles: 0 };
        if (s.calls > prev.calls) calls.inc({ operation }, s.calls - prev.calls);
        if (s.throttles > prev.throttles) throttles.inc({ operation }, s.throttles - prev.throttles);
        seen.set(operation, s);
      }
    },
  };
}
