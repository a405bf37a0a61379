// Device certificates: issued by the emulator CA (CreateKeysAndCertificate, CreateCertificateFromCsr)
// or brought by the caller (RegisterCertificate, RegisterCertificateWithoutCA). certificateId is the
// SHA-256 of the DER, as in AWS. Attachments are read from policies' targets and state.thingPrincipals.
import { X509Certificate } from 'node:crypto';
import { arn, type CertificateRecord, type CertificateStatus, type EmulatorState } from '../state.js';
import { certificateIdOf, createKeysAndCertificate, ensureCa, issueDeviceCertificate } from '../x509/certificates.js';
import { CsrError, parseCsr } from '../x509/csr.js';
import { inspectCertificate, type InspectedCertificate } from '../x509/inspect.js';
import { detachPending, MARKER_PAGES, optBool, optString, paginate, reqString } from './policies.js';
import { errors, type OpContext, type OpInput, type OpTable } from './types.js';

const CERTIFICATE_ID = /^(0x)?[a-fA-F0-9]{64}$/;
const STATUSES: readonly CertificateStatus[] = [
  'ACTIVE',
  'INACTIVE',
  'REVOKED',
  'PENDING_TRANSFER',
  'REGISTER_INACTIVE',
  'PENDING_ACTIVATION',
];

export function certificateArn(state: EmulatorState, certificateId: string): string {
  return arn(state, `cert/${certificateId}`);
}

/** The certificate a `cert/<id>` ARN names, if it is one of ours. */
export function certificateByArn(state: EmulatorState, principal: string): CertificateRecord | undefined {
  const m = /^arn:aws[\w-]*:iot:[^:]*:[^:]*:cert\/([a-f0-9]{64})$/.exec(principal);
  const cert = m ? state.certificates.get(m[1]) : undefined;
  return cert && cert.certificateArn === principal ? cert : undefined;
}

function getCertificate(state: EmulatorState, input: OpInput): CertificateRecord {
  const id = reqString(input, 'certificateId');
  if (!CERTIFICATE_ID.test(id)) throw errors.invalidRequest(`Invalid certificateId: ${id}`);
  const cert = state.certificates.get(id.replace(/^0x/, '').toLowerCase());
  if (!cert) throw errors.notFound(`The certificate ${id} does not exist`);
  return cert;
}

function addCertificate(
  ctx: OpContext,
  fields: Pick<CertificateRecord, 'certificateId' | 'certificatePem' | 'status' | 'certificateMode' | 'notBefore' | 'notAfter' | 'caCertificateId'>,
): CertificateRecord {
  const now = ctx.now();
  const record: CertificateRecord = {
    ...fields,
    certificateArn: certificateArn(ctx.state, fields.certificateId),
    creationDate: now,
    lastModifiedDate: now,
  };
  if (record.caCertificateId === undefined) delete record.caCertificateId;
  ctx.state.certificates.set(record.certificateId, record);
  return record;
}

/** Stores a certificate the emulator's CA issued (CreateKeysAndCertificate, CreateCertificateFromCsr). */
function addIssuedCertificate(
  ctx: OpContext,
  issued: { readonly certificateId: string; readonly pem: string; readonly notBefore: number; readonly notAfter: number },
  active: boolean,
) {
  return addCertificate(ctx, {
    certificateId: issued.certificateId,
    certificatePem: issued.pem,
    status: active ? 'ACTIVE' : 'INACTIVE',
    certificateMode: 'DEFAULT',
    notBefore: issued.notBefore,
    notAfter: issued.notAfter,
    // AWS-issued certificates carry no caCertificateId: Amazon's CA is not a registered CA.
    caCertificateId: undefined,
  });
}

async function createKeysAndCertificateOp(input: OpInput, ctx: OpContext) {
  const ca = ensureCa(ctx.state, ctx.now());
  const issued = await createKeysAndCertificate(ca, ctx.now());
  const cert = addIssuedCertificate(ctx, issued, optBool(input, 'setAsActive') === true);
  return {
    certificateArn: cert.certificateArn,
    certificateId: cert.certificateId,
    certificatePem: cert.certificatePem,
    keyPair: { PublicKey: issued.publicKeyPem, PrivateKey: issued.privateKeyPem },
  };
}

