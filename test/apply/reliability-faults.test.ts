// Reliability: a large apply against an emulator that injects throttles, 500s and dropped
// connections converges, accounts for every step, and a second plan is empty.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/manifest/index.js';
import { planFleet } from '../../src/plan/plan-fleet.js';
import { executePlan } from '../../src/apply/executor.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { writeScaleFleet } from './scale-fleet.js';

// Generated certificates are one in twenty: the emulator's RSA key generation costs ~0.35 s of CPU
// each. IOTOPS_RELIABILITY_THINGS sets another size.
const THINGS = Number(process.env.IOTOPS_RELIABILITY_THINGS ?? 2000);
const CERTS = Math.round(THINGS / 20);

let env: TestEmulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await env?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  env = dir = undefined;
});

describe('apply under injected faults', () => {
  it(`converges ${THINGS} things, groups, policies and ${CERTS} certificates through throttles, 500s and resets`, async () => {
    dir = mkdtempSync(join(tmpdir(), 'iotops-rel-'));
    const counts = writeScaleFleet(join(dir, 'fleet'), { things: THINGS, certificates: CERTS });
    env = await startTestEmulator({ faults: 'throttle=0.1,500=0.02,reset=0.01,seed=11', api: { backoff: { baseMs: 20, capMs: 500 } } });
    const loaded = await loadFleet({ dir: join(dir, 'fleet'), processEnv: {} });
    expect(loaded.diagnostics).toEqual([]);
    const desired = loaded.state!;
    const ctx = { api: env.api, fleetId: 'scale', secretsDir: join(dir, 'secrets'), now: Date.now };

    const { plan } = await planFleet({ api: env.api, desired, kinds: kindRegistry, now: Date.now() });
    expect(plan.summary.create).toBe(counts.resources);
    const result = await executePlan({ plan, kinds: kindRegistry, ctx, concurrency: 32 });

    expect(result.steps).toHaveLength(plan.changes.length);
    expect(result.steps.filter((s) => s.outcome !== 'applied')).toEqual([]);
    expect(result.ok).toBe(true);
    const faults = env.emulator.statsDetail().faults;
    expect((faults.throttle ?? 0) + (faults['500'] ?? 0) + (faults.reset ?? 0)).toBeGreaterThan(THINGS / 10);
    expect(env.api.stats().total.retries).toBeGreaterThan(0);

    const again = await planFleet({ api: env.api, desired, kinds: kindRegistry, now: Date.now() });
    expect(again.plan.changes).toEqual([]);
    const certs = await env.api.send('ListCertificates', { pageSize: 250 });
    expect(certs.certificates?.length ?? 0).toBe(CERTS);
  }, 120_000);
});
