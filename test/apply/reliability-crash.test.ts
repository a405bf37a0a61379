// Reliability: an apply that dies part-way (SIGKILL of the real CLI process, or every AWS call
// failing from some point on) leaves a state the next apply converges from: one certificate per
// handle attached to its thing, no orphaned attachments, nothing lost, and a following plan is
// empty. A generated certificate whose create was cut off before its key reached the secrets
// directory is deleted by the next apply (src/kinds/certificate/recover.ts), so the account ends
// with exactly one certificate per handle.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { executePlan } from '../../src/apply/executor.js';
import { journalPath, openJournal } from '../../src/apply/journal.js';
import type { IotApi } from '../../src/aws/iot-api.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { loadFleet } from '../../src/manifest/index.js';
import { planFleet } from '../../src/session/plan-fleet.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { cli, planJson, REPO } from './support.js';
import { thingName, writeScaleFleet } from './scale-fleet.js';

let env: TestEmulator | undefined;
let cwd: string | undefined;
afterEach(async () => {
  await env?.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
  env = cwd = undefined;
});

const isMutating = (op: string): boolean => !/^(List|Describe|Get|Search)/.test(op);
const mutatingTotal = (e: TestEmulator): number => Object.entries(e.emulator.stats()).reduce((n, [op, c]) => n + (isMutating(op) ? c : 0), 0);

/**
 * Runs `iotops apply` as its own process and SIGKILLs it once the emulator has seen `killAfter`
 * more mutating calls. Resolves with how it ended and its stderr.
 */
async function applyAndKill(dir: string, e: TestEmulator, killAfter: number): Promise<{ end: 'killed' | 'finished'; err: string }> {
  const start = mutatingTotal(e);
  return applyAndKillWhen(dir, e, () => mutatingTotal(e) - start >= killAfter);
}

/** Runs `iotops apply` as its own process and SIGKILLs it as soon as `when()` holds (polled every 2 ms). */
async function applyAndKillWhen(dir: string, e: TestEmulator, when: () => boolean): Promise<{ end: 'killed' | 'finished'; err: string }> {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'iotops.js'), 'apply', '--auto-approve', '--endpoint', e.endpoint], {
    cwd: dir,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (!when()) return;
      clearInterval(timer);
      child.kill('SIGKILL');
    }, 2);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ end: signal === 'SIGKILL' || code !== 0 ? 'killed' : 'finished', err });
    });
  });
}

/**
 * Waits until the emulator has finished the creates a killed process left in flight: like AWS, it
 * completes a request whose caller died, and key generation takes a moment. Recovery cannot see a
 * certificate that does not exist yet (docs/apply.md, crash recovery).
 */
async function settled(e: TestEmulator): Promise<void> {
  const issued = (): number => e.emulator.stats()['CreateKeysAndCertificate'] ?? 0;
  for (let t0 = Date.now(); (await certificateAttachments(e)).size < issued() && Date.now() - t0 < 5_000; ) await sleep(50);
}

/** Every certificate in the account, and the things each is attached to. */
async function certificateAttachments(e: TestEmulator): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  let marker: string | undefined;
  do {
    const page = await e.api.send('ListCertificates', { pageSize: 250, marker });
    for (const c of page.certificates ?? []) {
      const things = await e.api.send('ListPrincipalThings', { principal: c.certificateArn!, maxResults: 250 });
      out.set(c.certificateId!, things.things ?? []);
    }
    marker = page.nextMarker;
  } while (marker);
  return out;
}

/**
 * The plan is empty, every thing exists, and each certificate handle has exactly one certificate,
 * attached to exactly its own thing. Returns the certificates beyond those (see the SIGKILL test).
 */
async function expectConverged(dir: string, e: TestEmulator, things: number, certs: number): Promise<number> {
  const final = await planJson(dir, e.endpoint, ['--prune']);
  expect(final.plan.changes).toEqual([]);
  const attachments = await certificateAttachments(e);
  const attached = [...attachments.values()].filter((t) => t.length > 0);
  expect(attached.map((t) => t.join(',')).sort()).toEqual(Array.from({ length: certs }, (_, i) => thingName(i + 1)).sort());
  const listed = await e.api.send('ListThings', { maxResults: 250 });
  let count = listed.things?.length ?? 0;
  let token = listed.nextToken;
  while (token) {
    const page = await e.api.send('ListThings', { maxResults: 250, nextToken: token });
    count += page.things?.length ?? 0;
    token = page.nextToken;
  }
  expect(count).toBe(things);
  return attachments.size - attached.length;
}

