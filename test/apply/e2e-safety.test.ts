// End to end through the CLI against an emulator: what apply must never do. Resources created
// outside iotops are never touched, a named one is taken over only with --adopt, a saved plan is
// applied exactly or refused, nothing happens without confirmation, private keys stay in the
// secrets directory.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { SMALL_FLEET, tempFleet, type TempFleet } from '../support/fleet.js';
import { actions, cli, mutatingCalls, planJson, thingExists } from './support.js';

let env: TestEmulator | undefined;
let fleet: TempFleet | undefined;
afterEach(async () => {
  await env?.stop();
  fleet?.remove();
  env = fleet = undefined;
});

const CERT = `apiVersion: iotops/v1
kind: Certificate
metadata: { name: s1-cert }
spec:
  generate: true
  things: [s1]
`;

async function apply(extra: readonly string[] = [], opts: { answers?: string[] } = {}) {
  return cli(fleet!.cwd, ['apply', '--endpoint', env!.endpoint, ...extra], opts);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('iotops apply: ownership', () => {
  it('never touches or deletes resources created outside iotops, and adopts a named one only with --adopt', async () => {
    env = await startTestEmulator();
    // Made with the SDK: a thing and a group the fleet does not know, and thing s2 the fleet names.
    await env.api.send('CreateThing', { thingName: 'stranger', attributePayload: { attributes: { owner: 'bob' } } });
    await env.api.send('CreateThingGroup', { thingGroupName: 'outsiders' });
    await env.api.send('AddThingToThingGroup', { thingGroupName: 'outsiders', thingName: 'stranger' });
    await env.api.send('CreateThing', { thingName: 's2', attributePayload: { attributes: { site: 'elsewhere' } } });
    fleet = tempFleet(SMALL_FLEET);

    const first = await apply(['--auto-approve', '--prune']);
    expect(first.code).toBe(0);
    expect(first.out).toContain('<= Thing/s2 (adopt: exists in AWS but is not managed by fleet "e2e")');
    expect(first.out).toMatch(/1 blocked/);
    expect((await env.api.send('DescribeThing', { thingName: 's2' })).attributes).toEqual({ site: 'elsewhere' });
    const blocked = await planJson(fleet.cwd, env.endpoint, ['--prune']);
    expect(actions(blocked.plan)).toEqual(['adopt Thing/s2 [adopt-disabled]']);

    const adopted = await apply(['--auto-approve', '--prune', '--adopt']);
    expect(adopted.code).toBe(0);
    const s2 = await env.api.send('DescribeThing', { thingName: 's2' });
    expect(s2.attributes).toEqual({ site: 'lab' });
    expect(s2.thingTypeName).toBe('sensor');
    expect((await planJson(fleet.cwd, env.endpoint, ['--prune'])).plan.changes).toEqual([]);

    // Removing everything but the group from the fleet prunes what iotops made, nothing else.
    fleet.write('things.yaml', '');
    fleet.write('types.yaml', '');
    const pruned = await apply(['--auto-approve', '--prune']);
    expect(pruned.code).toBe(0);
    expect(await thingExists(env, 's1')).toBe(false);
    expect(await thingExists(env, 's2')).toBe(false);
    const stranger = await env.api.send('DescribeThing', { thingName: 'stranger' });
    expect(stranger.attributes).toEqual({ owner: 'bob' });
    const members = await env.api.send('ListThingsInThingGroup', { thingGroupName: 'outsiders' });
    expect(members.things).toEqual(['stranger']);
  });
});

describe('iotops apply --plan', () => {
  it('applies exactly the saved plan, whatever the flags say now', async () => {
    env = await startTestEmulator();
    fleet = tempFleet(SMALL_FLEET);
    expect((await apply(['--auto-approve'])).code).toBe(0);
    fleet.write('things.yaml', SMALL_FLEET['things.yaml']!.replace('metadata: { name: s2 }', 'metadata: { name: s3 }'));
    const saved = await cli(fleet.cwd, ['plan', '--endpoint', env.endpoint, '--out', 'plan.json']);
    expect(saved.code).toBe(0);

    // The plan was made without --prune: its delete of s2 is blocked and stays so.
    const r = await apply(['--plan', 'plan.json', '--auto-approve', '--prune']);

    expect(r.code).toBe(0);
    expect(await thingExists(env, 's3')).toBe(true);
    expect(await thingExists(env, 's2')).toBe(true);
    const after = await planJson(fleet.cwd, env.endpoint);
    expect(actions(after.plan)).toEqual(['delete Thing/s2 [prune-disabled]']);
  });

  it('refuses a saved plan when AWS changed since, and when the fleet changed since', async () => {
    env = await startTestEmulator();
    fleet = tempFleet(SMALL_FLEET);
    expect((await apply(['--auto-approve'])).code).toBe(0);
    fleet.write('groups.yaml', SMALL_FLEET['groups.yaml']!.replace('The lab', 'The new lab'));
    expect((await cli(fleet.cwd, ['plan', '--endpoint', env.endpoint, '--out', 'plan.json'])).code).toBe(0);

    await env.api.send('UpdateThing', { thingName: 's1', attributePayload: { attributes: { site: 'moved' }, merge: true } });
    env.emulator.resetStats();
    const liveMoved = await apply(['--plan', 'plan.json', '--auto-approve']);
    expect(liveMoved.code).toBe(1);
    expect(liveMoved.err).toContain('AWS IoT changed since the plan was made');
    expect(mutatingCalls(env)).toEqual({});

    expect((await cli(fleet.cwd, ['plan', '--endpoint', env.endpoint, '--out', 'plan.json'])).code).toBe(0);
    fleet.write('groups.yaml', SMALL_FLEET['groups.yaml']!.replace('The lab', 'Yet another lab'));
    env.emulator.resetStats();
    const fleetMoved = await apply(['--plan', 'plan.json', '--auto-approve']);
    expect(fleetMoved.code).toBe(1);
    expect(fleetMoved.err).toContain('the fleet changed since the plan was made');
    expect(env.emulator.statsDetail().totalCalls).toBe(0);
    const group = await env.api.send('DescribeThingGroup', { thingGroupName: 'lab' });
    expect(group.thingGroupProperties?.thingGroupDescription).toBe('The lab');
  });

  it('rejects a file that is not a saved plan', async () => {
    env = await startTestEmulator();
    fleet = tempFleet(SMALL_FLEET);
    writeFileSync(join(fleet.cwd, 'plan.json'), '{"formatVersion": 2}');
    const r = await apply(['--plan', 'plan.json', '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot use the saved plan plan.json: unsupported formatVersion 2');
    expect(env.emulator.statsDetail().totalCalls).toBe(0);
  });
});

describe('iotops apply: confirmation', () => {
  it('refuses to apply without --auto-approve when stdin is not a terminal', async () => {
    env = await startTestEmulator();
    fleet = tempFleet(SMALL_FLEET);
    const r = await apply();
    expect(r.code).toBe(1);
    expect(r.out).toContain('+ Thing/s1');
    expect(r.err).toContain('refusing to apply without confirmation: stdin is not a terminal');
    expect(r.err).toContain('--auto-approve');
    expect(mutatingCalls(env)).toEqual({});
  });

  it('applies when the person at the terminal answers "yes", and cancels on anything else', async () => {
    env = await startTestEmulator();
    fleet = tempFleet(SMALL_FLEET);
    for (const answer of ['no', 'y', 'YES', '']) {
      const r = await apply([], { answers: [answer] });
      expect(r.code).toBe(1);
      expect(r.err).toContain('Apply cancelled; nothing was changed.');
    }
    expect(mutatingCalls(env)).toEqual({});

    const yes = await apply([], { answers: ['yes'] });
    expect(yes.err).toContain('Only "yes" is accepted');
    expect(yes.code).toBe(0);
    expect(await thingExists(env, 's1')).toBe(true);
  });
});

describe('iotops apply: secrets', () => {
  it('writes generated private keys to the secrets directory with mode 0600, never to the fleet or the output', async () => {
    env = await startTestEmulator();
    fleet = tempFleet({ ...SMALL_FLEET, 'certs.yaml': CERT });

    const r = await apply(['--auto-approve']);

    expect(r.code).toBe(0);
    const secrets = join(fleet.cwd, '.iotops', 'secrets');
    const keyFiles = filesUnder(secrets).filter((f) => readFileSync(f, 'utf8').includes('PRIVATE KEY'));
    expect(keyFiles).toHaveLength(1);
    expect(statSync(keyFiles[0]!).mode & 0o777).toBe(0o600);
    for (const f of filesUnder(fleet.fleetDir)) expect(readFileSync(f, 'utf8')).not.toContain('PRIVATE KEY');
    expect(r.out + r.err).not.toContain('PRIVATE KEY');
    const certs = await env.api.send('ListCertificates', {});
    expect(certs.certificates).toHaveLength(1);
  });

  it('uses --secrets-dir, and refuses one inside the fleet before any call', async () => {
    env = await startTestEmulator();
    fleet = tempFleet({ ...SMALL_FLEET, 'certs.yaml': CERT });

    for (const dir of ['fleet', 'fleet/secrets', './fleet/../fleet/keys']) {
      const refused = await apply(['--auto-approve', '--secrets-dir', dir]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('is inside the fleet');
    }
    expect(env.emulator.statsDetail().totalCalls).toBe(0);

    const ok = await apply(['--auto-approve', '--secrets-dir', 'keys']);
    expect(ok.code).toBe(0);
    expect(filesUnder(join(fleet.cwd, 'keys')).some((f) => f.endsWith('.key'))).toBe(true);
    expect(existsSync(join(fleet.cwd, '.iotops', 'secrets'))).toBe(false);
  });
});

describe('iotops apply: progress', () => {
  it('draws a progress bar with rate and ETA on a terminal, and key=value lines otherwise', async () => {
    env = await startTestEmulator();
    fleet = tempFleet(SMALL_FLEET);
    const tty = await cli(fleet.cwd, ['apply', '--endpoint', env.endpoint, '--auto-approve'], { isTty: true });
    expect(tty.code).toBe(0);
    expect(tty.err).toMatch(/\r\[#{24}\] 4\/4 steps {2}\d+\.\d\/s {2}ETA 0s\u001b\[K\n/);

    fleet.write('groups.yaml', SMALL_FLEET['groups.yaml']!.replace('The lab', 'The new lab'));
    const plain = await apply(['--auto-approve']);
    expect(plain.code).toBe(0);
    expect(plain.err).toMatch(/^apply progress done=1 total=1 failed=0 skipped=0 rate=\d+\.\d\/s eta=0s$/m);
    expect(plain.err).not.toContain('\r');
  });
});

describe('iotops apply: the embedded emulator', () => {
  it('applies to the embedded default target, whose state persists for the next command', async () => {
    fleet = tempFleet(SMALL_FLEET);
    const r = await cli(fleet.cwd, ['apply', '--auto-approve']);
    expect(r.code).toBe(0);
    expect(existsSync(join(fleet.cwd, '.iotops', 'emulator.json'))).toBe(true);
    const again = await cli(fleet.cwd, ['plan', '--detailed-exitcode']);
    expect(again.out).toContain('No changes');
    expect(again.code).toBe(0);
  });
});
