// Handler-level checks of certificates and principal attachments against a bare state.
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { emptyState } from '../../src/emulator/state.js';
import { operations } from '../../src/emulator/ops/index.js';
import type { OpContext, OpInput, OpOutput } from '../../src/emulator/ops/types.js';

function setup() {
  const ctx: OpContext = { state: emptyState(), now: () => Date.now(), onThingsChanged: () => {} };
  const call = async (op: string, input: OpInput) => (await operations[op](input, ctx)) as OpOutput;
  const fails = async (op: string, input: OpInput) => {
    try {
      await operations[op](input, ctx);
    } catch (e) {
      return e as { type: string; status: number; message: string };
    }
    throw new Error(`${op} did not fail`);
  };
  const addThing = (thingName: string) =>
    ctx.state.things.set(thingName, {
      thingName,
      thingId: thingName,
      thingArn: `arn:aws:iot:us-east-1:123456789012:thing/${thingName}`,
      attributes: {},
      version: 1,
      createdAt: 0,
    });
  return { ctx, call, fails, addThing };
}

/** A PKCS#10 request built independently of the emulator's x509 code (forge only creates RSA CSRs). */
function csrPem(privateKey: KeyObject, publicKey: KeyObject, cn: string): string {
  const { asn1 } = forge;
  const U = asn1.Class.UNIVERSAL;
  const bin = (b: Buffer) => b.toString('binary');
  const der = (a: forge.asn1.Asn1) => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
  const parse = (b: Buffer) => asn1.fromDer(bin(b));
  const name = asn1.create(U, asn1.Type.SEQUENCE, true, [
    asn1.create(U, asn1.Type.SET, true, [
      asn1.create(U, asn1.Type.SEQUENCE, true, [
        asn1.create(U, asn1.Type.OID, false, asn1.oidToDer('2.5.4.3').getBytes()),
        asn1.create(U, asn1.Type.UTF8, false, cn),
      ]),
    ]),
  ]);
  const info = asn1.create(U, asn1.Type.SEQUENCE, true, [
    asn1.create(U, asn1.Type.INTEGER, false, '\x00'),
    name,
    parse(publicKey.export({ type: 'spki', format: 'der' })),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, []),
  ]);
  const infoDer = der(info);
  const ec = privateKey.asymmetricKeyType === 'ec';
  const alg = asn1.create(U, asn1.Type.SEQUENCE, true, [
    asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(ec ? '1.2.840.10045.4.3.2' : '1.2.840.113549.1.1.11').getBytes()),
    ...(ec ? [] : [asn1.create(U, asn1.Type.NULL, false, '')]),
  ]);
  const sig = sign('sha256', infoDer, privateKey);
  const csr = asn1.create(U, asn1.Type.SEQUENCE, true, [
    parse(infoDer),
    alg,
    asn1.create(U, asn1.Type.BITSTRING, false, '\x00' + bin(sig)),
  ]);
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der(csr).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
}

const doc = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] });

