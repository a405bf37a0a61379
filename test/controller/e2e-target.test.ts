// `iotops run` opens its AWS target once, at start. A later revision whose iotops.yaml asks for
// another target must stall, with the flags to restart with, instead of being applied to the
// target that happens to be open (for a git fleet, whose iotops.yaml is not read before start,
// that would be the embedded emulator). Runs on the embedded target (no --endpoint).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFleet, type TempFleet } from '../support/fleet.js';
import { condition, startController, waitFor, type RunningController } from './support.js';

const thing = (name: string, firmware: string) => `apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: ${name} }\nspec:\n  attributes: { firmware: "${firmware}" }\n`;

let fleet: TempFleet;
let ctl: RunningController;

beforeAll(async () => {
  fleet = tempFleet({ 'iotops.yaml': 'fleetId: target-e2e\n', 'things.yaml': thing('t1', '1.0') });
  ctl = await startController({ cwd: fleet.cwd, endpoint: '', options: { endpoint: undefined, fleet: 'fleet', interval: 1500, mode: 'heal' } });
});
afterAll(async () => {
  await ctl?.stop();
  fleet?.remove();
});

describe('iotops run: a revision asking for another target', () => {
  it('stalls with the flags to restart with and applies nothing, then resumes when the file matches again', async () => {
    const first = await waitFor('first revision applied', async () => (await ctl.status()).lastAppliedRevision);

    fleet.write('iotops.yaml', 'fleetId: target-e2e\ntarget: aws\nregion: eu-central-1\n');
    fleet.write('things.yaml', thing('t1', '2.0'));
    const stalled = await waitFor('stalled', async () => {
      const s = await ctl.status();
      return condition(s, 'Stalled')?.status === 'True' ? s : undefined;
    });
    expect(condition(stalled, 'Stalled')?.reason).toBe('TargetMismatch');
    expect(condition(stalled, 'Stalled')?.message).toContain('restart the controller with --target aws --region eu-central-1');
    expect(stalled.lastAppliedRevision).toBe(first);

    fleet.write('iotops.yaml', 'fleetId: target-e2e\n');
    const back = await waitFor('applied again', async () => {
      const s = await ctl.status();
      return condition(s, 'Ready')?.status === 'True' && s.lastAppliedRevision !== first ? s : undefined;
    });
    expect(condition(back, 'Stalled')?.status).toBe('False');
  });
});
