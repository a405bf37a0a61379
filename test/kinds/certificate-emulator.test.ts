// Certificate read and apply through the real SDK against the embedded emulator: the three
// sources, the ledger, rerun idempotency, attachments, replace and prune.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IotApi } from '../../src/aws/iot-api.js';
import { certificateKind, type CertificateLive } from '../../src/kinds/certificate.js';
import { certificateIdOfPem } from '../../src/kinds/certificate/identity.js';
import { ledgerKey, readLedger } from '../../src/kinds/certificate/ledger.js';
import { policyKind } from '../../src/kinds/policy.js';
import { type ApplyContext, type CompareContext, type ReadContext } from '../../src/kinds/types.js';
import { inventoryGroupName, type LiveResource } from '../../src/model/live.js';
import type { DesiredResource, DesiredResourceOf, DesiredState, KindName } from '../../src/model/resource.js';
import type { CertificateSpec } from '../../src/kinds/certificate/spec.js';
import type { PlannedChange } from '../../src/model/plan.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { plannedChange } from '../support/changes.js';
import { readOwnershipLedger } from '../../src/kinds/shared/ownership-ledger.js';

const FLEET = 'fleet-c';
const POLICY_DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] };

function state(resources: readonly DesiredResource[]): DesiredState {
  return { revision: 'r', config: { prune: true, adopt: false, fleetId: FLEET, vars: {}, ignore: [] }, resources };
}

function readContext(api: IotApi, desired: DesiredState): ReadContext {
  const ctx: ReadContext = {
    api,
    fleetId: FLEET,
    desired,
    live: <K extends KindName>(kind: K) =>
      (kind === 'Policy' ? policyKind.read(ctx) : Promise.resolve([])) as Promise<readonly LiveResource<K>[]>,
    ownershipLedger: () => readOwnershipLedger(api, FLEET),
    groupMembers: async (thingGroupName) => {
      const out = await api.send('ListThingsInThingGroup', { thingGroupName, maxResults: 250 });
      return new Set(out.things ?? []);
    },
  };
  return ctx;
}

function cert(name: string, spec: Partial<CertificateSpec>): DesiredResourceOf<'Certificate'> {
  return {
    kind: 'Certificate',
    name,
    tags: {},
    spec: { source: { type: 'generate' }, status: 'ACTIVE', things: [], policies: [], ...spec },
    source: { file: 'c.yaml', line: 1, column: 1 },
  };
}

const change = (action: PlannedChange['action'], d: DesiredResourceOf<'Certificate'> | undefined, l?: CertificateLive, fields: PlannedChange['fields'] = []): PlannedChange =>
  plannedChange(action, d, l, { fields });

const compareCtx: CompareContext = { desired: state([]), live: new Map(), now: 0 };

function csrFor(cn: string): { csrPem: string; publicKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  csr.setSubject([{ name: 'commonName', value: cn }]);
  csr.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), forge.md.sha256.create());
  return { csrPem: forge.pki.certificationRequestToPem(csr), publicKeyPem };
}

