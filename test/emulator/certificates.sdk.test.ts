// Certificate conformance through the real @aws-sdk/client-iot: real X.509 from the emulator CA.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateCertificateFromCsrCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  DetachThingPrincipalCommand,
  ListCertificatesCommand,
  ListTargetsForPolicyCommand,
  RegisterCertificateCommand,
  RegisterCertificateWithoutCACommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

let t: TestEmulator;
/** A second emulator, so its CA and certificates are foreign to the first one. */
let other: TestEmulator;

beforeAll(async () => {
  [t, other] = await Promise.all([startTestEmulator(), startTestEmulator()]);
});
afterAll(async () => {
  await Promise.all([t.stop(), other.stop()]);
});

const sha256 = (der: Buffer) => createHash('sha256').update(der).digest('hex');
const caOf = (e: TestEmulator) => new X509Certificate(e.emu.state.certificateAuthority!.certificatePem);

/** A PKCS#10 request built independently of the emulator's x509 code (forge only creates RSA CSRs). */
function csrPem(privateKey: KeyObject, publicKey: KeyObject, cn: string): string {
  const { asn1 } = forge;
  const U = asn1.Class.UNIVERSAL;
  const der = (a: forge.asn1.Asn1) => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
  const parse = (b: Buffer) => asn1.fromDer(b.toString('binary'));
  const seq = (items: forge.asn1.Asn1[]) => asn1.create(U, asn1.Type.SEQUENCE, true, items);
  const oid = (o: string) => asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
  const name = seq([asn1.create(U, asn1.Type.SET, true, [seq([oid('2.5.4.3'), asn1.create(U, asn1.Type.UTF8, false, cn)])])]);
  const info = der(seq([
    asn1.create(U, asn1.Type.INTEGER, false, '\x00'),
    name,
    parse(publicKey.export({ type: 'spki', format: 'der' })),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, []),
  ]));
  const ec = privateKey.asymmetricKeyType === 'ec';
  const alg = seq(ec ? [oid('1.2.840.10045.4.3.2')] : [oid('1.2.840.113549.1.1.11'), asn1.create(U, asn1.Type.NULL, false, '')]);
  const signature = sign('sha256', info, privateKey);
  const csr = der(seq([parse(info), alg, asn1.create(U, asn1.Type.BITSTRING, false, '\x00' + signature.toString('binary'))]));
  return `-----BEGIN CERTIFICATE REQUEST-----\n${csr.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
}

describe('certificates over the SDK', () => {
  it('CreateKeysAndCertificate returns a CA-signed certificate for the returned RSA-2048 key, id = SHA-256 of the DER', async () => {
    const out = await t.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const cert = new X509Certificate(out.certificatePem!);
    expect(out.certificateId).toBe(sha256(cert.raw));
    expect(out.certificateId).toMatch(/^[0-9a-f]{64}$/);
    expect(out.certificateArn).toBe(`arn:aws:iot:us-east-1:123456789012:cert/${out.certificateId}`);
    expect(cert.verify(caOf(t).publicKey)).toBe(true);
    expect(cert.checkIssued(caOf(t))).toBe(true);
    const privateKey = createPrivateKey(out.keyPair!.PrivateKey!);
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.checkPrivateKey(privateKey)).toBe(true);
    expect(createPublicKey(out.keyPair!.PublicKey!).export({ format: 'jwk' })).toEqual(cert.publicKey.export({ format: 'jwk' }));

    const { certificateDescription: d } = await t.iot.send(new DescribeCertificateCommand({ certificateId: out.certificateId }));
    expect(d).toMatchObject({ certificateId: out.certificateId, status: 'ACTIVE', certificatePem: out.certificatePem, ownedBy: '123456789012', certificateMode: 'DEFAULT' });
    expect(d!.validity!.notAfter!.toISOString()).toBe(new Date(cert.validTo).toISOString());
    expect(d!.caCertificateId).toBeUndefined();
  });

  it('signs EC and RSA CSRs without ever seeing the key; the same CSR twice gives two certificates', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const csr = csrPem(ec.privateKey, ec.publicKey, 'sensor-42');
    const a = await t.iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr, setAsActive: true }));
    const b = await t.iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr }));
    expect(a.certificateId).not.toBe(b.certificateId);
    const cert = new X509Certificate(a.certificatePem!);
    expect(cert.subject).toBe('CN=sensor-42');
    expect(cert.checkPrivateKey(ec.privateKey)).toBe(true);
    expect(cert.verify(caOf(t).publicKey)).toBe(true);
    expect(a.certificateId).toBe(sha256(cert.raw));
    const statuses = await Promise.all([a, b].map((c) => t.iot.send(new DescribeCertificateCommand({ certificateId: c.certificateId }))));
    expect(statuses.map((s) => s.certificateDescription!.status)).toEqual(['ACTIVE', 'INACTIVE']);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const fromRsa = await t.iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csrPem(rsa.privateKey, rsa.publicKey, 'gw-1') }));
    expect(new X509Certificate(fromRsa.certificatePem!).checkPrivateKey(rsa.privateKey)).toBe(true);

    const forged = csrPem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, ec.publicKey, 'forged');
    expect(await failure(t.iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: forged })))).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const weakCsr = csrPem(weak.privateKey, weak.publicKey, 'weak');
    expect(await failure(t.iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: weakCsr })))).toMatchObject({ name: 'InvalidRequestException', status: 400 });
  });

  it('registers foreign certificates once, checking the PEM and the CA', async () => {
    const foreign = await other.iot.send(new CreateKeysAndCertificateCommand({}));
    const reg = await t.iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: foreign.certificatePem, status: 'ACTIVE' }));
    expect(reg.certificateId).toBe(foreign.certificateId);
    const d = await t.iot.send(new DescribeCertificateCommand({ certificateId: reg.certificateId }));
    expect(d.certificateDescription).toMatchObject({ status: 'ACTIVE', certificateMode: 'SNI_ONLY' });
    expect(await failure(t.iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: foreign.certificatePem })))).toMatchObject({ name: 'ResourceAlreadyExistsException', status: 409 });
    expect(await failure(t.iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: 'not a certificate' })))).toMatchObject({ name: 'CertificateValidationException', status: 400 });

    const second = await other.iot.send(new CreateKeysAndCertificateCommand({}));
    const otherCaPem = other.emu.state.certificateAuthority!.certificatePem;
    expect(await failure(t.iot.send(new RegisterCertificateCommand({ certificatePem: second.certificatePem })))).toMatchObject({ name: 'CertificateValidationException', status: 400 });
    const withCa = await t.iot.send(new RegisterCertificateCommand({ certificatePem: second.certificatePem, caCertificatePem: otherCaPem, setAsActive: true }));
    const described = await t.iot.send(new DescribeCertificateCommand({ certificateId: withCa.certificateId }));
    expect(described.certificateDescription).toMatchObject({ status: 'ACTIVE', caCertificateId: sha256(caOf(other).raw) });
  });

  it('enforces status transitions: no PENDING_* through the API, REVOKED is final', async () => {
    const { certificateId } = await t.iot.send(new CreateKeysAndCertificateCommand({}));
    for (const newStatus of ['PENDING_TRANSFER', 'PENDING_ACTIVATION'] as const) {
      expect(await failure(t.iot.send(new UpdateCertificateCommand({ certificateId, newStatus })))).toMatchObject({ name: 'InvalidRequestException', status: 400 });
    }
    await t.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' }));
    await t.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'REVOKED' }));
    expect(await failure(t.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' })))).toMatchObject({ name: 'CertificateStateException', status: 406 });
    await t.iot.send(new DeleteCertificateCommand({ certificateId }));
    expect(await failure(t.iot.send(new DescribeCertificateCommand({ certificateId })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('deletes only inactive, detached certificates; forceDelete skips the policy check only', async () => {
    const { certificateId, certificateArn } = await t.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await t.iot.send(new CreateThingCommand({ thingName: 'holder' }));
    await t.iot.send(new CreatePolicyCommand({ policyName: 'device', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }) }));
    await t.iot.send(new AttachPolicyCommand({ policyName: 'device', target: certificateArn }));
    await t.iot.send(new AttachThingPrincipalCommand({ thingName: 'holder', principal: certificateArn }));
    expect(await failure(t.iot.send(new DeleteCertificateCommand({ certificateId })))).toMatchObject({ name: 'CertificateStateException', status: 406 });
    await t.iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' }));
    const things = await failure(t.iot.send(new DeleteCertificateCommand({ certificateId, forceDelete: true })));
    expect(things).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    await t.iot.send(new DetachThingPrincipalCommand({ thingName: 'holder', principal: certificateArn }));
    expect(await failure(t.iot.send(new DeleteCertificateCommand({ certificateId })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    await t.iot.send(new DeleteCertificateCommand({ certificateId, forceDelete: true }));
    expect((await t.iot.send(new ListTargetsForPolicyCommand({ policyName: 'device' }))).targets).toEqual([]);
  });

  it('with detachPropagationMs set, DeleteCertificate right after DetachThingPrincipal conflicts until it propagates', async () => {
    t.emu.state.securitySettings = { detachPropagationMs: 10_000 };
    try {
      const { certificateId, certificateArn } = await t.iot.send(new CreateKeysAndCertificateCommand({}));
      await t.iot.send(new CreateThingCommand({ thingName: 'slow-holder' }));
      await t.iot.send(new AttachThingPrincipalCommand({ thingName: 'slow-holder', principal: certificateArn }));
      await t.iot.send(new DetachThingPrincipalCommand({ thingName: 'slow-holder', principal: certificateArn }));
      expect(await failure(t.iot.send(new DeleteCertificateCommand({ certificateId })))).toMatchObject({ name: 'DeleteConflictException', status: 409 });
      t.emu.clock.advance(10_000);
      await t.iot.send(new DeleteCertificateCommand({ certificateId }));
    } finally {
      delete t.emu.state.securitySettings;
    }
  });

  it('pages ListCertificates by marker, newest first unless ascendingOrder', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await t.iot.send(new ListCertificatesCommand({ pageSize: 2, marker }));
      expect(page.certificates!.length).toBeLessThanOrEqual(2);
      seen.push(...page.certificates!.map((c) => c.certificateId!));
      marker = page.nextMarker;
    } while (marker);
    expect(seen.length).toBeGreaterThan(4);
    expect(new Set(seen).size).toBe(seen.length);
    const asc = await t.iot.send(new ListCertificatesCommand({ ascendingOrder: true, pageSize: 250 }));
    const dates = asc.certificates!.map((c) => c.creationDate!.getTime());
    expect(dates).toEqual([...dates].sort((x, y) => x - y));
    expect(asc.certificates!.map((c) => c.certificateId).reverse()).toEqual(seen);
  });
});
