// Crash recovery of generated certificates through the real SDK against the emulator: the crash is
// simulated by calling CreateKeysAndCertificate through the api and journaling exactly what the
// certificate step journals before and after it, without the step's end.
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalPath, openJournal, type ApplyJournal } from '../../src/apply/journal.js';
import { recoverInterrupted, type RecoveryReport } from '../../src/apply/recover.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import type { ApplyContext } from '../../src/kinds/types.js';
import { certificateIdOfPem } from '../../src/kinds/certificate/identity.js';
import { certificateKind } from '../../src/kinds/certificate.js';
import { readLedger, recordInLedger } from '../../src/kinds/certificate/ledger.js';
import type { PlannedChange } from '../../src/model/plan.js';
import { GENERATE_CALL_WINDOW_MS } from '../../src/kinds/certificate/recover.js';
import { writeCertificateSecrets } from '../../src/kinds/certificate/secrets.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

const FLEET = 'fleet-r';

/** What the certificate kind's recovery did, by outcome. */
function certificates(r: RecoveryReport): Readonly<Record<string, readonly string[]>> {
  return r.byKind.Certificate!.outcomes;
}
const POLICY_DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] });

let env: TestEmulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await env?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  env = dir = undefined;
});

/** An emulator whose clock the test moves (creationDate of certificates). */
async function setup(): Promise<{ e: TestEmulator; journal: ApplyJournal; secretsDir: string; clock: { t: number } }> {
  const clock = { t: Date.UTC(2026, 10, 26, 12, 0, 0) };
  env = await startTestEmulator({ clock: () => clock.t });
  dir = mkdtempSync(join(tmpdir(), 'iotops-cert-recover-'));
  return { e: env, journal: openJournal(journalPath(join(dir, '.iotops'), FLEET)), secretsDir: join(dir, '.iotops', 'secrets'), clock };
}

/** What the executor and the certificate step journal up to the crash. */
function journalInterrupted(journal: ApplyJournal, handle: string, startedAt: number, secretsDir: string, certificateId?: string): void {
  journal.begin({ kind: 'Certificate', name: handle, action: 'create', fields: [], dependsOn: [], desired: { spec: { source: { type: 'generate' } }, tags: {} } });
  journal.note('Certificate', handle, { step: 'generate-begin', startedAt, secretsDir });
  if (certificateId !== undefined) journal.note('Certificate', handle, { step: 'generate-created', certificateId });
}

async function exists(e: TestEmulator, certificateId: string): Promise<boolean> {
  try {
    await e.api.send('DescribeCertificate', { certificateId });
    return true;
  } catch {
    return false;
  }
}

async function status(e: TestEmulator, certificateId: string): Promise<string | undefined> {
  return (await e.api.send('DescribeCertificate', { certificateId })).certificateDescription?.status;
}

