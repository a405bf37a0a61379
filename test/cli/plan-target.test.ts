// Target selection shared by plan/apply/run: embedded emulator with persisted state, --endpoint,
// and --target aws resolution (resolution only: tests never reach a real account).
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { createCliLogger, openTarget, resolveTarget, targetMismatch, withTarget } from '../../src/cli/target.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

const dirs: string[] = [];
let env: TestEmulator | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'iotops-target-'));
  dirs.push(d);
  return d;
};

describe('resolveTarget', () => {
  it('defaults to the embedded emulator, even when AWS_REGION is set', () => {
    expect(resolveTarget({}, {}, { AWS_REGION: 'eu-west-1' })).toEqual({ mode: 'embedded', region: 'us-east-1', realCredentials: false });
  });

  it('uses an endpoint with dummy credentials unless --target aws is given too', () => {
    expect(resolveTarget({ endpoint: 'http://127.0.0.1:4566' }, {}, {})).toMatchObject({ mode: 'endpoint', realCredentials: false });
    expect(resolveTarget({ endpoint: 'http://x', target: 'aws' }, {}, {})).toMatchObject({ mode: 'endpoint', realCredentials: true });
  });

  it('reaches AWS only with --target aws (or target: aws in iotops.yaml); flags win over the file', () => {
    expect(resolveTarget({ target: 'aws' }, {}, { AWS_REGION: 'eu-west-1' })).toEqual({ mode: 'aws', region: 'eu-west-1', realCredentials: true });
    expect(resolveTarget({}, { target: 'aws', region: 'eu-central-1' }, { AWS_REGION: 'eu-west-1' })).toMatchObject({ mode: 'aws', region: 'eu-central-1' });
    expect(resolveTarget({ target: 'embedded', region: 'ap-south-1' }, { target: 'aws' }, {})).toMatchObject({ mode: 'embedded' });
    expect(resolveTarget({ target: 'aws', region: 'ap-south-1' }, { region: 'eu-central-1' }, {})).toMatchObject({ region: 'ap-south-1' });
  });
});

describe('targetMismatch (a controller revision asking for another target)', () => {
  const embedded = { mode: 'embedded', region: 'us-east-1' } as const;
  const awsEu = { mode: 'aws', region: 'eu-west-1' } as const;

  it('flags a revision that wants AWS while the controller runs against the embedded emulator, naming the flags to restart with', () => {
    expect(targetMismatch({}, embedded, { target: 'aws', region: 'eu-central-1' })).toBe(
      'iotops.yaml asks for target aws, but the controller runs against the embedded emulator; restart the controller with --target aws --region eu-central-1 to use it (flags win over iotops.yaml)',
    );
    expect(targetMismatch({}, awsEu, { target: 'embedded' })).toMatch(/^iotops.yaml asks for target embedded, but the controller runs against AWS/);
  });

  it('flags another region in AWS, including when the opened region was left to the credentials', () => {
    expect(targetMismatch({}, awsEu, { target: 'aws', region: 'eu-central-1' })).toMatch(/asks for region eu-central-1, but the controller runs in eu-west-1; restart the controller with --region eu-central-1/);
    expect(targetMismatch({}, { mode: 'aws' }, { region: 'eu-central-1' })).toMatch(/runs in its credentials' default region/);
  });

  it('accepts a matching file, a file without target or region, and anything a flag decided', () => {
    expect(targetMismatch({}, awsEu, { target: 'aws', region: 'eu-west-1' })).toBeUndefined();
    expect(targetMismatch({}, embedded, {})).toBeUndefined();
    expect(targetMismatch({}, embedded, { region: 'eu-central-1' })).toBeUndefined();
    expect(targetMismatch({ target: 'embedded' }, embedded, { target: 'aws' })).toBeUndefined();
    expect(targetMismatch({ endpoint: 'http://127.0.0.1:4566' }, { mode: 'endpoint', region: 'us-east-1' }, { target: 'aws' })).toBeUndefined();
    expect(targetMismatch({ target: 'aws', region: 'eu-west-1' }, awsEu, { target: 'aws', region: 'eu-central-1' })).toBeUndefined();
  });
});

describe('openTarget', () => {
  it('embedded: persists emulator state in .iotops/emulator.json across commands', async () => {
    const cwd = tempDir();
    const io = captureIo({ cwd });

    await withTarget({ options: {}, io }, async (t) => {
      expect(t.mode).toBe('embedded');
      await t.api.send('CreateThing', { thingName: 'persisted' });
    });
    expect(existsSync(join(cwd, '.iotops', 'emulator.json'))).toBe(true);
    const names = await withTarget({ options: {}, io }, async (t) => (await t.api.send('ListThings', {})).things?.map((x) => x.thingName));

    expect(names).toEqual(['persisted']);
  });

  it('--endpoint: talks to that emulator', async () => {
    env = await startTestEmulator();
    await env.api.send('CreateThing', { thingName: 'remote' });
    const target = await openTarget({ options: { endpoint: env.endpoint }, io: captureIo({ cwd: tempDir() }) });
    try {
      expect(target.mode).toBe('endpoint');
      const out = await target.api.send('ListThings', {});
      expect(out.things?.map((t) => t.thingName)).toEqual(['remote']);
    } finally {
      await target.close();
    }
  });
});

describe('createCliLogger', () => {
  it('writes JSON lines to stderr with --log-format json', () => {
    const io = captureIo();
    createCliLogger({ io, level: 'info', format: 'json' }).info({ kind: 'Thing' }, 'reading live state');
    const line = JSON.parse(io.err.join(''));
    expect(line).toMatchObject({ level: 30, kind: 'Thing', msg: 'reading live state' });
    expect(io.out).toEqual([]);
  });

  it('escapes control characters from names and AWS errors in both log formats', () => {
    const json = captureIo();
    createCliLogger({ io: json, level: 'info', format: 'json' }).info({ name: 'a\u009bb' }, 'reading \u001b[2J');
    const raw = json.err.join('');
    expect(raw).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(JSON.parse(raw)).toMatchObject({ name: 'a\u009bb', msg: 'reading \u001b[2J' });
    const pretty = captureIo();
    createCliLogger({ io: pretty, level: 'info', format: 'pretty' }).warn({ name: 'a\u009bb', err: new Error('bad \r name') }, 'retrying \u001b[2J');
    const text = pretty.err.join('');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('retrying \\x1b[2J');
    expect(text).toContain('a\\u009bb');
    expect(text).toContain('bad \\r name');
  });

  it('writes readable lines with pretty format and respects the level', () => {
    const io = captureIo();
    const logger = createCliLogger({ io, level: 'warn', format: 'pretty' });
    logger.info('hidden');
    logger.warn({ operation: 'ListThings' }, 'retrying AWS call');
    const text = io.err.join('');
    expect(text).toContain('WARN');
    expect(text).toContain('retrying AWS call');
    expect(text).toContain('ListThings');
    expect(text).not.toContain('hidden');
  });
});
