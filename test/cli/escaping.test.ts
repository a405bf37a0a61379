// CLI messages that echo text from a saved plan, the fleet or AWS show control characters
// escaped: a plan file from a CI artifact cannot act on the terminal right before the prompt.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { SMALL_FLEET, tempFleet, type TempFleet } from '../support/fleet.js';
import { cli } from '../apply/support.js';

let env: TestEmulator | undefined;
let fleet: TempFleet | undefined;
afterEach(async () => {
  await env?.stop();
  fleet?.remove();
  env = fleet = undefined;
});

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('CLI messages', () => {
  it('escape control characters from a saved plan in apply errors', async () => {
    env = await startTestEmulator();
    fleet = tempFleet(SMALL_FLEET);
    writeFileSync(join(fleet.cwd, 'plan.json'), JSON.stringify({ formatVersion: '\u001b[2J\u009b1A' }));
    const bad = await cli(fleet.cwd, ['apply', '--endpoint', env.endpoint, '--plan', 'plan.json', '--auto-approve']);
    expect(bad.code).toBe(1);
    expect(bad.err).not.toMatch(CONTROL);
    expect(bad.err).toContain('unsupported formatVersion \\x1b[2J\\u009b1A');

    const plan = { formatVersion: 1, revision: 'abc\r\u001b[2Kfake', liveDigest: 'd', summary: { create: 0, update: 0, replace: 0, delete: 0, adopt: 0, blocked: 0 }, changes: [], warnings: [] };
    writeFileSync(join(fleet.cwd, 'plan.json'), JSON.stringify(plan));
    const moved = await cli(fleet.cwd, ['apply', '--endpoint', env.endpoint, '--plan', 'plan.json', '--auto-approve']);
    expect(moved.code).toBe(1);
    expect(moved.err).not.toMatch(CONTROL);
    expect(moved.err).toContain('plan revision abc\\r\\x1b[2Kfake');
    expect(env.emulator.statsDetail().totalCalls).toBe(0);
  });
  it('plan (text and markdown) neutralises a live tag key and value with control characters read from AWS', async () => {
    env = await startTestEmulator();
    // Another tool tagged the group; the fleet declares its tags, so the plan shows the live tag being removed.
    await env.api.send('CreateThingGroup', {
      thingGroupName: 'lab',
      thingGroupProperties: { thingGroupDescription: 'The lab' },
      tags: [{ Key: 'iotops:managed-by', Value: 'e2e' }, { Key: 'team\r<!--', Value: '\u001b[2J\u009b1A' }],
    });
    fleet = tempFleet({ ...SMALL_FLEET, 'groups.yaml': SMALL_FLEET['groups.yaml']!.replace('metadata: { name: lab }', 'metadata: { name: lab, tags: {} }') });
    const text = await cli(fleet.cwd, ['plan', '--endpoint', env.endpoint]);
    expect(text.code).toBe(0);
    expect(text.out).not.toMatch(CONTROL);
    expect(text.out).toContain('- tags.team\\r<!--: "\\u001b[2J\\u009b1A"');
    const md = await cli(fleet.cwd, ['plan', '--endpoint', env.endpoint, '--format', 'markdown']);
    expect(md.out).not.toMatch(CONTROL);
    expect(md.out).toContain('- `tags.team\\r<!--`: `"\\u001b[2J\\u009b1A" → (removed)`');
    expect(md.out.split('\n').filter((l) => l.startsWith('<!--'))).toEqual([]);
  });
});
