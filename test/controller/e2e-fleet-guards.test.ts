// Issue #11: whoever can merge to the branch the controller follows must not be able to widen
// its guards or switch its fleet. Fleet A's controller runs with --fleet-id fleet-a and without
// --prune; its repository turns prune on, raises maxDeletes, then claims to be fleet B, whose
// resources live in the same account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { tempFleet, type TempFleet } from '../support/fleet.js';
import { cli, thingExists } from '../apply/support.js';
import { condition, startController, waitFor, type RunningController } from './support.js';

const thing = (name: string) => `apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: ${name} }\nspec:\n  attributes: { site: lab }\n`;

let env: TestEmulator;
let fleetA: TempFleet;
let fleetB: TempFleet;
let ctl: RunningController;

beforeAll(async () => {
  env = await startTestEmulator();
  fleetB = tempFleet({ 'iotops.yaml': 'fleetId: fleet-b\n', 'things.yaml': ['b1', 'b2', 'b3'].map(thing).join('---\n') });
  expect((await cli(fleetB.cwd, ['apply', '--endpoint', env.endpoint, '--auto-approve'])).code).toBe(0);
  fleetA = tempFleet({ 'iotops.yaml': 'fleetId: fleet-a\nprune: true\nmaxDeletes: 100000\n', 'things.yaml': ['a1', 'a2'].map(thing).join('---\n') });
  ctl = await startController({ cwd: fleetA.cwd, endpoint: env.endpoint, options: { fleet: 'fleet', interval: 1000, mode: 'heal', fleetId: 'fleet-a' } });
});
afterAll(async () => {
  await ctl?.stop();
  await env?.stop();
  fleetA?.remove();
  fleetB?.remove();
});

describe('iotops run --fleet-id', () => {
  it('does not prune on the repository\'s prune: true when the controller runs without --prune', async () => {
    const first = await waitFor('first revision applied', async () => (await ctl.status()).lastAppliedRevision);
    expect(await thingExists(env, 'a2')).toBe(true);
    expect(ctl.logs().some((l) => l.level === 'warn' && String(l.msg).startsWith('no fleet id set by the operator'))).toBe(false);

    fleetA.write('things.yaml', thing('a1'));
    await waitFor('edit reconciled', async () => {
      const s = await ctl.status();
      return s.lastAppliedRevision !== first ? s : undefined;
    });
    expect(await thingExists(env, 'a2')).toBe(true);
  });

  it('stalls a revision whose iotops.yaml names another fleet, and deletes nothing of fleet B', async () => {
    const before = (await ctl.status()).lastAppliedRevision;
    fleetA.write('iotops.yaml', 'fleetId: fleet-b\nprune: true\nmaxDeletes: 100000\n');
    const stalled = await waitFor('stalled', async () => {
      const s = await ctl.status();
      return condition(s, 'Stalled')?.status === 'True' ? s : undefined;
    });
    expect(condition(stalled, 'Stalled')?.reason).toBe('FleetIdMismatch');
    expect(condition(stalled, 'Stalled')?.message).toContain('iotops.yaml says fleetId "fleet-b" but this run manages fleet "fleet-a"');
    expect(stalled.lastAppliedRevision).toBe(before);
    for (const name of ['b1', 'b2', 'b3', 'a1', 'a2']) expect(await thingExists(env, name)).toBe(true);
  });
});

describe('iotops run without --fleet-id', () => {
  it('warns that the repository decides the fleet', async () => {
    const f = tempFleet({ 'iotops.yaml': 'fleetId: loose\n', 'things.yaml': thing('l1') });
    const loose = await startController({ cwd: f.cwd, endpoint: env.endpoint, options: { fleet: 'fleet', interval: 1000, mode: 'heal' } });
    try {
      const warning = loose.logs().find((l) => String(l.msg).startsWith('no fleet id set by the operator'));
      expect(warning).toMatchObject({ setting: '--fleet-id or IOTOPS_FLEET_ID' });
    } finally {
      await loose.stop();
      f.remove();
    }
  });
});
