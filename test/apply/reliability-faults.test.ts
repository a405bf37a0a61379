// Reliability: a large apply against an emulator that injects throttles, 500s, dropped connections
// and lost answers (the call ran, the client never heard) converges the way `iotops apply` does:
// every step accounted for, the few that cannot be retried safely (CreateKeysAndCertificate after
// a lost answer) fail, and a rerun, after journal recovery, finishes them. In the end the plan is
// empty and AWS holds exactly one certificate per handle: no keyless duplicate survives.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/manifest/index.js';
import { planFleet } from '../../src/session/plan-fleet.js';
import { runApplySession } from '../../src/session/apply-session.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { writeScaleFleet } from './scale-fleet.js';

// 1,000 things (~5,000 calls, ~700 injected faults) and one generated certificate in twenty: the
// emulator's RSA key generation costs ~0.35 s of CPU each. With 50 certificates a rerun after an
// ambiguous CreateKeysAndCertificate failure happens in ~90% of runs (p ≈ 0.044 each);
// e2e-lost-answer.test.ts covers that path deterministically. IOTOPS_RELIABILITY_THINGS sets another size.
const THINGS = Number(process.env.IOTOPS_RELIABILITY_THINGS ?? 1000);
const CERTS = Math.round(THINGS / 20);

let env: TestEmulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await env?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  env = dir = undefined;
});

describe('apply under injected faults', () => {
  it(`converges ${THINGS} things, groups, policies and ${CERTS} certificates through throttles, 500s, resets and lost answers`, async () => {
    dir = mkdtempSync(join(tmpdir(), 'iotops-rel-'));
    const counts = writeScaleFleet(join(dir, 'fleet'), { things: THINGS, certificates: CERTS });
    env = await startTestEmulator({ faults: 'throttle=0.1,500=0.02,reset=0.01,lost=0.01,seed=11', api: { backoff: { baseMs: 20, capMs: 500 } } });
    const loaded = await loadFleet({ dir: join(dir, 'fleet'), processEnv: {} });
    expect(loaded.diagnostics).toEqual([]);
    const desired = loaded.state!;
    const secretsDir = join(dir, 'secrets');
    expect(desired.config.fleetId).toBe('scale');

    // Each run is the session `iotops apply` runs: journal recovery, a fresh plan, execution.
    const runs: { applied: number; failed: number; failedOps: string[]; deleted: number }[] = [];
    for (let run = 1; run <= 4; run++) {
      let deleted = 0;
      const outcome = await runApplySession({
        api: env.api,
        kinds: kindRegistry,
        desired,
        secretsDir,
        stateDir: join(dir, '.iotops'),
        now: Date.now,
        apply: true,
        concurrency: 32,
        events: {
          recovered: (r) => void (deleted = r.byKind.Certificate?.outcomes.deleted?.length ?? 0),
          planned: ({ plan }) => {
            if (run === 1) expect(plan.summary.create).toBe(counts.resources);
            return plan;
          },
        },
      });
      if (outcome.status !== 'executed') throw new Error(`run ${run} executed nothing (${outcome.status})`);
      const { result, plan } = outcome;
      expect(result.steps).toHaveLength(plan.changes.length);
      const failed = result.steps.filter((s) => s.outcome === 'failed');
      runs.push({
        applied: result.steps.filter((s) => s.outcome === 'applied').length,
        failed: failed.length,
        failedOps: failed.map((s) => s.error?.operation ?? '?'),
        deleted,
      });
      if (result.ok) break;
    }
    const last = runs[runs.length - 1]!;
    expect(last.failed).toBe(0);
    // Only the call that must not be repeated blind fails a step; everything else is retried.
    expect(new Set(runs.flatMap((r) => r.failedOps))).toEqual(new Set(runs.length > 1 ? ['CreateKeysAndCertificate'] : []));
    const faults = env.emulator.statsDetail().faults;
    expect((faults.throttle ?? 0) + (faults['500'] ?? 0) + (faults.reset ?? 0) + (faults.lost ?? 0)).toBeGreaterThan(THINGS / 10);
    expect(env.api.stats().total.retries).toBeGreaterThan(0);

    const again = await planFleet({ api: env.api, desired, kinds: kindRegistry, now: Date.now() });
    expect(again.plan.changes).toEqual([]);
    const certs = await env.api.send('ListCertificates', { pageSize: 250 });
    expect(certs.certificates?.length ?? 0).toBe(CERTS);
  }, 90_000);
});
