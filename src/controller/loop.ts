// The reconcile loop. One reconcile at a time; triggers (a new artifact, the interval with
// jitter, a backoff retry) coalesce into at most one pending run. Error classes decide what
// happens next: success requeues on the interval, transient failures back off, stalled
// (invalid manifests) waits for a new revision while the last applied state stays in force.
import type { Logger } from 'pino';
import type { KindName } from '../model/resource.js';
import { hasChanges, type Plan, type PlannedChange } from '../model/plan.js';
import type { Artifact, Source, SourceError } from '../source/types.js';
import type { ApiCallStats, ControllerMetrics } from './metrics.js';
import { StatusBook, describeSummary, type ControllerStatus, type SourceStatus } from './status.js';
import { ReconcileError, type DriftEntry, type DriftResolution, type Reconcile, type ReconcileMode } from './types.js';

export interface ControllerProps {
  readonly source: Source;
  readonly reconcile: Reconcile;
  readonly mode: ReconcileMode;
  readonly intervalMs: number;
  /** Fraction of the interval added or removed at random (default 0.1). */
  readonly jitter?: number;
  /** First backoff delay after a transient failure; doubles up to the interval (default 5 s). */
  readonly backoffMs?: number;
  readonly logger: Logger;
  readonly metrics: ControllerMetrics;
  readonly apiStats?: () => Readonly<Record<string, ApiCallStats>>;
  readonly now?: () => number;
  readonly random?: () => number;
  /** How many resolved drift entries /status keeps (default 100). */
  readonly driftHistory?: number;
}

export interface Controller {
  start(): Promise<void>;
  /** Lets the apply steps in flight finish (no new step starts), then stops everything. */
  stop(): Promise<void>;
  /** Requests a reconcile now (coalesced with one already pending). */
  trigger(reason: string): void;
  status(): ControllerStatus;
  ready(): boolean;
  /** Resolves after the next reconcile finishes (tests, `--once`). */
  nextCycle(): Promise<void>;
}

