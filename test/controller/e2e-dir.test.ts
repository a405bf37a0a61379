// `iotops run --fleet DIR`: an edit is applied as soon as the watcher sees it, and a fleet directory that
// disappears (a checkout being replaced) stalls the controller without deleting anything, then
// the same content coming back is reconciled again.
import { renameSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { tempFleet, type TempFleet } from '../support/fleet.js';
import { condition, startController, waitFor, type RunningController } from './support.js';

const thing = (name: string, firmware: string) => `apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: ${name} }\nspec:\n  attributes: { firmware: "${firmware}" }\n`;

let env: TestEmulator;
let fleet: TempFleet;
let ctl: RunningController;

beforeAll(async () => {
  env = await startTestEmulator();
  fleet = tempFleet({ 'iotops.yaml': 'fleetId: dir-e2e\n', 'things.yaml': [thing('d1', '1.0'), thing('d2', '1.0')].join('---\n') });
  ctl = await startController({ cwd: fleet.cwd, endpoint: env.endpoint, options: { fleet: 'fleet', interval: 1000, mode: 'heal', prune: true } });
});
afterAll(async () => {
  await ctl?.stop();
  await env?.stop();
  fleet?.remove();
});

const firmware = async (thingName: string) => (await env.api.send('DescribeThing', { thingName })).attributes?.firmware;

describe('iotops run --fleet', () => {
  it('applies an edited manifest in the reconcile its save triggers', async () => {
    const first = await waitFor('first revision', async () => (await ctl.status()).lastAppliedRevision);
    const mark = ctl.logs().length;
    fleet.write('things.yaml', [thing('d1', '2.0'), thing('d2', '1.0')].join('---\n'));
    const edited = await waitFor('edit applied', async () => {
      const s = await ctl.status();
      return s.lastAppliedRevision !== first && s.lastAppliedRevision;
    });
    expect(await firmware('d1')).toBe('2.0');
    // The watcher announced the edit (a directory fleet is not polled) and the next reconcile applied it.
    const logs = ctl.logs().slice(mark);
    const announced = logs.findIndex((l) => l.msg === 'new revision' && l.revision === edited);
    const started = logs.findIndex((l, i) => i > announced && l.msg === 'reconcile started');
    expect(announced).toBeGreaterThanOrEqual(0);
    expect(logs[started]).toMatchObject({ revision: edited, purpose: 'apply revision' });
    expect(logs.slice(started).find((l) => l.msg === 'reconcile finished')).toMatchObject({ revision: edited, applied: true });
  });

  it('stalls without deleting anything while the directory is gone, and resumes when it is back', async () => {
    const applied = (await ctl.status()).lastAppliedRevision;
    renameSync(fleet.fleetDir, `${fleet.fleetDir}.away`);
    try {
      const stalled = await waitFor('stalled', async () => {
        const s = await ctl.status();
        return condition(s, 'Stalled')?.status === 'True' ? s : undefined;
      });
      expect(condition(stalled, 'Stalled')?.message).toContain('fleet-not-found');
      expect(stalled.source.error?.code).toBe('source-not-found');
      expect(await firmware('d1')).toBe('2.0');
      expect(await firmware('d2')).toBe('1.0');
    } finally {
      rmSync(fleet.fleetDir, { recursive: true, force: true });
      renameSync(`${fleet.fleetDir}.away`, fleet.fleetDir);
    }
    const back = await waitFor('recovered', async () => {
      const s = await ctl.status();
      return condition(s, 'Stalled')?.status === 'False' && !s.source.error ? s : undefined;
    });
    expect(back.lastAppliedRevision).toBe(applied);
    expect(condition(back, 'Ready')?.status).toBe('True');
  });
});
