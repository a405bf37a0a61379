// Issue #11, hostile wildcard patterns: a pull request's fleet reaches `validate` and `plan` in CI
// and the controller on merge. Patterns shaped `*?*?…*?Q` used to be compiled into backtracking
// RegExps: a policy Action took 24 s to validate, an `ignore:` entry 106 s to plan (and froze the
// controller). These run the real CLI; each would hit the test timeout with the old RegExps.
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { tempFleet, type TempFleet } from '../support/fleet.js';

let env: TestEmulator | undefined;
let fleet: TempFleet | undefined;
afterEach(async () => {
  await env?.stop();
  fleet?.remove();
  env = fleet = undefined;
});

async function run(command: string, args: string[]) {
  const io = captureIo({ cwd: fleet!.cwd, isTty: false });
  const code = await main(['node', 'iotops', command, ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** The reported attack: 22 wildcards, within the limit, so only the matcher's speed protects. */
const ATTACK = `${'*?'.repeat(11)}Q`;
/** Over the limit of 64 wildcards. */
const TOO_MANY = `${'*?'.repeat(65)}Q`;

function policy(action: string): string {
  return [
    'apiVersion: iotops/v1',
    'kind: Policy',
    'metadata: { name: device }',
    'spec:',
    '  document:',
    '    Version: "2012-10-17"',
    '    Statement:',
    '      - Effect: Allow',
    `        Action: "${action}"`,
    '        Resource: "*"',
    '',
  ].join('\n');
}

/** Thing names of the maximum length (128), which the attack pattern never matches. */
const LONG = ['a', 'b', 'c'].map((c) => c.repeat(128));

function things(names: readonly string[]): string {
  return names.map((n) => `apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: ${n} }\nspec: {}\n`).join('---\n');
}

describe('iotops validate with hostile policy actions', () => {
  it('answers the reported attack at once: the action matches no known iot: action', async () => {
    fleet = tempFleet({ 'policies.yaml': policy(`iot:${ATTACK}`) });

    const r = await run('validate', ['--fleet', 'fleet']);

    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toEqual([
      `fleet/policies.yaml:9:17: error policy-invalid: policy document: action "iot:${ATTACK}" matches no known iot: action (policy-invalid) (Policy/device at spec.document.Statement[0].Action)`,
      '1 error, 0 warnings in 1 file',
    ]);
  });

  it('accepts a pattern of the same shape that does match a known action', async () => {
    fleet = tempFleet({ 'policies.yaml': policy(`iot:${'*?'.repeat(11)}w`) });

    const r = await run('validate', ['--fleet', 'fleet']);

    expect(r.out).toBe('fleet valid: 1 resource (1 Policy)\n');
    expect(r.code).toBe(0);
  });

  it('refuses more than 64 wildcards with pattern-too-complex at the action', async () => {
    fleet = tempFleet({ 'policies.yaml': policy(`iot:${TOO_MANY}`) });

    const r = await run('validate', ['--fleet', 'fleet']);

    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toEqual([
      `fleet/policies.yaml:9:17: error pattern-too-complex: policy document: action "iot:${TOO_MANY.slice(0, 36)}…" has 130 wildcards (* and ?); at most 64 are allowed (pattern-too-complex) (Policy/device at spec.document.Statement[0].Action)`,
      '1 error, 0 warnings in 1 file',
    ]);
  });
});

describe('iotops plan with hostile ignore: patterns', () => {
  it('plans at once: the attack pattern ignores nothing, a legitimate pattern still ignores', async () => {
    fleet = tempFleet({
      'iotops.yaml': `fleetId: e2e\nignore:\n  - "Thing/${ATTACK}"\n  - "Thing/s?"\n`,
      'things.yaml': things([...LONG, 's1']),
    });
    env = await startTestEmulator();

    const r = await run('plan', ['--endpoint', env.endpoint]);

    expect(r.code).toBe(0);
    for (const name of LONG) expect(r.out).toContain(`+ Thing/${name}`);
    expect(r.out).not.toContain('+ Thing/s1');
    expect(r.out).toContain('Plan: 3 to create, 0 to update, 0 to replace, 0 to delete, 0 to adopt.');
  });

  it('refuses more than 64 wildcards in iotops.yaml with file:line, and plans nothing', async () => {
    fleet = tempFleet({
      'iotops.yaml': `fleetId: e2e\nignore:\n  - Thing/lab-*\n  - "Thing/${TOO_MANY}"\n`,
      'things.yaml': things(LONG),
    });
    env = await startTestEmulator();

    const r = await run('plan', ['--endpoint', env.endpoint]);

    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('fleet/iotops.yaml:4:5: error pattern-too-complex: iotops.yaml: ignore pattern has 130 wildcards (* and ?); at most 64 are allowed');
    expect(r.err).toContain('the fleet is invalid; nothing was planned');
    expect(env.emulator.statsDetail().totalCalls).toBe(0);
  });
});
