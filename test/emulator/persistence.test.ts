import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeprecateThingTypeCommand,
  DescribeThingCommand,
  DescribeThingTypeCommand,
  ListTagsForResourceCommand,
  ListThingsCommand,
  ListThingsInThingGroupCommand,
} from '@aws-sdk/client-iot';
import { deserializeState } from '../../src/emulator/persistence.js';
import { startTestEmulator } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'iotops-emu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistence', () => {
  it('round-trips things, types, groups, memberships and tags through the state file', async () => {
    const statePath = join(dir, 'nested', 'state.json');
    const a = await startTestEmulator({ statePath });
    await a.iot.send(new CreateThingTypeCommand({ thingTypeName: 'tt', tags: [{ Key: 'k', Value: 'v' }] }));
    await a.iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'tt' }));
    await a.iot.send(new CreateThingGroupCommand({ thingGroupName: 'g' }));
    const created = await a.iot.send(new CreateThingCommand({ thingName: 'p1', attributePayload: { attributes: { x: '1' } } }));
    await a.iot.send(new CreateThingCommand({ thingName: 'p0' }));
    await a.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'g', thingName: 'p1' }));
    await a.stop();
    expect(readdirSync(join(dir, 'nested'))).toEqual(['state.json']);

    const b = await startTestEmulator({ statePath });
    try {
      const d = await b.iot.send(new DescribeThingCommand({ thingName: 'p1' }));
      expect(d).toMatchObject({ thingId: created.thingId, attributes: { x: '1' }, version: 1 });
      expect((await b.iot.send(new ListThingsCommand({}))).things?.map((x) => x.thingName)).toEqual(['p0', 'p1']);
      expect((await b.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'g' }))).things).toEqual(['p1']);
      const tt = await b.iot.send(new DescribeThingTypeCommand({ thingTypeName: 'tt' }));
      expect(tt.thingTypeMetadata?.deprecated).toBe(true);
      expect((await b.iot.send(new ListTagsForResourceCommand({ resourceArn: tt.thingTypeArn }))).tags).toEqual([{ Key: 'k', Value: 'v' }]);
    } finally {
      await b.stop();
    }
  });

  it('saves after mutations while running (debounced), not only on stop', async () => {
    const statePath = join(dir, 'live.json');
    const a = await startTestEmulator({ statePath, saveDebounceMs: 20 });
    try {
      await a.iot.send(new CreateThingCommand({ thingName: 'live-1' }));
      // No deadline of its own: the save must come while running, however long a loaded machine takes.
      while (!existsSync(statePath)) await new Promise((r) => setTimeout(r, 5));
      const saved = deserializeState(readFileSync(statePath, 'utf8'));
      expect([...saved.things.keys()]).toEqual(['live-1']);
    } finally {
      await a.stop();
    }
  });

  it('never leaves a corrupt file when the process is killed with SIGKILL mid-churn', async () => {
    const statePath = join(dir, 'crash.json');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'churn.ts'), statePath], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`churn exited early with ${String(code)}`)));
    });
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const state = deserializeState(readFileSync(statePath, 'utf8'));
    expect(state.things.size).toBeGreaterThan(0);
    const b = await startTestEmulator({ statePath });
    try {
      expect((await b.iot.send(new ListThingsCommand({ maxResults: 5 }))).things).toHaveLength(5);
      expect(readdirSync(dir).filter((f) => f.startsWith('.crash.json.'))).toEqual([]);
    } finally {
      await b.stop();
    }
  });
});