function createCertificateFromCsr(input: OpInput, ctx: OpContext) {
  const csrPem = reqString(input, 'certificateSigningRequest');
  let csr;
  try {
    csr = parseCsr(csrPem);
  } catch (e) {
    if (e instanceof CsrError) throw errors.invalidRequest(e.message);
    throw e;
  }
  const ca = ensureCa(ctx.state, ctx.now());
  // A fresh random serial makes every issuance distinct, so reusing a CSR yields a new certificate.
  const issued = issueDeviceCertificate(ca, csr.subject, csr.spki, ctx.now());
  const cert = addIssuedCertificate(ctx, issued, optBool(input, 'setAsActive') === true);
  return { certificateArn: cert.certificateArn, certificateId: cert.certificateId, certificatePem: cert.certificatePem };
}

function inspectForRegistration(ctx: OpContext, pem: string, what = 'certificate'): InspectedCertificate {
  const c = inspectCertificate(pem);
  if (!c) throw errors.certificateValidation(`The ${what} is not a valid PEM-encoded X.509 certificate`);
  const now = ctx.now();
  if (now < c.notBefore || now > c.notAfter) throw errors.certificateValidation(`The ${what} is not valid at this time`);
  return c;
}

function registrationStatus(input: OpInput, fallback: CertificateStatus): CertificateStatus {
  const status = optString(input, 'status');
  if (status === undefined) return optBool(input, 'setAsActive') ? 'ACTIVE' : fallback;
  if (status !== 'ACTIVE' && status !== 'INACTIVE' && status !== 'REVOKED' && status !== 'REGISTER_INACTIVE') {
    throw errors.invalidRequest(`Invalid status: ${status}`);
  }
  return status;
}

function rejectDuplicate(ctx: OpContext, certificateId: string): void {
  const existing = ctx.state.certificates.get(certificateId);
  if (existing) {
    throw errors.alreadyExists('The certificate is already provisioned or registered', certificateId, existing.certificateArn);
  }
}

function registerCertificateWithoutCa(input: OpInput, ctx: OpContext) {
  const c = inspectForRegistration(ctx, reqString(input, 'certificatePem'));
  rejectDuplicate(ctx, c.certificateId);
  const cert = addCertificate(ctx, {
    certificateId: c.certificateId,
    certificatePem: c.x509.toString(),
    status: registrationStatus(input, 'INACTIVE'),
    certificateMode: 'SNI_ONLY',
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    caCertificateId: undefined,
  });
  return { certificateArn: cert.certificateArn, certificateId: cert.certificateId };
}

/**
 * The emulator has no RegisterCACertificate: a CA given in caCertificatePem counts as registered,
 * and without one the certificate must come from the emulator CA.
 */
function registerCertificate(input: OpInput, ctx: OpContext) {
  const c = inspectForRegistration(ctx, reqString(input, 'certificatePem'));
  const caPem = optString(input, 'caCertificatePem');
  const ca = caPem
    ? inspectForRegistration(ctx, caPem, 'CA certificate').x509
    : new X509Certificate(ensureCa(ctx.state, ctx.now()).certificatePem);
  if (!c.x509.checkIssued(ca) || !c.x509.verify(ca.publicKey)) {
    throw errors.certificateValidation('The certificate is not signed by the given or a registered CA certificate');
  }
  rejectDuplicate(ctx, c.certificateId);
  const cert = addCertificate(ctx, {
    certificateId: c.certificateId,
    certificatePem: c.x509.toString(),
    status: registrationStatus(input, 'INACTIVE'),
    certificateMode: 'DEFAULT',
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    caCertificateId: certificateIdOf(ca.raw),
  });
  return { certificateArn: cert.certificateArn, certificateId: cert.certificateId };
}

