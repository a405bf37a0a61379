// The loop's scheduling, status and drift bookkeeping, with a scripted reconcile function.
// (End-to-end behaviour against the emulator is covered in test/controller/e2e*.test.ts.)
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createController, type Controller } from '../../src/controller/loop.js';
import { createMetrics } from '../../src/controller/metrics.js';
import { startStatusServer, type StatusServer } from '../../src/controller/http.js';
import { ReconcileError, type Reconcile, type ReconcileRequest } from '../../src/controller/types.js';
import { summarize, type Plan, type PlannedChange } from '../../src/model/plan.js';
import { SourceError, type Artifact, type Source, type SourceListener } from '../../src/source/types.js';

function memorySource(): Source & { push(a: Artifact): void } {
  let listener: SourceListener | undefined;
  let first: Artifact | undefined;
  return {
    description: 'memory',
    async start(l) {
      listener = l;
      if (first) l.artifact(first);
    },
    async refresh() {},
    async stop() {},
    push(a) {
      if (!listener) first = a;
      else listener.artifact(a);
    },
  };
}

function planOf(changes: PlannedChange[]): Plan {
  return { formatVersion: 1, revision: 'r', liveDigest: 'd', summary: summarize(changes), changes, warnings: [] };
}
const thingDrift: PlannedChange = { kind: 'Thing', name: 'sensor-1', action: 'update', dependsOn: [], fields: [{ path: 'attributes.battery', before: '5', after: '90' }] };

function logs() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk, _enc, cb) { for (const l of String(chunk).trim().split('\n')) lines.push(JSON.parse(l)); cb(); } });
  return { lines, logger: pino({ level: 'debug' }, stream) };
}

let controller: Controller | undefined;
let server: StatusServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  await controller?.stop();
  server = controller = undefined;
});

function setup(reconcile: Reconcile, mode: 'observe' | 'heal' = 'observe', intervalMs = 60_000) {
  const source = memorySource();
  const metrics = createMetrics({ defaultMetrics: false });
  const log = logs();
  controller = createController({ source, reconcile, mode, intervalMs, backoffMs: 20, logger: log.logger, metrics, random: () => 0.5 });
  return { source, metrics, log, controller };
}

