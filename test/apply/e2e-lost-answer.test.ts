// A CreateKeysAndCertificate whose answer is lost (AWS ran it; the connection dropped before the
// answer) must not be repeated: a repeat would leave an ACTIVE certificate whose private key
// nobody ever received. The client retries every other call after a 5xx or a dropped connection;
// this one fails its step, its journal entry stays open, and the next apply's recovery deletes
// the keyless certificate before creating the handle's certificate again.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../src/aws/errors.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { tempFleet, type TempFleet } from '../support/fleet.js';
import { cli, planJson } from './support.js';

let env: TestEmulator | undefined;
let fleet: TempFleet | undefined;
afterEach(async () => {
  await env?.stop();
  fleet?.remove();
  env = fleet = undefined;
});

const FLEET = {
  'iotops.yaml': 'fleetId: lost\n',
  'things.yaml': 'apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: dev-1 }\nspec: {}\n',
  'certs.yaml': 'apiVersion: iotops/v1\nkind: Certificate\nmetadata: { name: dev-1-cert }\nspec:\n  generate: true\n  things: [dev-1]\n',
};

async function certificateIds(e: TestEmulator): Promise<string[]> {
  const out = await e.api.send('ListCertificates', { pageSize: 250 });
  return (out.certificates ?? []).map((c) => c.certificateId ?? '').sort();
}

describe('a lost CreateKeysAndCertificate answer', () => {
  it('is not retried by the client, while an idempotent call with a lost answer is', async () => {
    env = await startTestEmulator({ faults: 'lost=1,only=CreateKeysAndCertificate+CreateThing', api: { maxRetries: 2, backoff: { baseMs: 1, capMs: 2 } } });
    const failure = await env.api.send('CreateKeysAndCertificate', { setAsActive: true }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect((failure as AwsCallError).ambiguous).toBe(true);
    expect((failure as AwsCallError).attempts).toBe(1);
    expect((failure as AwsCallError).message).toMatch(/not retried: AWS may have done it/);
    expect(env.emulator.stats().CreateKeysAndCertificate).toBe(1);
    expect(await certificateIds(env)).toHaveLength(1); // AWS did create it

    const thing = await env.api.send('CreateThing', { thingName: 't1' }).catch((err: unknown) => err as AwsCallError);
    expect((thing as AwsCallError).ambiguous).toBe(false);
    expect(env.emulator.stats().CreateThing).toBe(3); // retried: creating the same thing again is harmless
  });

  it('fails the step; the next apply deletes the keyless certificate and converges to exactly one', async () => {
    fleet = tempFleet(FLEET);
    const statePath = join(fleet.cwd, 'emulator-state.json');
    env = await startTestEmulator({ statePath, faults: 'lost=1,only=CreateKeysAndCertificate' });
    const first = await cli(fleet.cwd, ['apply', '--endpoint', env.endpoint, '--auto-approve']);
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/failed {2}create Certificate\/dev-1-cert: CreateKeysAndCertificate failed: .*not retried/);
    const keyless = await certificateIds(env);
    expect(keyless).toHaveLength(1);
    env.emulator.save();
    await env.stop();

    // The same account, its answers no longer lost.
    env = await startTestEmulator({ statePath });
    const second = await cli(fleet.cwd, ['apply', '--endpoint', env.endpoint, '--auto-approve']);
    expect(second.code).toBe(0);
    expect(second.err).toContain(`deleted 1 keyless certificate(s) left by interrupted creates: ${keyless[0]}`);
    const now = await certificateIds(env);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(keyless[0]);
    // The key of the certificate that exists is the one on disk.
    expect(readdirSync(join(fleet.cwd, '.iotops', 'secrets')).some((f) => f.includes('dev-1-cert'))).toBe(true);
    expect((await planJson(fleet.cwd, env.endpoint)).code).toBe(0);
  });
});
