// `iotops run --git`: the controller follows a branch of a real (bare, local) git repository and
// keeps the emulator in its state: new commits, a force-push back, an unreachable remote, and
// an invalid commit that stalls until a fixed one arrives. Asserted through the SDK and /status.
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { condition, gitRemote, startController, waitFor, type GitRemote, type RunningController } from './support.js';

const INTERVAL_MS = 1000;

const thing = (name: string, attrs: Record<string, string>): string =>
  `apiVersion: iotops/v1
kind: Thing
metadata: { name: ${name} }
spec:
  attributes: { ${Object.entries(attrs).map(([k, v]) => `${k}: "${v}"`).join(', ')} }
`;

const fleetV1 = {
  'iotops.yaml': 'fleetId: git-e2e\n',
  'things/s1.yaml': thing('s1', { firmware: '1.0' }),
  'things/s2.yaml': thing('s2', { firmware: '1.0' }),
};
const fleetV2 = {
  ...fleetV1,
  'things/s1.yaml': thing('s1', { firmware: '2.0' }),
  'things/s3.yaml': thing('s3', { firmware: '2.0' }),
};

let env: TestEmulator;
let remote: GitRemote;
let cwd: string;
let ctl: RunningController;

async function attributes(thingName: string): Promise<Record<string, string> | undefined> {
  try {
    return (await env.api.send('DescribeThing', { thingName })).attributes ?? {};
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  env = await startTestEmulator();
  remote = gitRemote('fleet');
  cwd = mkdtempSync(join(tmpdir(), 'iotops-run-git-'));
});

