import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateThingCommand, DescribeThingCommand } from '@aws-sdk/client-iot';
import { deserializeState } from '../../src/emulator/persistence.js';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';
import { clientFor, failure } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'iotops-emu-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(import.meta.dirname, '..', '..', 'bin', 'iotops.js');

function runEmulator(args: string[]) {
  const child = spawn(process.execPath, [bin, 'emulator', ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const endpoint = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('http://'));
      if (line) resolve(line.trim());
    });
    child.on('exit', (code) => reject(new Error(`exited with ${String(code)}: ${stderr}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, endpoint, exit, stderr: () => stderr };
}

describe('iotops emulator', () => {
  it('prints the endpoint, serves the SDK, and saves the state on SIGTERM with exit code 0', async () => {
    const statePath = join(dir, 'state.json');
    const run = runEmulator(['--port', '0', '--state', statePath, '--throttle', 'off', '--region', 'eu-west-1', '--account-id', '111122223333']);
    const endpoint = await run.endpoint;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const iot = clientFor(endpoint);
    const created = await iot.send(new CreateThingCommand({ thingName: 'from-cli' }));
    expect(created.thingArn).toBe('arn:aws:iot:eu-west-1:111122223333:thing/from-cli');
    expect((await iot.send(new DescribeThingCommand({ thingName: 'from-cli' }))).thingName).toBe('from-cli');
    iot.destroy();
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toContain('saved to');
    expect([...deserializeState(readFileSync(statePath, 'utf8')).things.keys()]).toEqual(['from-cli']);
  });

  it('runs read-only when asked', async () => {
    const run = runEmulator(['--port', '0', '--read-only']);
    const iot = clientFor(await run.endpoint);
    expect((await failure(iot.send(new CreateThingCommand({ thingName: 'x' })))).name).toBe('AccessDeniedException');
    iot.destroy();
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it('rejects a bad fault spec or port with exit code 1 before listening', async () => {
    const io = captureIo();
    expect(await main(['node', 'iotops', 'emulator', '--port', '0', '--faults', 'explode=1'], io)).toBe(1);
    expect(io.err.join('')).toContain('unknown key "explode"');
    expect(io.out).toEqual([]);
    const io2 = captureIo();
    expect(await main(['node', 'iotops', 'emulator', '--port', '70000'], io2)).toBe(1);
    expect(io2.err.join('')).toContain('--port');
  });
});
