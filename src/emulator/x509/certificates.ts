// The emulator CA and the device certificates it issues (signed ECDSA-with-SHA256). Keys are generated and used through
// node:crypto (native RSA is fast); node-forge only encodes ASN.1.
import {
  createHash,
  createPrivateKey,
  generateKeyPair,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import type { CertificateAuthorityRecord, EmulatorState } from '../state.js';
import {
  bits,
  bitString,
  bool,
  children,
  content,
  explicit,
  implicitPrimitive,
  integer,
  octets,
  oid,
  raw,
  readTlv,
  seq,
  setOf,
  slice,
  time,
  toDer,
  toPem,
  utf8,
  type Asn1,
} from './der.js';

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
} as const;

const CA_SUBJECT: ReadonlyArray<readonly [string, string]> = [
  [OID.countryName, 'US'],
  [OID.organizationName, 'iotops'],
  [OID.organizationalUnitName, 'Embedded AWS IoT emulator'],
  [OID.commonName, 'iotops emulator CA'],
];
/** The subject AWS IoT gives certificates from CreateKeysAndCertificate. */
const DEVICE_SUBJECT: ReadonlyArray<readonly [string, string]> = [[OID.commonName, 'AWS IoT Certificate']];
/** AWS-issued device certificates expire at the end of 2049. */
const DEVICE_NOT_AFTER = Date.UTC(2049, 11, 31, 23, 59, 59);
const CA_NOT_AFTER = Date.UTC(2059, 11, 31, 23, 59, 59);
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface IssuedCertificate {
  readonly der: Buffer;
  readonly pem: string;
  /** Lowercase hex SHA-256 of the DER: AWS IoT's certificateId. */
  readonly certificateId: string;
  readonly notBefore: number;
  readonly notAfter: number;
}

interface Issuer {
  readonly name: Buffer;
  readonly privateKey: KeyObject;
  readonly keyId: Buffer;
}

export function certificateIdOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

function name(rdns: ReadonlyArray<readonly [string, string]>): Buffer {
  return toDer(seq(rdns.map(([o, v]) => setOf([seq([oid(o), utf8(v)])]))));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdOf(spki: Buffer): Buffer {
  const [, key] = children(spki, readTlv(spki, 0));
  return createHash('sha1').update(content(spki, key).subarray(1)).digest();
}

function serialNumber(): Buffer {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x01; // positive and without a redundant leading zero byte
  return b;
}

function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  const parts = [oid(id)];
  if (critical) parts.push(bool(true));
  parts.push(octets(toDer(value)));
  return seq(parts);
}

interface TbsRequest {
  readonly subject: Buffer;
  readonly spki: Buffer;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly isCa: boolean;
}

function issue(req: TbsRequest, issuer: Issuer | 'self', selfKey?: KeyObject): IssuedCertificate {
  const subjectKeyId = keyIdOf(req.spki);
  const signer = issuer === 'self' ? { name: req.subject, privateKey: selfKey!, keyId: subjectKeyId } : issuer;
  // keyUsage bits: CA = keyCertSign|cRLSign (0x06, 1 unused bit); device = digitalSignature (0x80, 7 unused).
  const keyUsage = req.isCa ? bitString(1, Buffer.from([0x06])) : bitString(7, Buffer.from([0x80]));
  const exts = [
    extension(OID.basicConstraints, req.isCa, seq(req.isCa ? [bool(true)] : [])),
    extension(OID.keyUsage, true, keyUsage),
    extension(OID.subjectKeyId, false, octets(subjectKeyId)),
    extension(OID.authorityKeyId, false, seq([implicitPrimitive(0, signer.keyId)])),
  ];
  const algorithm = seq([oid(OID.ecdsaWithSha256)]);
  const tbs = seq([
    explicit(0, integer(Buffer.from([2]))),
    integer(serialNumber()),
    algorithm,
    raw(signer.name),
    seq([time(new Date(req.notBefore)), time(new Date(req.notAfter))]),
    raw(req.subject),
    raw(req.spki),
    explicit(3, seq(exts)),
  ]);
  const tbsDer = toDer(tbs);
  const signature = sign('sha256', tbsDer, signer.privateKey);
  const der = toDer(seq([raw(tbsDer), algorithm, bits(signature)]));
  return {
    der,
    pem: toPem(der, 'CERTIFICATE'),
    certificateId: certificateIdOf(der),
    notBefore: req.notBefore,
    notAfter: req.notAfter,
  };
}

/** Whole seconds: X.509 times carry no milliseconds, and DescribeCertificate's validity must match the DER. */
const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

/**
 * The state's CA, created on first use; synchronously, so concurrent requests cannot create two.
 * It is EC P-256 because generating it must be instant (every test state gets one); AWS's own
 * CAs are RSA, which no client can tell apart when verifying a chain.
 */
export function ensureCa(state: EmulatorState, now: number): CertificateAuthorityRecord {
  if (state.certificateAuthority) return state.certificateAuthority;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const cert = issue(
    { subject: name(CA_SUBJECT), spki, notBefore: seconds(now), notAfter: Math.max(CA_NOT_AFTER, seconds(now) + 10 * YEAR_MS), isCa: true },
    'self',
    privateKey,
  );
  state.certificateAuthority = {
    certificatePem: cert.pem,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  return state.certificateAuthority;
}

function issuerOf(ca: CertificateAuthorityRecord): Issuer {
  const der = Buffer.from(ca.certificatePem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const [tbs] = children(der, readTlv(der, 0));
  const fields = children(der, tbs);
  // v3 TBSCertificate: [0]version, serial, signature, issuer, validity, subject, spki, ...
  const subject = slice(der, fields[5]);
  const spki = slice(der, fields[6]);
  return { name: subject, privateKey: createPrivateKey(ca.privateKeyPem), keyId: keyIdOf(spki) };
}

function deviceValidity(now: number): { notBefore: number; notAfter: number } {
  const notBefore = seconds(now);
  return { notBefore, notAfter: Math.max(DEVICE_NOT_AFTER, notBefore + YEAR_MS) };
}

/** Signs a device certificate for a subject and public key (both DER), e.g. taken from a CSR. */
export function issueDeviceCertificate(
  ca: CertificateAuthorityRecord,
  subject: Buffer,
  spki: Buffer,
  now: number,
): IssuedCertificate {
  return issue({ subject, spki, ...deviceValidity(now), isCa: false }, issuerOf(ca));
}

export interface KeysAndCertificate extends IssuedCertificate {
  readonly publicKeyPem: string;
  /** PKCS#1 PEM, as AWS returns it. */
  readonly privateKeyPem: string;
}

const generateRsa = promisify(generateKeyPair);

/** CreateKeysAndCertificate: a fresh RSA-2048 key pair and a certificate for it. */
export async function createKeysAndCertificate(ca: CertificateAuthorityRecord, now: number): Promise<KeysAndCertificate> {
  const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const cert = issueDeviceCertificate(ca, name(DEVICE_SUBJECT), spki, now);
  return {
    ...cert,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}