function describeCertificate(input: OpInput, ctx: OpContext) {
  const c = getCertificate(ctx.state, input);
  return {
    certificateDescription: {
      certificateArn: c.certificateArn,
      certificateId: c.certificateId,
      ...(c.caCertificateId ? { caCertificateId: c.caCertificateId } : {}),
      status: c.status,
      certificatePem: c.certificatePem,
      ownedBy: ctx.state.accountId,
      creationDate: c.creationDate,
      lastModifiedDate: c.lastModifiedDate,
      customerVersion: 1,
      transferData: {},
      generationId: `${c.certificateId.slice(0, 8)}-${c.lastModifiedDate}`,
      validity: { notBefore: c.notBefore, notAfter: c.notAfter },
      certificateMode: c.certificateMode,
    },
  };
}

/** Newest first unless ascendingOrder, ordered by creation date as AWS documents. */
function listCertificates(input: OpInput, ctx: OpContext) {
  const all = [...ctx.state.certificates.values()].sort(
    (a, b) => a.creationDate - b.creationDate || (a.certificateId < b.certificateId ? -1 : 1),
  );
  if (optBool(input, 'ascendingOrder') !== true) all.reverse();
  const { page, next } = paginate(all, input, MARKER_PAGES);
  return {
    certificates: page.map((c) => ({
      certificateArn: c.certificateArn,
      certificateId: c.certificateId,
      status: c.status,
      certificateMode: c.certificateMode,
      creationDate: c.creationDate,
    })),
    nextMarker: next,
  };
}

function updateCertificate(input: OpInput, ctx: OpContext) {
  const c = getCertificate(ctx.state, input);
  const newStatus = reqString(input, 'newStatus') as CertificateStatus;
  if (!STATUSES.includes(newStatus)) throw errors.invalidRequest(`Invalid newStatus: ${newStatus}`);
  if (newStatus === 'PENDING_TRANSFER' || newStatus === 'PENDING_ACTIVATION') {
    throw errors.invalidRequest(`The certificate status cannot be set to ${newStatus} through UpdateCertificate`);
  }
  if (c.status === 'REVOKED' && newStatus !== 'REVOKED') {
    throw errors.certificateState(`Certificate ${c.certificateId} is REVOKED and its status cannot be changed`);
  }
  if (c.status === 'PENDING_TRANSFER') {
    throw errors.certificateState(`Certificate ${c.certificateId} has a pending transfer`);
  }
  if (c.status !== newStatus) {
    c.status = newStatus;
    c.lastModifiedDate = ctx.now();
  }
  return {};
}

/** Policies attached to a principal (certificate ARN or Cognito id). */
export function policiesOf(state: EmulatorState, target: string): string[] {
  const names: string[] = [];
  for (const p of state.policies.values()) if (p.targets.has(target)) names.push(p.policyName);
  return names;
}

function deleteCertificate(input: OpInput, ctx: OpContext) {
  const { state } = ctx;
  const c = getCertificate(state, input);
  if (c.status === 'ACTIVE') {
    throw errors.certificateState(`Certificate must be deactivated (not ACTIVE) before deletion. Id: ${c.certificateId}`);
  }
  if ((state.thingPrincipals.get(c.certificateArn)?.size ?? 0) > 0 || detachPending(ctx, c.lastThingDetachedAt)) {
    throw errors.deleteConflict(`Things must be detached before deletion (arn: ${c.certificateArn})`);
  }
  const attached = policiesOf(state, c.certificateArn);
  if (attached.length > 0 && optBool(input, 'forceDelete') !== true) {
    throw errors.deleteConflict(`Certificate policies must be detached before deletion (arn: ${c.certificateArn})`);
  }
  for (const name of attached) {
    const policy = state.policies.get(name)!;
    policy.targets.delete(c.certificateArn);
    policy.lastDetachedAt = ctx.now();
  }
  state.thingPrincipals.delete(c.certificateArn);
  state.certificates.delete(c.certificateId);
  return {};
}

export const certificateOps: OpTable = {
  CreateKeysAndCertificate: createKeysAndCertificateOp,
  CreateCertificateFromCsr: createCertificateFromCsr,
  RegisterCertificateWithoutCA: registerCertificateWithoutCa,
  RegisterCertificate: registerCertificate,
  DescribeCertificate: describeCertificate,
  ListCertificates: listCertificates,
  UpdateCertificate: updateCertificate,
  DeleteCertificate: deleteCertificate,
};