describe('recovery of interrupted generated certificates', () => {
  it('deletes the certificate whose id was journaled and whose key never reached the secrets directory, detaching it first', async () => {
    const { e, journal, secretsDir, clock } = await setup();
    const startedAt = clock.t;
    const out = await e.api.send('CreateKeysAndCertificate', { setAsActive: true });
    const id = out.certificateId!;
    journalInterrupted(journal, 'cam-1', startedAt, secretsDir, id);
    // Attachments it might have gathered in between (none in iotops' order, but recovery must not orphan any).
    await e.api.send('CreateThing', { thingName: 'cam-1' });
    await e.api.send('AttachThingPrincipal', { thingName: 'cam-1', principal: out.certificateArn! });
    await e.api.send('CreatePolicy', { policyName: 'p1', policyDocument: POLICY_DOC });
    await e.api.send('AttachPolicy', { policyName: 'p1', target: out.certificateArn! });

    const r = await recoverInterrupted({ api: e.api, fleetId: FLEET, kinds: kindRegistry, journal, secretsDir });

    expect(certificates(r)).toEqual({ deleted: [id], keyFound: [], leftInPlace: [] });
    expect(await exists(e, id)).toBe(false);
    expect((await e.api.send('ListThingPrincipals', { thingName: 'cam-1' })).principals).toEqual([]);
    expect((await e.api.send('ListTargetsForPolicy', { policyName: 'p1' })).targets).toEqual([]);
    expect(journal.interrupted()).toEqual([]);
  });

  it('keeps a journaled certificate whose key is on disk, and completes a key written without its PEM', async () => {
    const { e, journal, secretsDir, clock } = await setup();
    const full = await e.api.send('CreateKeysAndCertificate', { setAsActive: true });
    await writeCertificateSecrets(secretsDir, 'cam-1', { certificatePem: full.certificatePem!, privateKeyPem: full.keyPair!.PrivateKey! });
    journalInterrupted(journal, 'cam-1', clock.t, secretsDir, full.certificateId!);
    const torn = await e.api.send('CreateKeysAndCertificate', { setAsActive: true });
    await writeCertificateSecrets(secretsDir, 'cam-2', { certificatePem: torn.certificatePem!, privateKeyPem: torn.keyPair!.PrivateKey! });
    rmSync(join(secretsDir, 'cam-2.pem'));
    journalInterrupted(journal, 'cam-2', clock.t, secretsDir, torn.certificateId!);

    const r = await recoverInterrupted({ api: e.api, fleetId: FLEET, kinds: kindRegistry, journal, secretsDir });

    expect(certificates(r)).toEqual({ deleted: [], keyFound: ['cam-1', 'cam-2'], leftInPlace: [] });
    expect(await status(e, full.certificateId!)).toBe('ACTIVE');
    expect(await status(e, torn.certificateId!)).toBe('ACTIVE');
    expect(certificateIdOfPem(readFileSync(join(secretsDir, 'cam-2.pem'), 'utf8'))).toBe(torn.certificateId);
  });

  it('leaves a journaled keyless certificate the ledger records (someone may hold its key)', async () => {
    const { e, journal, secretsDir, clock } = await setup();
    const out = await e.api.send('CreateKeysAndCertificate', { setAsActive: true });
    await recordInLedger(e.api, FLEET, { handle: 'cam-1', certificateId: out.certificateId!, source: 'generate' });
    journalInterrupted(journal, 'cam-1', clock.t, secretsDir, out.certificateId!);

    const r = await recoverInterrupted({ api: e.api, fleetId: FLEET, kinds: kindRegistry, journal, secretsDir });

    expect(certificates(r).leftInPlace).toEqual([out.certificateId]);
    expect(await status(e, out.certificateId!)).toBe('ACTIVE');
  });

  it('deletes the certificate a call in flight created (no id journaled), found in its window', async () => {
    const { e, journal, secretsDir, clock } = await setup();
    journalInterrupted(journal, 'cam-1', clock.t, secretsDir);
    journalInterrupted(journal, 'cam-2', clock.t, secretsDir);
    clock.t += 800;
    const inFlight = await e.api.send('CreateKeysAndCertificate', { setAsActive: true });
    // cam-2's call never reached AWS: one certificate for two interrupted calls is still provable.

    const r = await recoverInterrupted({ api: e.api, fleetId: FLEET, kinds: kindRegistry, journal, secretsDir });

    expect(certificates(r)).toEqual({ deleted: [inFlight.certificateId], keyFound: [], leftInPlace: [] });
    expect(await exists(e, inFlight.certificateId!)).toBe(false);
  });

  it('leaves every candidate in place when the window holds more of them than interrupted calls', async () => {
    const { e, journal, secretsDir, clock } = await setup();
    journalInterrupted(journal, 'cam-1', clock.t, secretsDir);
    clock.t += 500;
    const a = await e.api.send('CreateKeysAndCertificate', { setAsActive: true });
    const b = await e.api.send('CreateKeysAndCertificate', { setAsActive: true });

    const r = await recoverInterrupted({ api: e.api, fleetId: FLEET, kinds: kindRegistry, journal, secretsDir });

    expect(certificates(r).deleted).toEqual([]);
    expect(certificates(r).leftInPlace).toEqual([a.certificateId, b.certificateId].sort());
    expect(await status(e, a.certificateId!)).toBe('ACTIVE');
    expect(await status(e, b.certificateId!)).toBe('ACTIVE');
  });

  it('never touches certificates outside the window, attached ones, inactive ones or ones with a local key', async () => {
    const { e, journal, secretsDir, clock } = await setup();
    const before = await e.api.send('CreateKeysAndCertificate', { setAsActive: true }); // someone else's, earlier
    clock.t += GENERATE_CALL_WINDOW_MS;
    const startedAt = clock.t;
    const attached = await e.api.send('CreateKeysAndCertificate', { setAsActive: true });
    await e.api.send('CreateThing', { thingName: 'other' });
    await e.api.send('AttachThingPrincipal', { thingName: 'other', principal: attached.certificateArn! });
    const inactive = await e.api.send('CreateKeysAndCertificate', { setAsActive: false });
    const local = await e.api.send('CreateKeysAndCertificate', { setAsActive: true });
    await writeCertificateSecrets(secretsDir, 'cam-9', { certificatePem: local.certificatePem!, privateKeyPem: local.keyPair!.PrivateKey! });
    journalInterrupted(journal, 'cam-1', startedAt, secretsDir);
    clock.t += 2 * GENERATE_CALL_WINDOW_MS;
    const after = await e.api.send('CreateKeysAndCertificate', { setAsActive: true }); // someone else's, later

    const r = await recoverInterrupted({ api: e.api, fleetId: FLEET, kinds: kindRegistry, journal, secretsDir });

    expect(certificates(r)).toEqual({ deleted: [], keyFound: [], leftInPlace: [] });
    for (const c of [before, attached, local, after]) expect(await status(e, c.certificateId!)).toBe('ACTIVE');
    expect(await status(e, inactive.certificateId!)).toBe('INACTIVE');
    expect(existsSync(join(secretsDir, 'cam-9.key'))).toBe(true);
  });

  it('journals the step itself, and a death right after AWS answered leaves exactly one certificate after recovery and a rerun', async () => {
    const { e, journal, secretsDir } = await setup();
    const change: PlannedChange = {
      kind: 'Certificate',
      name: 'cam-1',
      action: 'create',
      fields: [],
      dependsOn: [],
      desired: { tags: {}, spec: { source: { type: 'generate' }, status: 'ACTIVE', things: [], policies: [] } },
    };
    // The process "dies" the moment the new id is journaled: before the key reaches the disk.
    const dying: ApplyContext = {
      api: e.api,
      fleetId: FLEET,
      secretsDir,
      now: Date.now,
      journal: {
        note(kind, name, note) {
          journal.note(kind, name, note);
          if ((note as { step?: string }).step === 'generate-created') throw new Error('process killed');
        },
      },
    };
    journal.begin(change);
    await expect(certificateKind.apply!(change, dying)).rejects.toThrow('process killed');
    const lost = (await e.api.send('ListCertificates', {})).certificates!.map((c) => c.certificateId);
    expect(lost).toHaveLength(1);
    expect(readFileSync(journal.path, 'utf8')).not.toContain('PRIVATE KEY');

    const r = await recoverInterrupted({ api: e.api, fleetId: FLEET, kinds: kindRegistry, journal, secretsDir });
    await certificateKind.apply!(change, { api: e.api, fleetId: FLEET, secretsDir, now: Date.now, journal });

    expect(certificates(r).deleted).toEqual(lost);
    const left = (await e.api.send('ListCertificates', {})).certificates!.map((c) => c.certificateId);
    expect(left).toHaveLength(1);
    expect((await readLedger(e.api, FLEET)).ledger.get('cam-1')?.certificateId).toBe(left[0]);
    expect(certificateIdOfPem(readFileSync(join(secretsDir, 'cam-1.pem'), 'utf8'))).toBe(left[0]);
  });
});
