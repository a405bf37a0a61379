// `--target aws` without a region used to end with the SDK's bare "Region is missing". The CLI
// now says how to set one. Run as a child process so the SDK sees exactly this environment (no
// region anywhere, dummy credentials so the credential chain is not what fails, no shared config).
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'iotops.js');
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('AWS setup errors', () => {
  it('plan --target aws without a region says how to set one, and exits 1 before any AWS call', async () => {
    dir = mkdtempSync(join(tmpdir(), 'iotops-region-'));
    mkdirSync(join(dir, 'fleet'));
    writeFileSync(join(dir, 'fleet', 'g.yaml'), 'apiVersion: iotops/v1\nkind: ThingGroup\nmetadata: { name: g1 }\nspec: {}\n');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
      AWS_SECRET_ACCESS_KEY: 'example-secret-key-for-a-test-only',
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const failed = await run(process.execPath, [BIN, 'plan', '--target', 'aws', '--fleet', 'fleet'], { cwd: dir, env }).then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('Region is missing (no AWS region: pass --region, set AWS_REGION, put region: in iotops.yaml, or give the profile a region; see docs/targets.md)');
    expect(failed?.stderr).not.toContain('example-secret-key');
  }, 30_000);
});