export function createController(props: ControllerProps): Controller {
  const now = props.now ?? Date.now;
  const random = props.random ?? Math.random;
  const log = props.logger;
  const book = new StatusBook(now);
  const activeDrift = new Map<string, DriftEntry>();
  const recentDrift: DriftEntry[] = [];
  let artifact: Artifact | undefined;
  let lastApplied: string | undefined;
  let lastAttempted: string | undefined;
  let lastReconcile: number | undefined;
  let lastPlan: ControllerStatus['lastPlan'];
  let stalledAt: string | undefined;
  let everSucceeded = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let pending = false;
  let stopped = false;
  const stopping = new AbortController();
  let waiters: Array<() => void> = [];
  let sourceRevision: string | undefined;
  let sourceCheck: number | undefined;
  let sourceError: SourceStatus['error'];

  const schedule = (ms: number): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => trigger('interval'), ms);
  };
  const intervalDelay = (): number => {
    const j = props.jitter ?? 0.1;
    return Math.max(1, Math.round(props.intervalMs * (1 - j + 2 * j * random())));
  };

  const trigger = (reason: string): void => {
    if (stopped) return;
    if (running) {
      pending = true;
      return;
    }
    running = cycle(reason).finally(() => {
      running = undefined;
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
      if (pending && !stopped) {
        pending = false;
        trigger('pending');
      }
    });
  };

  const cycle = async (reason: string): Promise<void> => {
    const current = artifact;
    // A failing source is asked again every interval: a watcher may have lost a directory that
    // went away, and a source that failed at start has no revision to reconcile yet.
    if (!current || (sourceError && reason === 'interval')) void props.source.refresh();
    if (!current) return schedule(intervalDelay());
    // Stalled: the manifests of this revision are invalid; only a new revision can help. The
    // state of the last applied revision stays in force (and is not healed) meanwhile.
    if (stalledAt === current.revision) return schedule(intervalDelay());
    const started = now();
    const revision = current.revision;
    lastAttempted = revision;
    const atApplied = lastApplied === revision;
    const apply = !atApplied || props.mode === 'heal';
    book.set('Reconciling', 'True', 'Progressing', `reconciling revision ${revision} (${reason})`);
    log.info({ revision, reason, purpose: atApplied ? (apply ? 'heal drift' : 'observe drift') : 'apply revision' }, 'reconcile started');
    try {
      let planned = false;
      const onPlan = (plan: Plan): void => {
        planned = true;
        lastPlan = { revision, summary: plan.summary };
        if (atApplied) trackDrift(plan.changes, revision);
      };
      const report = await props.reconcile({ artifact: current, apply, onPlan, signal: stopping.signal });
      const plan = report.plan;
      if (!planned) onPlan(plan); // reconcilers that do not report the plan early (test doubles)
      // A new revision replaces whatever drifted from the old one; at the same revision a
      // successful apply healed everything still active.
      if (!atApplied) resolveAll('superseded', revision);
      else if (report.applied) resolveAll('corrected', revision);
      if (!hasChanges(plan) || report.applied) {
        lastApplied = revision;
        props.metrics.appliedRevision(revision);
      }
      const pendingDrift = activeDrift.size > 0;
      everSucceeded = true;
      failures = 0;
      lastReconcile = now();
      book.set('Stalled', 'False', 'Succeeded', 'last reconcile succeeded');
      book.set(
        'Ready',
        'True',
        pendingDrift ? 'DriftDetected' : 'ReconciliationSucceeded',
        pendingDrift ? `revision ${revision} applied; ${activeDrift.size} resource(s) drifted (mode observe: not corrected)` : `revision ${revision} applied`,
      );
      props.metrics.managed(report.managed);
      props.metrics.reconciled('success', (now() - started) / 1000);
      log.info(
        { revision, changes: describeSummary(plan.summary), applied: report.applied, drifted: activeDrift.size, durationMs: now() - started },
        'reconcile finished',
      );
      schedule(intervalDelay());
    } catch (err) {
      lastReconcile = now();
      const e = err instanceof ReconcileError ? err : new ReconcileError('transient', 'AwsUnavailable', (err as Error).message);
      if (e.errorClass === 'stalled') {
        stalledAt = revision;
        book.set('Stalled', 'True', e.reason, e.message);
        book.set('Ready', 'False', e.reason, `revision ${revision} not applied: ${e.message}`);
        props.metrics.reconciled('stalled', (now() - started) / 1000);
        log.error({ revision, reason: e.reason, error: e.message }, 'reconcile stalled until a new revision');
        schedule(props.intervalMs);
      } else if (e.reason === 'Cancelled') {
        book.set('Ready', 'False', e.reason, e.message);
        props.metrics.reconciled('failure', (now() - started) / 1000);
        log.info({ revision, error: e.message }, 'reconcile cancelled');
      } else {
        failures++;
        const delay = Math.min(props.intervalMs, (props.backoffMs ?? 5000) * 2 ** (failures - 1));
        book.set('Ready', 'False', e.reason, e.message);
        props.metrics.reconciled('failure', (now() - started) / 1000);
        log.warn({ revision, reason: e.reason, error: e.message, retryInMs: delay }, 'reconcile failed, backing off');
        schedule(delay);
      }
    } finally {
      book.set('Reconciling', 'False', 'Idle', 'waiting for the next revision or interval');
      props.metrics.drifted(countByKind([...activeDrift.values()]));
      if (props.apiStats) props.metrics.apiStats(props.apiStats());
    }
  };

  /**
   * Reports each drifted resource once per occurrence (a resource drifting differently is a new
   * occurrence); drift no longer in the plan was undone by someone else and moves to history.
   */
  const trackDrift = (changes: readonly PlannedChange[], revision: string): void => {
    const seen = new Set<string>();
    for (const c of changes) {
      if (c.blocked) continue; // shown in the plan, but not something this controller would change
      const key = `${c.kind}/${c.name}|${JSON.stringify(c.fields)}`;
      seen.add(key);
      if (!activeDrift.has(key)) {
        const entry: DriftEntry = { kind: c.kind, name: c.name, action: c.action, fields: c.fields, revision, detectedAt: new Date(now()).toISOString() };
        activeDrift.set(key, entry);
        log.warn({ resource: `${c.kind}/${c.name}`, action: c.action, fields: c.fields.map((f) => f.path).join(','), revision }, 'drift detected');
      }
    }
    for (const [key, entry] of activeDrift) {
      if (!seen.has(key)) {
        resolve(key, entry, 'gone');
        log.info({ resource: `${entry.kind}/${entry.name}`, revision }, 'drift gone without correction');
      }
    }
  };
  /** After a successful apply nothing drifts any more: healed, or overwritten by a new revision. */
  const resolveAll = (resolution: 'corrected' | 'superseded', revision: string): void => {
    for (const [key, entry] of activeDrift) {
      resolve(key, entry, resolution);
      if (resolution !== 'corrected') continue;
      props.metrics.driftCorrected(entry.kind);
      log.info({ resource: `${entry.kind}/${entry.name}`, fields: entry.fields.map((f) => f.path).join(','), revision }, 'drift corrected');
    }
  };
  const resolve = (key: string, entry: DriftEntry, resolution: DriftResolution): void => {
    activeDrift.delete(key);
    entry.resolvedAt = new Date(now()).toISOString();
    entry.resolution = resolution;
    recentDrift.push(entry);
    const max = props.driftHistory ?? 100;
    if (recentDrift.length > max) recentDrift.splice(0, recentDrift.length - max);
  };

  const onArtifact = (a: Artifact): void => {
    artifact = a;
    // A source announces a revision again only when its content may differ from what failed
    // (a directory that was missing is back): give it another chance.
    if (stalledAt === a.revision) stalledAt = undefined;
    log.info({ revision: a.revision, source: props.source.description }, 'new revision');
    trigger('new revision');
  };
  const onSourceError = (e: SourceError): void => {
    props.metrics.sourceFailed();
    // Logged when it starts or changes, not on every poll of a remote that stays down.
    if (sourceError?.message !== e.message) {
      // With no revision yet there is nothing to keep: say so instead of promising a last revision.
      log.error({ source: props.source.description, code: e.code, error: e.message }, artifact ? 'source failed, keeping the last revision' : 'source failed, no revision to reconcile yet');
    }
    sourceError = { code: e.code, message: e.message, since: sourceError?.since ?? new Date(now()).toISOString() };
    if (!artifact) book.set('Ready', 'False', 'SourceUnavailable', e.message);
  };
  const onSourceChecked = (revision: string): void => {
    if (sourceError) log.info({ source: props.source.description, revision }, 'source recovered');
    sourceError = undefined;
    sourceRevision = revision;
    sourceCheck = now();
  };
  /** The Ready condition says when the source is down even though the last revision is in force. */
  const conditions = (): ControllerStatus['conditions'] =>
    book.list().map((c) => (c.type === 'Ready' && sourceError && artifact ? { ...c, message: `${c.message}; source unavailable since ${sourceError.since}: ${sourceError.message}` } : c));

  return {
    async start() {
      log.info({ source: props.source.description, mode: props.mode, interval: formatInterval(props.intervalMs) }, 'controller starting');
      await props.source.start({ artifact: onArtifact, error: onSourceError, checked: onSourceChecked });
      if (!artifact) schedule(intervalDelay());
    },
    async stop() {
      stopped = true;
      // The apply in progress finishes the steps in flight and starts no new one.
      stopping.abort();
      if (timer) clearTimeout(timer);
      await props.source.stop();
      await running;
      log.info({}, 'controller stopped');
    },
    trigger(reason) {
      if (reason === 'interval' || !artifact) void props.source.refresh();
      trigger(reason);
    },
    ready: () => everSucceeded,
    nextCycle: () => new Promise<void>((r) => waiters.push(r)),
    status: () => ({
      mode: props.mode,
      source: {
        description: props.source.description,
        ...(sourceRevision ? { revision: sourceRevision } : {}),
        ...(sourceCheck !== undefined ? { lastCheckTime: new Date(sourceCheck).toISOString() } : {}),
        ...(sourceError ? { error: sourceError } : {}),
      },
      conditions: conditions(),
      lastAppliedRevision: lastApplied,
      lastAttemptedRevision: lastAttempted,
      lastReconcileTime: lastReconcile === undefined ? undefined : new Date(lastReconcile).toISOString(),
      lastPlan,
      drift: { active: [...activeDrift.values()], recent: [...recentDrift] },
    }),
  };
}

function countByKind(entries: readonly DriftEntry[]): Partial<Record<KindName, number>> {
  const out: Partial<Record<KindName, number>> = {};
  for (const e of entries) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out;
}

/** 30000 → "30s", 90000 → "90s", 300000 → "5m". */
export function formatInterval(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms >= 120_000) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