describe('apply after a crash', () => {
  it('converges after the CLI process is SIGKILLed twice mid-apply', async () => {
    const THINGS = 120;
    const CERTS = 6;
    cwd = mkdtempSync(join(tmpdir(), 'iotops-crash-'));
    writeScaleFleet(join(cwd, 'fleet'), { things: THINGS, certificates: CERTS, sites: 6, batches: 4 });
    env = await startTestEmulator();

    // Early (things and groups being created) and later (certificates in flight).
    const first = await applyAndKill(cwd, env, 80);
    await settled(env);
    const second = await applyAndKill(cwd, env, 260);
    expect([first.end, second.end]).toEqual(['killed', 'killed']);
    await settled(env);
    const r = await cli(cwd, ['apply', '--auto-approve', '--endpoint', env.endpoint]);

    expect(r.out).toMatch(/Apply complete: \d+ applied, 0 failed, 0 skipped, 0 blocked\./);
    expect(r.code).toBe(0);
    const extra = await expectConverged(cwd, env, THINGS, CERTS);
    expect(extra).toBe(0);
    expect((await certificateAttachments(env)).size).toBe(CERTS);
    // Every keyless certificate was cleaned, none merely reported.
    expect(`${second.err}${r.err}`).not.toContain('cannot be proven');
  }, 60_000);

  it('deletes the keyless certificates of creates killed around CreateKeysAndCertificate', async () => {
    const CERTS = 6;
    cwd = mkdtempSync(join(tmpdir(), 'iotops-crash-'));
    writeScaleFleet(join(cwd, 'fleet'), { things: CERTS, certificates: CERTS, sites: 2, batches: 2 });
    env = await startTestEmulator();
    const created = (): number => env!.emulator.stats()['CreateKeysAndCertificate'] ?? 0;

    // Killed as soon as AWS has issued a few certificates: others are in flight or keyless.
    const killed = await applyAndKillWhen(cwd, env, () => created() >= 3);
    expect(killed.end).toBe('killed');
    await settled(env);
    // Every certificate in the account is this fleet's; those with a key on disk are reusable.
    const before = (await certificateAttachments(env)).size;
    const secrets = join(cwd, '.iotops', 'secrets');
    const withKey = (existsSync(secrets) ? readdirSync(secrets) : []).filter((f) => /^[^.]+\.key$/.test(f)).length;
    expect(before).toBeGreaterThan(withKey);
    const r = await cli(cwd, ['apply', '--auto-approve', '--endpoint', env.endpoint]);

    expect(r.code).toBe(0);
    expect(r.err).toMatch(/an earlier apply was interrupted/);
    expect(Number(/deleted (\d+) keyless certificate\(s\)/.exec(r.err)?.[1] ?? 0)).toBe(before - withKey);
    expect(await expectConverged(cwd, env, CERTS, CERTS)).toBe(0);
    expect((await certificateAttachments(env)).size).toBe(CERTS);
  }, 30_000);

  it('finishes a thing whose create stopped between CreateThing and the inventory join', async () => {
    cwd = mkdtempSync(join(tmpdir(), 'iotops-crash-'));
    writeScaleFleet(join(cwd, 'fleet'), { things: 20, certificates: 2, sites: 2, batches: 2, fleetId: 'scale' });
    env = await startTestEmulator();
    const desired = (await loadFleet({ dir: join(cwd, 'fleet'), processEnv: {} })).state!;
    const journal = openJournal(journalPath(join(cwd, '.iotops'), 'scale'));
    // The process "dies" right after the 5th CreateThing: that call lands, every later one fails.
    let creates = 0;
    const dying: IotApi = {
      send: (op, input) => {
        if (creates >= 5) return Promise.reject(new Error('process killed'));
        if (op === 'CreateThing') creates++;
        return env!.api.send(op, input);
      },
    };
    const { plan } = await planFleet({ api: env.api, desired, kinds: kindRegistry, now: Date.now() });
    const first = await executePlan({ plan, kinds: kindRegistry, ctx: { api: dying, fleetId: 'scale', secretsDir: join(cwd, '.iotops', 'secrets'), now: Date.now }, concurrency: 4, journal });
    expect(first.ok).toBe(false);
    const stranded = JSON.parse(readFileSync(journal.path, 'utf8').split('\n')[0]!) as { t: string };
    expect(stranded.t).toBe('begin');
    // Without the journal these things would be unmanaged: the plan shows them as blocked adopts.
    const before = await planJson(cwd, env.endpoint);
    expect(before.plan.changes.filter((c) => c.action === 'adopt').length).toBeGreaterThan(0);

    const r = await cli(cwd, ['apply', '--auto-approve', '--endpoint', env.endpoint]);

    expect(r.err).toMatch(/an earlier apply was interrupted during \d+ create\(s\)/);
    expect(r.err).toMatch(/\d+ thing\(s\) it created are now marked as managed/);
    expect(r.code).toBe(0);
    await expectConverged(cwd, env, 20, 2);
  }, 30_000);

  it('leaves a same-named thing that differs from the interrupted create unmanaged', async () => {
    cwd = mkdtempSync(join(tmpdir(), 'iotops-crash-'));
    writeScaleFleet(join(cwd, 'fleet'), { things: 3, certificates: 0, sites: 1, batches: 1, fleetId: 'scale' });
    env = await startTestEmulator();
    const journal = openJournal(journalPath(join(cwd, '.iotops'), 'scale'));
    journal.begin({ kind: 'Thing', name: thingName(1), action: 'create', fields: [], dependsOn: [], desired: { spec: { type: 'meter', attributes: { site: 's1', serial: '1' } }, tags: {} } });
    // Someone else's thing of that name, not what iotops was creating.
    await env.api.send('CreateThing', { thingName: thingName(1), attributePayload: { attributes: { owner: 'someone' } } });

    const r = await cli(cwd, ['apply', '--auto-approve', '--endpoint', env.endpoint]);

    expect(r.err).toContain('1 thing(s) exist but differ from what it was creating');
    expect(r.out).toContain(`<= Thing/${thingName(1)} (adopt`);
    expect((await env.api.send('DescribeThing', { thingName: thingName(1) })).attributes).toEqual({ owner: 'someone' });
    const groups = await env.api.send('ListThingGroupsForThing', { thingName: thingName(1) });
    expect(groups.thingGroups).toEqual([]);
  }, 30_000);
});