describe('certificate handlers', () => {
  it('issues a key pair and a CA-signed certificate whose id is the SHA-256 of its DER', async () => {
    const { call, ctx } = setup();
    const out = await call('CreateKeysAndCertificate', { setAsActive: true });
    const cert = new X509Certificate(out.certificatePem as string);
    expect(out.certificateId).toBe(createHash('sha256').update(cert.raw).digest('hex'));
    const ca = new X509Certificate(ctx.state.certificateAuthority!.certificatePem);
    expect(cert.verify(ca.publicKey)).toBe(true);
    const desc = (await call('DescribeCertificate', { certificateId: out.certificateId })).certificateDescription as Record<string, unknown>;
    expect(desc.status).toBe('ACTIVE');
  });

  it('signs EC CSRs and gives a new certificate each time the same CSR is used', async () => {
    const { call } = setup();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const csr = csrPem(privateKey, publicKey, 'dev1');
    const a = await call('CreateCertificateFromCsr', { certificateSigningRequest: csr, setAsActive: false });
    const b = await call('CreateCertificateFromCsr', { certificateSigningRequest: csr });
    expect(a.certificateId).not.toBe(b.certificateId);
    const cert = new X509Certificate(a.certificatePem as string);
    expect(cert.checkPrivateKey(privateKey)).toBe(true);
    expect(cert.subject).toBe('CN=dev1');
  });

  it('rejects CSRs with a weak key, a wrong curve or a bad signature', async () => {
    const { fails } = setup();
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const k256 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (const csr of [
      csrPem(rsa1024.privateKey, rsa1024.publicKey, 'weak'),
      csrPem(k256.privateKey, k256.publicKey, 'curve'),
      csrPem(other.privateKey, p256.publicKey, 'forged'),
      'not a csr',
    ]) {
      expect((await fails('CreateCertificateFromCsr', { certificateSigningRequest: csr })).type).toBe('InvalidRequestException');
    }
  });

  it('registers a foreign certificate once and rejects garbage', async () => {
    const { call, fails } = setup();
    const { certificatePem } = await call('CreateKeysAndCertificate', {});
    expect((await fails('RegisterCertificateWithoutCA', { certificatePem })).type).toBe('ResourceAlreadyExistsException');
    expect((await fails('RegisterCertificateWithoutCA', { certificatePem: 'nope' })).type).toBe('CertificateValidationException');
  });

  it('enforces status transitions and delete preconditions', async () => {
    const { call, fails, addThing } = setup();
    addThing('t1');
    const { certificateId, certificateArn } = await call('CreateKeysAndCertificate', { setAsActive: true });
    await call('CreatePolicy', { policyName: 'p', policyDocument: doc });
    await call('AttachPolicy', { policyName: 'p', target: certificateArn });
    await call('AttachThingPrincipal', { thingName: 't1', principal: certificateArn });
    expect(await fails('DeleteCertificate', { certificateId })).toMatchObject({ type: 'CertificateStateException', status: 406 });
    expect((await fails('UpdateCertificate', { certificateId, newStatus: 'PENDING_TRANSFER' })).status).toBe(400);
    await call('UpdateCertificate', { certificateId, newStatus: 'INACTIVE' });
    expect((await fails('DeleteCertificate', { certificateId })).message).toMatch(/Things must be detached/);
    await call('DetachThingPrincipal', { thingName: 't1', principal: certificateArn });
    expect((await fails('DeleteCertificate', { certificateId })).message).toMatch(/policies must be detached/);
    await call('UpdateCertificate', { certificateId, newStatus: 'REVOKED' });
    expect((await fails('UpdateCertificate', { certificateId, newStatus: 'ACTIVE' })).type).toBe('CertificateStateException');
    await call('DeleteCertificate', { certificateId, forceDelete: true });
    expect((await call('ListTargetsForPolicy', { policyName: 'p' })).targets).toEqual([]);
  });

  it('limits a certificate to 10 policies and lists attachments both ways', async () => {
    const { call, fails, addThing } = setup();
    addThing('t1');
    addThing('t2');
    const { certificateArn } = await call('CreateKeysAndCertificate', {});
    for (let i = 0; i < 11; i++) await call('CreatePolicy', { policyName: `p${i}`, policyDocument: doc });
    for (let i = 0; i < 10; i++) await call('AttachPolicy', { policyName: `p${i}`, target: certificateArn });
    expect(await fails('AttachPolicy', { policyName: 'p10', target: certificateArn })).toMatchObject({ type: 'LimitExceededException', status: 410 });
    expect(((await call('ListAttachedPolicies', { target: certificateArn })).policies as unknown[]).length).toBe(10);
    await call('AttachThingPrincipal', { thingName: 't1', principal: certificateArn, thingPrincipalType: 'NON_EXCLUSIVE_THING' });
    await call('AttachThingPrincipal', { thingName: 't2', principal: certificateArn });
    expect((await call('ListPrincipalThings', { principal: certificateArn })).things).toEqual(['t1', 't2']);
    expect((await call('ListThingPrincipals', { thingName: 't2' })).principals).toEqual([certificateArn]);
    expect((await fails('AttachThingPrincipal', { thingName: 'nope', principal: certificateArn })).status).toBe(404);
  });

  it('keeps an EXCLUSIVE_THING certificate on one thing', async () => {
    const { call, fails, addThing } = setup();
    addThing('t1');
    addThing('t2');
    const { certificateArn } = await call('CreateKeysAndCertificate', {});
    await call('AttachThingPrincipal', { thingName: 't1', principal: certificateArn, thingPrincipalType: 'EXCLUSIVE_THING' });
    expect((await fails('AttachThingPrincipal', { thingName: 't2', principal: certificateArn })).type).toBe('InvalidRequestException');
    const v2 = await call('ListThingPrincipalsV2', { thingName: 't1' });
    expect(v2.thingPrincipalObjects).toEqual([{ principal: certificateArn, thingPrincipalType: 'EXCLUSIVE_THING' }]);
  });
});
