// The `iotops plan` command's contract: exit codes, diagnostics for an invalid fleet, --out,
// formats, colors only on a TTY, the embedded default target, AWS failures.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';
import { withTarget } from '../../src/cli/target.js';
import type { Plan } from '../../src/model/plan.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { SMALL_FLEET, tempFleet, type TempFleet } from '../support/fleet.js';

let env: TestEmulator | undefined;
let fleet: TempFleet | undefined;
afterEach(async () => {
  await env?.stop();
  fleet?.remove();
  env = fleet = undefined;
});

async function run(args: string[], opts: { isTty?: boolean } = {}) {
  const io = captureIo({ cwd: fleet!.cwd, isTty: opts.isTty ?? false });
  const code = await main(['node', 'iotops', 'plan', ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const ESC = '\u001b[';

describe('iotops plan', () => {
  it('reports an invalid fleet with validate-style diagnostics and exits 1 without planning', async () => {
    fleet = tempFleet({ 'things.yaml': 'apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: "bad name" }\nspec: {}\n' });
    env = await startTestEmulator();

    const r = await run(['--endpoint', env.endpoint]);

    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^fleet\/things\.yaml:\d+:\d+: error [a-z-]+: /m);
    expect(r.err).toContain('the fleet is invalid; nothing was planned');
    expect(env.emulator.statsDetail().totalCalls).toBe(0);
  });

  it('prints text by default, and saves the JSON plan with --out', async () => {
    fleet = tempFleet(SMALL_FLEET);
    env = await startTestEmulator();

    const r = await run(['--endpoint', env.endpoint, '--out', 'plan.json']);

    expect(r.code).toBe(0);
    expect(r.out).toContain('+ Thing/s1');
    expect(r.out).toContain('Plan: 4 to create, 0 to update, 0 to replace, 0 to delete, 0 to adopt.');
    const saved = JSON.parse(readFileSync(join(fleet.cwd, 'plan.json'), 'utf8')) as Plan;
    expect(saved.formatVersion).toBe(1);
    expect(saved.changes.map((c) => `${c.kind}/${c.name}`)).toEqual(['ThingType/sensor', 'ThingGroup/lab', 'Thing/s1', 'Thing/s2']);
    expect(saved.changes[2].dependsOn).toEqual(['ThingGroup/lab', 'ThingType/sensor']);
  });

  it('renders markdown for pull requests', async () => {
    fleet = tempFleet(SMALL_FLEET);
    env = await startTestEmulator();
    const r = await run(['--endpoint', env.endpoint, '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\|/);
    expect(r.out).toContain('s1');
  });

  it('uses colors only on a terminal, and never with --no-color', async () => {
    fleet = tempFleet(SMALL_FLEET);
    env = await startTestEmulator();
    expect((await run(['--endpoint', env.endpoint])).out).not.toContain(ESC);
    expect((await run(['--endpoint', env.endpoint], { isTty: true })).out).toContain(ESC);
    expect((await run(['--endpoint', env.endpoint, '--no-color'], { isTty: true })).out).not.toContain(ESC);
  });

  it('rejects a bad --max-deletes', async () => {
    fleet = tempFleet(SMALL_FLEET);
    const r = await run(['--max-deletes', 'many']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--max-deletes');
  });

  it('targets the embedded emulator by default, reading the state kept under .iotops/', async () => {
    fleet = tempFleet(SMALL_FLEET);
    await withTarget({ options: {}, io: captureIo({ cwd: fleet.cwd }) }, (t) => t.api.send('CreateThingGroup', { thingGroupName: 'lab' }));
    expect(existsSync(join(fleet.cwd, '.iotops', 'emulator.json'))).toBe(true);

    const r = await run(['--detailed-exitcode']);

    expect(r.code).toBe(2);
    expect(r.out).toContain('<= ThingGroup/lab (adopt:');
    expect(r.out).toContain('Plan: 3 to create');
  });

  it('exits 1 with the failing AWS call when the target cannot be read', async () => {
    fleet = tempFleet(SMALL_FLEET);
    env = await startTestEmulator();
    const endpoint = env.endpoint;
    await env.stop();
    env = undefined;

    const r = await run(['--endpoint', endpoint]);

    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/iotops: plan failed: \w+ failed: /);
  });

  it('exits with the real process code 2 for changes under --detailed-exitcode', () => {
    fleet = tempFleet(SMALL_FLEET);
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'iotops.js');
    const p = spawnSync(process.execPath, [bin, 'plan', '--detailed-exitcode', '--format', 'json'], {
      cwd: fleet.cwd,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      encoding: 'utf8',
    });
    expect(p.stderr).toBe('');
    expect(p.status).toBe(2);
    expect((JSON.parse(p.stdout) as Plan).summary.create).toBe(4);
  });
});
