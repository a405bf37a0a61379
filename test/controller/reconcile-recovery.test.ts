// A controller killed mid-apply recovers like `iotops apply`: the next cycle finishes the creates
// the apply journal shows as begun but not ended, so a thing created just before the crash (but
// not yet marked as managed) is taken back instead of showing as a blocked adopt forever.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { journalPath, openJournal } from '../../src/apply/journal.js';
import type { IotApi } from '../../src/aws/iot-api.js';
import { createReconciler } from '../../src/controller/reconcile.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { inventoryGroupName } from '../../src/model/live.js';
import { loadFleet } from '../../src/manifest/index.js';
import { planFleet } from '../../src/session/plan-fleet.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { writeScaleFleet } from '../apply/scale-fleet.js';

let env: TestEmulator | undefined;
let cwd: string | undefined;
afterEach(async () => {
  await env?.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
  env = cwd = undefined;
});

describe('controller reconcile after a crash', () => {
  it('finishes half-done creates from the apply journal, then converges', async () => {
    cwd = mkdtempSync(join(tmpdir(), 'iotops-ctl-crash-'));
    const fleetDir = join(cwd, 'fleet');
    writeScaleFleet(fleetDir, { things: 12, certificates: 0, sites: 2, batches: 2, fleetId: 'ctl' });
    env = await startTestEmulator();
    const stateDir = join(cwd, '.iotops');
    const secretsDir = join(stateDir, 'secrets');
    const desired = (await loadFleet({ dir: fleetDir, processEnv: {} })).state!;
    // A cycle "dies" right after the 4th CreateThing: that call lands, every later one fails.
    let creates = 0;
    const dying: IotApi = {
      send: (op, input) => {
        if (creates >= 4) return Promise.reject(new Error('process killed'));
        if (op === 'CreateThing') creates++;
        return env!.api.send(op, input);
      },
    };
    const journal = openJournal(journalPath(stateDir, 'ctl'));
    const { plan } = await planFleet({ api: env.api, desired, kinds: kindRegistry, now: Date.now() });
    expect((await executePlan({ plan, kinds: kindRegistry, ctx: { api: dying, fleetId: 'ctl', secretsDir, now: Date.now }, concurrency: 4, journal })).ok).toBe(false);
    const stranded = await planFleet({ api: env.api, desired, kinds: kindRegistry, now: Date.now() });
    expect(stranded.plan.changes.some((c) => c.kind === 'Thing' && c.action === 'adopt' && c.blocked)).toBe(true);

    const reconcile = createReconciler({ api: env.api, kinds: kindRegistry, logger: pino({ level: 'silent' }), secretsDir, stateDir, processEnv: {} });
    const report = await reconcile({ artifact: { revision: desired.revision, dir: fleetDir }, apply: true });

    expect(report.plan.changes.filter((c) => c.action === 'adopt')).toEqual([]);
    expect(report.applied).toBe(true);
    const after = await planFleet({ api: env.api, desired, kinds: kindRegistry, now: Date.now() });
    expect(after.plan.changes).toEqual([]);
    const inventory = await env.api.send('ListThingsInThingGroup', { thingGroupName: inventoryGroupName('ctl'), maxResults: 250 });
    expect(inventory.things).toHaveLength(12);
  }, 30_000);
});