describe('Certificate kind against the emulator', () => {
  let emu: TestEmulator;
  let api: IotApi;
  let secretsDir: string;
  let applyCtx: ApplyContext;

  beforeAll(async () => {
    emu = await startTestEmulator();
    api = emu.api;
    secretsDir = join(await mkdtemp(join(tmpdir(), 'iotops-certs-')), 'secrets');
    applyCtx = { api, fleetId: FLEET, secretsDir, now: () => 0 };
    await api.send('CreateThingGroup', { thingGroupName: inventoryGroupName(FLEET) });
    for (const thingName of ['dev-1', 'dev-2', 'dev-3', 'dev-4']) {
      await api.send('CreateThing', { thingName });
      await api.send('AddThingToThingGroup', { thingGroupName: inventoryGroupName(FLEET), thingName });
    }
    for (const policyName of ['device', 'telemetry']) {
      await api.send('CreatePolicy', { policyName, policyDocument: JSON.stringify(POLICY_DOC), tags: [{ Key: 'iotops:managed-by', Value: FLEET }] });
    }
  });
  afterAll(async () => {
    await emu.stop();
    await rm(join(secretsDir, '..'), { recursive: true, force: true });
  });

  async function read(...desired: DesiredResourceOf<'Certificate'>[]): Promise<CertificateLive[]> {
    return [...(await certificateKind.read(readContext(api, state(desired))))];
  }
  /** The live certificate of the first desired handle (the read also returns other ledger handles). */
  async function readOne(...desired: DesiredResourceOf<'Certificate'>[]): Promise<CertificateLive | undefined> {
    return (await read(...desired)).find((c) => c.name === desired[0]!.name);
  }
  const certificateCount = async (): Promise<number> => (await api.send('ListCertificates', { pageSize: 250 })).certificates?.length ?? 0;

  it('generates a certificate once: key in the secrets dir (0600/0700), ledger entry, attachments; a rerun issues nothing new', async () => {
    const d = cert('gen-1', { things: ['dev-1'], policies: ['device'] });
    const before = await certificateCount();

    await certificateKind.apply!(change('create', d), applyCtx);
    await certificateKind.apply!(change('create', d), applyCtx);
    const live = await readOne(d);

    expect(await certificateCount()).toBe(before + 1);
    expect((await stat(secretsDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(secretsDir, 'gen-1.key'))).mode & 0o777).toBe(0o600);
    expect(certificateIdOfPem(await readFile(join(secretsDir, 'gen-1.pem'), 'utf8'))).toBe(live?.state.certificateId);
    expect(live).toMatchObject({ name: 'gen-1', ownership: 'managed', state: { status: 'ACTIVE', things: ['dev-1'], policies: ['device'], source: 'generate', identifiedBy: 'ledger' } });
    expect(certificateKind.compare(d, live!, compareCtx).fields).toEqual([]);
  });

  it('converges after a create failed half-way (policy missing): the rerun reuses the certificate', async () => {
    const d = cert('half', { things: ['dev-2'], policies: ['late-policy'] });
    const before = await certificateCount();

    await expect(certificateKind.apply!(change('create', d), applyCtx)).rejects.toMatchObject({ awsErrorName: 'ResourceNotFoundException' });
    await api.send('CreatePolicy', { policyName: 'late-policy', policyDocument: JSON.stringify(POLICY_DOC), tags: [{ Key: 'iotops:managed-by', Value: FLEET }] });
    await certificateKind.apply!(change('create', d), applyCtx);
    const live = await readOne(d);

    expect(await certificateCount()).toBe(before + 1);
    expect(live?.state).toMatchObject({ things: ['dev-2'], policies: ['late-policy'], identifiedBy: 'ledger' });
  });

  it('finds a generated certificate from the AWS-side ledger alone (another machine, empty secrets dir)', async () => {
    const d = cert('gen-1', { things: ['dev-1'], policies: ['device'] });
    const otherMachine: ApplyContext = { ...applyCtx, secretsDir: join(secretsDir, '..', 'elsewhere') };
    const before = await certificateCount();

    const live = await readOne(d);
    await certificateKind.apply!(change('create', d), otherMachine);

    expect(live?.state.identifiedBy).toBe('ledger');
    expect(await certificateCount()).toBe(before);
  });

  it('updates status and attachment sets, detaching only what the plan saw', async () => {
    const d0 = cert('gen-1', { things: ['dev-1'], policies: ['device'] });
    const d1 = cert('gen-1', { status: 'INACTIVE', things: ['dev-2'], policies: ['telemetry'] });
    const live = await readOne(d0);

    const cmp = certificateKind.compare(d1, live!, compareCtx);
    await certificateKind.apply!(change('update', d1, live, cmp.fields), applyCtx);
    const after = await readOne(d1);

    expect(cmp.fields.map((f) => f.path)).toEqual(['status', 'things', 'policies']);
    expect(after?.state).toMatchObject({ status: 'INACTIVE', things: ['dev-2'], policies: ['telemetry'] });
    expect(certificateKind.compare(d1, after!, compareCtx).fields).toEqual([]);
  });

  it('creates from a CSR and re-identifies it by public key when the ledger entry is gone', async () => {
    const { csrPem, publicKeyPem } = csrFor('dev-3');
    const d = cert('csr-1', { source: { type: 'csr', csrPem, publicKeyPem }, things: ['dev-3'] });

    await certificateKind.apply!(change('create', d), applyCtx);
    await api.send('UpdateThingGroup', {
      thingGroupName: inventoryGroupName(FLEET),
      thingGroupProperties: { attributePayload: { attributes: { [ledgerKey('csr-1')]: '' }, merge: true } },
    });
    const live = await readOne(d);

    expect(live).toMatchObject({ ownership: 'managed', state: { identifiedBy: 'csr-public-key', things: ['dev-3'] } });
    expect(certificateKind.compare(d, live!, compareCtx)).toEqual({ fields: [] });
  });

  it('registers a PEM (id computed locally), tolerates an already registered one, and replaces it when the PEM changes', async () => {
    const issued = async () => {
      const out = await api.send('CreateKeysAndCertificate', { setAsActive: false });
      await api.send('DeleteCertificate', { certificateId: out.certificateId! });
      return out.certificatePem!;
    };
    const [pemA, pemB] = [await issued(), await issued()];
    const pem = (certificatePem: string) => ({ type: 'pem', certificatePem, certificateId: certificateIdOfPem(certificatePem)! }) as const;
    const dA = cert('pem-1', { source: pem(pemA), things: ['dev-4'] });
    const dB = cert('pem-1', { source: pem(pemB), things: ['dev-4'] });

    await certificateKind.apply!(change('create', dA), applyCtx);
    await certificateKind.apply!(change('create', dA), applyCtx);
    const liveA = await readOne(dA);
    const cmp = certificateKind.compare(dB, liveA!, compareCtx);
    await certificateKind.apply!(change('replace', dB, liveA, cmp.fields), applyCtx);
    const liveB = await readOne(dB);

    expect(liveA?.state).toMatchObject({ certificateId: pem(pemA).certificateId, identifiedBy: 'ledger', status: 'ACTIVE' });
    expect(cmp.replaceReason).toBeDefined();
    expect(liveB?.state).toMatchObject({ certificateId: pem(pemB).certificateId, things: ['dev-4'] });
    await expect(api.send('DescribeCertificate', { certificateId: pem(pemA).certificateId })).rejects.toMatchObject({ awsErrorName: 'ResourceNotFoundException' });
  });

  it('reports a generated certificate found by attachment among several candidates as unmanaged, and adopt records it', async () => {
    await api.send('CreateThing', { thingName: 'dev-5' });
    await api.send('AddThingToThingGroup', { thingGroupName: inventoryGroupName(FLEET), thingName: 'dev-5' });
    const older = await api.send('CreateKeysAndCertificate', { setAsActive: true });
    const newer = await api.send('CreateKeysAndCertificate', { setAsActive: true });
    for (const c of [older, newer]) await api.send('AttachThingPrincipal', { thingName: 'dev-5', principal: c.certificateArn! });
    const d = cert('gen-adopt', { things: ['dev-5'] });

    const found = await readOne(d);
    await certificateKind.apply!(change('adopt', d, found, []), applyCtx);
    const after = await readOne(d);

    expect(found).toMatchObject({ ownership: 'unmanaged', state: { identifiedBy: 'attachment', certificateId: newer.certificateId, otherCandidates: [older.certificateId] } });
    expect(after).toMatchObject({ ownership: 'managed', state: { identifiedBy: 'ledger', certificateId: newer.certificateId } });
  });

  it('reads ledger handles that left the fleet and prunes them: detach, deactivate, delete, forget', async () => {
    const d = cert('gone', { things: ['dev-1'], policies: ['device'] });
    await certificateKind.apply!(change('create', d), applyCtx);

    const orphan = (await read()).find((c) => c.name === 'gone');
    // DetachThingPrincipal is asynchronous in AWS: DeleteCertificate conflicts for a while.
    emu.emulator.state.securitySettings = { detachPropagationMs: 300 };
    emu.api.resetStats();
    await certificateKind.apply!(change('delete', undefined, orphan), applyCtx).finally(() => {
      emu.emulator.state.securitySettings = {};
    });

    expect(orphan).toMatchObject({ ownership: 'managed', state: { things: ['dev-1'], policies: ['device'] } });
    expect(emu.api.stats().byOperation['DeleteCertificate']?.errors).toBe(1);
    await expect(api.send('DescribeCertificate', { certificateId: orphan!.state.certificateId })).rejects.toMatchObject({ awsErrorName: 'ResourceNotFoundException' });
    expect((await readLedger(api, FLEET)).ledger.has('gone')).toBe(false);
    expect((await read()).some((c) => c.name === 'gone')).toBe(false);
    expect(await readdir(secretsDir)).toContain('gone.key');
  });

  it('keeps working when the ledger is full: the only certificate on a managed thing is identified and managed', async () => {
    const group = inventoryGroupName(FLEET);
    const attributes = (await api.send('DescribeThingGroup', { thingGroupName: group })).thingGroupProperties?.attributePayload?.attributes ?? {};
    const fillers = Object.fromEntries(Array.from({ length: 50 - Object.keys(attributes).length }, (_, i) => [`filler${i}`, 'x']));
    await api.send('UpdateThingGroup', { thingGroupName: group, thingGroupProperties: { attributePayload: { attributes: fillers, merge: true } } });
    await api.send('CreateThing', { thingName: 'dev-6' });
    await api.send('AddThingToThingGroup', { thingGroupName: group, thingName: 'dev-6' });
    const d = cert('gen-full', { things: ['dev-6'], policies: ['device'] });

    await certificateKind.apply!(change('create', d), applyCtx);
    const live = await readOne(d);

    expect((await readLedger(api, FLEET)).ledger.has('gen-full')).toBe(false);
    expect(live).toMatchObject({ ownership: 'managed', state: { identifiedBy: 'attachment', things: ['dev-6'], policies: ['device'] } });
    expect(certificateKind.compare(d, live!, compareCtx).fields).toEqual([]);
  });
});