afterAll(async () => {
  await ctl?.stop();
  await env?.stop();
  remote?.remove();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

describe('iotops run --git against a local bare repository', () => {
  let v1: string;

  it('applies the first commit', async () => {
    v1 = remote.commit(fleetV1, 'two sensors');
    ctl = await startController({
      cwd,
      endpoint: env.endpoint,
      options: { git: remote.bare, branch: 'main', path: 'fleet', interval: INTERVAL_MS, mode: 'heal', prune: true },
    });
    const status = await waitFor('first revision applied', async () => {
      const s = await ctl.status();
      return s.lastAppliedRevision === v1 ? s : undefined;
    });
    expect(condition(status, 'Ready')).toMatchObject({ status: 'True', reason: 'ReconciliationSucceeded' });
    expect(status.source).toMatchObject({ revision: v1 });
    expect(await attributes('s1')).toEqual({ firmware: '1.0' });
    expect(await attributes('s2')).toEqual({ firmware: '1.0' });
    expect((await fetch(`${ctl.url}/readyz`)).status).toBe(200);
  });

  // That the next poll (every interval) picks a push up is tested with fake timers in sources.test.ts.
  it('applies a pushed change', async () => {
    const v2 = remote.commit(fleetV2, 'firmware 2.0 and a third sensor');
    await waitFor('v2 applied', async () => (await ctl.status()).lastAppliedRevision === v2);
    // The first reconcile after the new revision was announced applied it.
    const logs = ctl.logs();
    const announced = logs.findIndex((l) => l.msg === 'new revision' && l.revision === v2);
    const started = logs.findIndex((l, i) => i > announced && l.msg === 'reconcile started');
    expect(announced).toBeGreaterThanOrEqual(0);
    expect(logs[started]).toMatchObject({ revision: v2, purpose: 'apply revision' });
    expect(logs.slice(started).find((l) => l.msg === 'reconcile finished')).toMatchObject({ revision: v2, applied: true });
    expect(await attributes('s1')).toEqual({ firmware: '2.0' });
    expect(await attributes('s3')).toEqual({ firmware: '2.0' });
  });

  it('converges back after a force-push to an older commit', async () => {
    remote.forcePush(v1);
    await waitFor('v1 applied again', async () => (await ctl.status()).lastAppliedRevision === v1);
    expect(await attributes('s1')).toEqual({ firmware: '1.0' });
    expect(await attributes('s3')).toBeUndefined(); // pruned: it left the fleet
    expect(await attributes('s2')).toEqual({ firmware: '1.0' });
  });

  it('keeps the last state when the remote is unreachable, and says so', async () => {
    const moved = `${remote.bare}.moved`;
    renameSync(remote.bare, moved);
    try {
      const status = await waitFor('source error reported', async () => {
        const s = await ctl.status();
        return s.source.error ? s : undefined;
      });
      expect(status.source.error).toMatchObject({ code: 'source-unreachable' });
      expect(status.source.error?.message).toContain('remote.git');
      expect(status.lastAppliedRevision).toBe(v1);
      expect(condition(status, 'Ready')?.status).toBe('True');
      expect(condition(status, 'Ready')?.message).toMatch(/source unavailable/);
      expect(ctl.logs().some((l) => l.msg === 'source failed, keeping the last revision')).toBe(true);
      expect(await ctl.metrics()).toMatch(/iotops_source_failures_total [1-9]/);
      // A reconcile of the last revision ran meanwhile and deleted nothing.
      const reconciles = ctl.logs().filter((l) => l.msg === 'reconcile finished').length;
      await waitFor('a reconcile while the remote is away', () => ctl.logs().filter((l) => l.msg === 'reconcile finished').length > reconciles);
      expect(await attributes('s1')).toEqual({ firmware: '1.0' });
      expect(await attributes('s2')).toEqual({ firmware: '1.0' });
    } finally {
      renameSync(moved, remote.bare);
    }
    const back = await waitFor('source recovered', async () => {
      const s = await ctl.status();
      return s.source.error ? undefined : s;
    });
    expect(condition(back, 'Ready')?.message).not.toMatch(/source unavailable/);
  });

  it('stalls on a commit with invalid manifests, applies nothing of it, and recovers with a fixed commit', async () => {
    const bad = remote.commit(
      {
        ...fleetV1,
        'things/s1.yaml': thing('s1', { firmware: '3.0' }),
        'things/s2.yaml': `apiVersion: iotops/v1
kind: Thing
metadata: { name: s2 }
spec:
  attributes: { firmware: "3.0" }
  colour: red
`,
      },
      'broken: unknown field',
    );
    const stalled = await waitFor('stalled', async () => {
      const s = await ctl.status();
      return s.lastAttemptedRevision === bad && condition(s, 'Stalled')?.status === 'True' ? s : undefined;
    });
    const c = condition(stalled, 'Stalled')!;
    expect(c.reason).toBe('ValidationFailed');
    expect(c.message).toMatch(/ fleet\/things\/s2\.yaml:6:\d+: unknown-field/);
    expect(c.message).toContain('colour');
    expect(condition(stalled, 'Ready')).toMatchObject({ status: 'False', reason: 'ValidationFailed' });
    expect(stalled.lastAppliedRevision).toBe(v1);
    expect(await ctl.metrics()).toMatch(/iotops_reconcile_total\{result="stalled"\} 1/);
    // The valid part of the broken commit (s1 → 3.0) is not applied either, not after another poll.
    const checked = stalled.source.lastCheckTime;
    await waitFor('another poll of the stalled revision', async () => (await ctl.status()).source.lastCheckTime !== checked);
    expect(await attributes('s1')).toEqual({ firmware: '1.0' });

    const fixed = remote.commit({ ...fleetV1, 'things/s1.yaml': thing('s1', { firmware: '3.0' }), 'things/s2.yaml': thing('s2', { firmware: '3.0' }) }, 'fixed');
    const recovered = await waitFor('fixed commit applied', async () => {
      const s = await ctl.status();
      return s.lastAppliedRevision === fixed ? s : undefined;
    });
    expect(condition(recovered, 'Stalled')?.status).toBe('False');
    expect(condition(recovered, 'Ready')).toMatchObject({ status: 'True', reason: 'ReconciliationSucceeded' });
    expect(await attributes('s1')).toEqual({ firmware: '3.0' });
    expect(await attributes('s2')).toEqual({ firmware: '3.0' });
    expect(await ctl.stop()).toBe(0);
  });
});