describe('controller loop', () => {
  it('applies the first revision, then reports ready with status, metrics and endpoints', async () => {
    const requests: ReconcileRequest[] = [];
    const { source, metrics, controller: c } = setup(async (req) => {
      requests.push(req);
      return { plan: planOf([]), applied: false, managed: { Thing: 3 } };
    });
    server = await startStatusServer({ host: '127.0.0.1', port: 0, controller: c, metrics });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    source.push({ revision: 'rev-1', dir: '/fleet' });
    const cycle = c.nextCycle();
    await c.start();
    await cycle;
    expect(requests.map(({ artifact, apply }) => ({ artifact, apply }))).toEqual([{ artifact: { revision: 'rev-1', dir: '/fleet' }, apply: true }]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const status = (await (await fetch(`${server.url}/status`)).json()) as ReturnType<Controller['status']>;
    expect(status.lastAppliedRevision).toBe('rev-1');
    expect(status.conditions.find((x) => x.type === 'Ready')).toMatchObject({ status: 'True', reason: 'ReconciliationSucceeded' });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('iotops_reconcile_total{result="success"} 1');
    expect(text).toContain('iotops_managed_resources{kind="Thing"} 3');
    expect(text).toContain('iotops_last_applied_revision_info{revision="rev-1"} 1');
  });

  it('in observe mode reports drift once per occurrence and never asks to apply it', async () => {
    let cycles = 0;
    const requests: ReconcileRequest[] = [];
    const { source, log, metrics, controller: c } = setup(async (req) => {
      requests.push(req);
      cycles++;
      return { plan: planOf(cycles === 1 ? [] : [thingDrift]), applied: false, managed: {} };
    });
    source.push({ revision: 'rev-1', dir: '/fleet' });
    let done = c.nextCycle();
    await c.start();
    await done;
    for (let i = 0; i < 2; i++) {
      done = c.nextCycle();
      c.trigger('test');
      await done;
    }
    expect(requests.map((r) => r.apply)).toEqual([true, false, false]);
    const drift = log.lines.filter((l) => l.msg === 'drift detected');
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ resource: 'Thing/sensor-1', fields: 'attributes.battery', revision: 'rev-1' });
    const status = c.status();
    expect(status.drift.active).toHaveLength(1);
    expect(status.conditions.find((x) => x.type === 'Ready')?.reason).toBe('DriftDetected');
    expect(await metrics.registry.getSingleMetricAsString('iotops_drifted_resources')).toContain('iotops_drifted_resources{kind="Thing"} 1');
  });

  it('in heal mode applies drift corrections and records them as corrected', async () => {
    let cycles = 0;
    const { source, log, controller: c } = setup(async (req) => {
      cycles++;
      const changes = cycles === 2 ? [thingDrift] : [];
      return { plan: planOf(changes), applied: req.apply && changes.length > 0, managed: {} };
    }, 'heal');
    source.push({ revision: 'rev-1', dir: '/fleet' });
    let done = c.nextCycle();
    await c.start();
    await done;
    done = c.nextCycle();
    c.trigger('test');
    await done;
    expect(log.lines.filter((l) => l.msg === 'drift corrected')).toHaveLength(1);
    expect(c.status().drift.active).toHaveLength(0);
    expect(c.status().drift.recent[0]).toMatchObject({ kind: 'Thing', name: 'sensor-1', resolution: 'corrected' });
  });

  it('stalls on invalid manifests until a new revision arrives', async () => {
    const seen: string[] = [];
    const { source, controller: c } = setup(async (req) => {
      seen.push(req.artifact.revision);
      if (req.artifact.revision === 'bad') throw new ReconcileError('stalled', 'ValidationFailed', 'fleet/things.yaml:3:5: unknown-field');
      return { plan: planOf([]), applied: false, managed: {} };
    });
    source.push({ revision: 'bad', dir: '/fleet' });
    let done = c.nextCycle();
    await c.start();
    await done;
    expect(c.status().conditions.find((x) => x.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'ValidationFailed' });
    expect(c.ready()).toBe(false);
    done = c.nextCycle();
    c.trigger('interval');
    await done;
    expect(seen).toEqual(['bad']);
    done = c.nextCycle();
    source.push({ revision: 'good', dir: '/fleet' });
    await done;
    expect(seen).toEqual(['bad', 'good']);
    expect(c.status().conditions.find((x) => x.type === 'Stalled')?.status).toBe('False');
  });

  it('backs off and retries transient failures, doubling the delay', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const { source, log, controller: c } = setup(async () => {
      calls++;
      if (calls < 3) throw new ReconcileError('transient', 'AwsUnavailable', 'connection reset');
      return { plan: planOf([]), applied: false, managed: {} };
    });
    source.push({ revision: 'rev-1', dir: '/fleet' });
    await c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(19);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(39);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(3);
    expect(c.ready()).toBe(true);
    expect(c.status().lastAppliedRevision).toBe('rev-1');
    expect(log.lines.filter((l) => l.msg === 'reconcile failed, backing off').map((l) => l.retryInMs)).toEqual([20, 40]);
  });

  it('requeues a successful reconcile after the interval with jitter, not before', async () => {
    vi.useFakeTimers();
    // jitter 0.1: random() 0 gives the shortest delay (0.9 × interval), 1 the longest (1.1 ×).
    for (const [random, delay] of [[0, 9_000], [1, 11_000]] as const) {
      let calls = 0;
      const source = memorySource();
      const c = createController({
        source,
        reconcile: async () => {
          calls++;
          return { plan: planOf([]), applied: false, managed: {} };
        },
        mode: 'heal',
        intervalMs: 10_000,
        jitter: 0.1,
        random: () => random,
        logger: logs().logger,
        metrics: createMetrics({ defaultMetrics: false }),
      });
      source.push({ revision: 'rev-1', dir: '/fleet' });
      await c.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(calls).toBe(1);
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(calls).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toBe(2);
      await vi.advanceTimersByTimeAsync(delay);
      expect(calls).toBe(3);
      await c.stop();
    }
  });

  it('runs one reconcile at a time and finishes the current one on stop', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let finished = 0;
    const { source, controller: c } = setup(async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 50));
      inFlight--;
      finished++;
      return { plan: planOf([]), applied: false, managed: {} };
    });
    source.push({ revision: 'rev-1', dir: '/fleet' });
    await c.start();
    c.trigger('a');
    c.trigger('b');
    c.trigger('c');
    await c.stop();
    controller = undefined;
    expect(maxInFlight).toBe(1);
    expect(inFlight).toBe(0);
    expect(finished).toBeGreaterThanOrEqual(1);
  });
  it('reports drift seen in the plan even when healing it fails, and keeps it active', async () => {
    let cycles = 0;
    const { source, log, metrics, controller: c } = setup(async (req) => {
      cycles++;
      if (cycles === 1) return { plan: planOf([]), applied: false, managed: {} };
      req.onPlan?.(planOf([thingDrift]));
      throw new ReconcileError('transient', 'ApplyFailed', '1 step(s) failed; first: Thing/sensor-1: AccessDenied');
    }, 'heal');
    source.push({ revision: 'rev-1', dir: '/fleet' });
    let done = c.nextCycle();
    await c.start();
    await done;
    done = c.nextCycle();
    c.trigger('test');
    await done;
    expect(log.lines.filter((l) => l.msg === 'drift detected')).toHaveLength(1);
    expect(c.status().drift.active).toHaveLength(1);
    expect(c.status().conditions.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ApplyFailed' });
    expect(await metrics.registry.getSingleMetricAsString('iotops_drifted_resources')).toContain('iotops_drifted_resources{kind="Thing"} 1');
  });

  it('marks drift of an old revision superseded when a new revision is applied', async () => {
    const { source, controller: c } = setup(async (req) => {
      const drifting = req.artifact.revision === 'rev-1' && !req.apply;
      return { plan: planOf(drifting ? [thingDrift] : []), applied: req.apply, managed: {} };
    });
    source.push({ revision: 'rev-1', dir: '/fleet' });
    let done = c.nextCycle();
    await c.start();
    await done;
    done = c.nextCycle();
    c.trigger('test');
    await done;
    expect(c.status().drift.active).toHaveLength(1);
    done = c.nextCycle();
    source.push({ revision: 'rev-2', dir: '/fleet' });
    await done;
    expect(c.status().drift.active).toEqual([]);
    expect(c.status().drift.recent).toMatchObject([{ kind: 'Thing', name: 'sensor-1', resolution: 'superseded' }]);
  });

  it('shows a failing source in /status until it recovers, logging the failure once', async () => {
    let listener: SourceListener | undefined;
    const source: Source = {
      description: 'flaky',
      async start(l) {
        listener = l;
        l.checked?.('rev-1');
        l.artifact({ revision: 'rev-1', dir: '/fleet' });
      },
      async refresh() {},
      async stop() {},
    };
    const metrics = createMetrics({ defaultMetrics: false });
    const log = logs();
    controller = createController({ source, reconcile: async () => ({ plan: planOf([]), applied: false, managed: {} }), mode: 'heal', intervalMs: 60_000, logger: log.logger, metrics });
    const done = controller.nextCycle();
    await controller.start();
    await done;
    listener!.error(new SourceError('source-unreachable', 'git example: connection refused'));
    listener!.error(new SourceError('source-unreachable', 'git example: connection refused'));
    const down = controller.status();
    expect(down.source).toMatchObject({ description: 'flaky', revision: 'rev-1', error: { code: 'source-unreachable', message: 'git example: connection refused' } });
    expect(down.conditions.find((x) => x.type === 'Ready')).toMatchObject({ status: 'True', message: expect.stringContaining('source unavailable since') });
    expect(log.lines.filter((l) => l.msg === 'source failed, keeping the last revision')).toHaveLength(1);
    expect(await metrics.registry.getSingleMetricAsString('iotops_source_failures_total')).toContain('iotops_source_failures_total 2');
    listener!.checked?.('rev-1');
    expect(controller.status().source.error).toBeUndefined();
    expect(controller.status().conditions.find((x) => x.type === 'Ready')?.message).toBe('revision rev-1 applied');
  });
  it('does not promise a last revision when a source fails before it ever gave one', async () => {
    const source: Source = {
      description: 'missing branch',
      async start(l) {
        l.error(new SourceError('source-not-found', "git example: branch 'prod' does not exist"));
      },
      async refresh() {},
      async stop() {},
    };
    const log = logs();
    controller = createController({ source, reconcile: async () => ({ plan: planOf([]), applied: false, managed: {} }), mode: 'heal', intervalMs: 60_000, logger: log.logger, metrics: createMetrics({ defaultMetrics: false }) });
    await controller.start();
    expect(log.lines.map((l) => l.msg)).toContain('source failed, no revision to reconcile yet');
    expect(log.lines.map((l) => l.msg)).not.toContain('source failed, keeping the last revision');
    expect(controller.status().conditions.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'SourceUnavailable' });
  });

  it('asks a source that failed at start again on every interval until it yields a revision', async () => {
    let refreshes = 0;
    let listener: SourceListener | undefined;
    const source: Source = {
      description: 'late',
      async start(l) {
        listener = l;
        l.error(new SourceError('source-not-found', 'fleet directory /fleet does not exist'));
      },
      async refresh() {
        refreshes++;
        if (refreshes === 2) listener!.artifact({ revision: 'rev-1', dir: '/fleet' });
      },
      async stop() {},
    };
    const metrics = createMetrics({ defaultMetrics: false });
    vi.useFakeTimers();
    controller = createController({ source, reconcile: async () => ({ plan: planOf([]), applied: false, managed: {} }), mode: 'heal', intervalMs: 20_000, random: () => 0.5, logger: logs().logger, metrics });
    await controller.start();
    expect(controller.status().conditions.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'SourceUnavailable' });
    await vi.advanceTimersByTimeAsync(19_999);
    expect(refreshes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshes).toBe(1);
    expect(controller.ready()).toBe(false);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(refreshes).toBe(2);
    expect(controller.ready()).toBe(true);
    expect(controller.status().lastAppliedRevision).toBe('rev-1');
  });
  it('retries a stalled revision when the source announces it again', async () => {
    let attempts = 0;
    const { source, controller: c } = setup(async () => {
      attempts++;
      if (attempts === 1) throw new ReconcileError('stalled', 'ValidationFailed', 'fleet directory missing');
      return { plan: planOf([]), applied: false, managed: {} };
    });
    source.push({ revision: 'rev-1', dir: '/fleet' });
    let done = c.nextCycle();
    await c.start();
    await done;
    expect(c.status().conditions.find((x) => x.type === 'Stalled')?.status).toBe('True');
    done = c.nextCycle();
    source.push({ revision: 'rev-1', dir: '/fleet' });
    await done;
    expect(attempts).toBe(2);
    expect(c.status().lastAppliedRevision).toBe('rev-1');
  });
  it('serves /status with names and errors from the fleet escaped: no raw C1 or bidi character reaches a terminal', async () => {
    const { source, metrics, controller: c } = setup(async () => {
      throw new Error('bad thing name sensor-\u009b2J\u001b[31m\u202e');
    });
    server = await startStatusServer({ host: '127.0.0.1', port: 0, controller: c, metrics });
    source.push({ revision: 'rev-\u009b1', dir: '/fleet' });
    const cycle = c.nextCycle();
    await c.start();
    await cycle;
    const body = await (await fetch(`${server.url}/status`)).text();
    expect(body).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(body).toContain('rev-\\u009b1');
    expect(JSON.parse(body)).toMatchObject({ lastAttemptedRevision: 'rev-\u009b1' });
    expect(JSON.stringify(JSON.parse(body))).toContain('sensor-\u009b2J\\u001b[31m\u202e');
  });
});
