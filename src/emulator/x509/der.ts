// Minimal DER plumbing for the emulator CA: slicing existing DER (CSRs) byte-exactly and building
// certificates with node-forge's ASN.1 encoder. Signing and key handling use node:crypto.
import forge from 'node-forge';

const { asn1 } = forge;
export type Asn1 = forge.asn1.Asn1;

export interface Tlv {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the content. */
  readonly end: number;
}

/** Reads one DER TLV at `offset`; throws on truncated or indefinite-length input. */
export function readTlv(buf: Buffer, offset: number): Tlv {
  if (offset + 2 > buf.length) throw new Error('truncated DER');
  const tag = buf[offset];
  let len = buf[offset + 1];
  let contentStart = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('unsupported DER length');
    if (contentStart + n > buf.length) throw new Error('truncated DER');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[contentStart + i];
    contentStart += n;
  }
  const end = contentStart + len;
  if (end > buf.length) throw new Error('truncated DER');
  return { tag, start: offset, contentStart, end };
}

/** The TLVs directly inside a constructed TLV. */
export function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const t = readTlv(buf, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

export const slice = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.start, t.end);
export const content = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.contentStart, t.end);

export function oidString(buf: Buffer, t: Tlv): string {
  return asn1.derToOid(forge.util.createBuffer(content(buf, t).toString('binary')));
}

const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

export const seq = (items: Asn1[]): Asn1 => asn1.create(U, T.SEQUENCE, true, items);
export const setOf = (items: Asn1[]): Asn1 => asn1.create(U, T.SET, true, items);
export const oid = (dotted: string): Asn1 => asn1.create(U, T.OID, false, asn1.oidToDer(dotted).getBytes());
export const nul = (): Asn1 => asn1.create(U, T.NULL, false, '');
export const bool = (v: boolean): Asn1 => asn1.create(U, T.BOOLEAN, false, v ? '\xff' : '\x00');
export const integer = (bytes: Buffer): Asn1 => asn1.create(U, T.INTEGER, false, bytes.toString('binary'));
export const octets = (bytes: Buffer): Asn1 => asn1.create(U, T.OCTETSTRING, false, bytes.toString('binary'));
export const utf8 = (s: string): Asn1 => asn1.create(U, T.UTF8, false, forge.util.encodeUtf8(s));
/** BIT STRING with zero unused bits. */
export const bits = (bytes: Buffer): Asn1 => asn1.create(U, T.BITSTRING, false, '\x00' + bytes.toString('binary'));
export const bitString = (unusedBits: number, bytes: Buffer): Asn1 =>
  asn1.create(U, T.BITSTRING, false, String.fromCharCode(unusedBits) + bytes.toString('binary'));
export const explicit = (n: number, inner: Asn1): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, n, true, [inner]);
export const implicitPrimitive = (n: number, bytes: Buffer): Asn1 =>
  asn1.create(asn1.Class.CONTEXT_SPECIFIC, n, false, bytes.toString('binary'));

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050. */
export function time(d: Date): Asn1 {
  return d.getUTCFullYear() < 2050
    ? asn1.create(U, T.UTCTIME, false, asn1.dateToUtcTime(d))
    : asn1.create(U, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d));
}

/** Embeds already-encoded DER (a Name or SubjectPublicKeyInfo copied from a CSR) unchanged. */
export function raw(der: Buffer): Asn1 {
  // The typings lack the options form; decodeBitStrings:false keeps BIT STRING bytes verbatim.
  const fromDer = asn1.fromDer as unknown as (b: forge.util.ByteBuffer, o: object) => Asn1;
  return fromDer(forge.util.createBuffer(der.toString('binary')), { strict: true, decodeBitStrings: false });
}

export function toDer(a: Asn1): Buffer {
  return Buffer.from(asn1.toDer(a).getBytes(), 'binary');
}

export function toPem(der: Buffer, label: string): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** The DER inside the first PEM block with one of `labels`, or undefined. */
export function fromPem(pem: string, labels: readonly string[]): Buffer | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m || !labels.includes(m[1])) return undefined;
  const body = m[2].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length === 0) return undefined;
  return Buffer.from(body, 'base64');
}
