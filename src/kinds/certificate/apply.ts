// Certificate apply. Each step reads before it writes, so a rerun after a partial failure
// converges without duplicates: a handle already in the ledger (or, for `generate`, whose PEM is in
// the local secrets directory) reuses its certificate instead of issuing another; a PEM that is
// already registered is picked up by its id. The ledger entry is written right after the
// certificate exists, before its attachments (best effort when the ledger is full: ledger.ts).
import type { IotApi } from '../../aws/iot-api.js';
import type { CertificateSpec } from './spec.js';
import type { PlannedChange } from '../../model/plan.js';
import type { ApplyContext } from '../types.js';
import { isAwsError } from '../../aws/errors.js';
import { retryOn, unlessNotFound } from '../shared/aws-errors.js';
import { setDelta } from '../shared/diff.js';
import { desiredOf, liveOf } from '../shared/change-data.js';
import { sourceTag } from './identity.js';
import { readLedger, recordInLedger, removeFromLedger } from './ledger.js';
import { attachedPolicies, attachedThings, type CertificateLiveState } from './read.js';
import { localCertificateId, writeCertificateSecrets } from './secrets.js';

/** DeleteCertificate conflicts for a few seconds after DetachThingPrincipal (asynchronous in AWS). */
export const DELETE_CONFLICT_DELAYS_MS: readonly number[] = [500, 1000, 2000, 3000, 5000, 8000, 10000, 15000];

export interface CertRef {
  readonly certificateId: string;
  readonly arn: string;
}

export async function describe(api: IotApi, certificateId: string): Promise<{ arn: string; status: string } | undefined> {
  const out = await unlessNotFound(() => api.send('DescribeCertificate', { certificateId }));
  if (out === undefined) return undefined;
  const d = out.certificateDescription;
  return { arn: d?.certificateArn ?? '', status: d?.status ?? '' };
}

/**
 * Brings status and attachments to the spec. Policies are detached only when the plan saw them
 * attached (`detachable`): a policy outside the fleet's scope is never touched.
 */
async function converge(api: IotApi, ref: CertRef, spec: CertificateSpec, detachable: readonly string[]): Promise<void> {
  const current = await describe(api, ref.certificateId);
  if (current && current.status !== spec.status && current.status !== 'REVOKED') {
    await api.send('UpdateCertificate', { certificateId: ref.certificateId, newStatus: spec.status });
  }
  const things = setDelta(await attachedThings(api, ref.arn), spec.things);
  for (const thingName of things.add) await api.send('AttachThingPrincipal', { thingName, principal: ref.arn });
  for (const thingName of things.remove) {
    await unlessNotFound(() => api.send('DetachThingPrincipal', { thingName, principal: ref.arn }));
  }
  const policies = setDelta(await attachedPolicies(api, ref.arn), spec.policies);
  for (const policyName of policies.add) await api.send('AttachPolicy', { policyName, target: ref.arn });
  const removable = new Set(detachable);
  for (const policyName of policies.remove.filter((p) => removable.has(p))) {
    await unlessNotFound(() => api.send('DetachPolicy', { policyName, target: ref.arn }));
  }
}

/** Issues or registers the certificate, or finds the one an earlier, failed run made. */
async function obtain(api: IotApi, handle: string, spec: CertificateSpec, ctx: ApplyContext): Promise<CertRef> {
  const recorded = (await readLedger(api, ctx.fleetId)).ledger.get(handle);
  if (recorded && recorded.source === sourceTag(spec.source)) {
    const found = await describe(api, recorded.certificateId);
    if (found) return { certificateId: recorded.certificateId, arn: found.arn };
  }
  const source = spec.source;
  switch (source.type) {
    case 'pem': {
      try {
        const out = source.caCertificatePem
          ? await api.send('RegisterCertificate', { certificatePem: source.certificatePem, caCertificatePem: source.caCertificatePem, status: spec.status })
          : await api.send('RegisterCertificateWithoutCA', { certificatePem: source.certificatePem, status: spec.status });
        return { certificateId: out.certificateId ?? source.certificateId, arn: out.certificateArn ?? '' };
      } catch (err) {
        if (!isAwsError(err, 'ResourceAlreadyExistsException')) throw err;
        const found = await describe(api, source.certificateId);
        if (!found) throw err;
        return { certificateId: source.certificateId, arn: found.arn };
      }
    }
    case 'csr': {
      const out = await api.send('CreateCertificateFromCsr', { certificateSigningRequest: source.csrPem, setAsActive: spec.status === 'ACTIVE' });
      return { certificateId: out.certificateId ?? '', arn: out.certificateArn ?? '' };
    }
    case 'generate': {
      const localId = await localCertificateId(ctx.secretsDir, handle);
      const local = localId === undefined ? undefined : await describe(api, localId);
      if (localId !== undefined && local) return { certificateId: localId, arn: local.arn };
      // Journaled on both sides of the call (./generate-journal.ts): a crash from here until the
      // key is on disk leaves a keyless certificate that the next apply cleans up (./recover.ts).
      const journal = ctx.journal;
      journal?.note('Certificate', handle, { step: 'generate-begin', startedAt: ctx.now(), secretsDir: ctx.secretsDir });
      const out = await api.send('CreateKeysAndCertificate', { setAsActive: spec.status === 'ACTIVE' });
      const ref = { certificateId: out.certificateId ?? '', arn: out.certificateArn ?? '' };
      if (ref.certificateId !== '') journal?.note('Certificate', handle, { step: 'generate-created', certificateId: ref.certificateId });
      try {
        await writeCertificateSecrets(ctx.secretsDir, handle, {
          certificatePem: out.certificatePem ?? '',
          privateKeyPem: out.keyPair?.PrivateKey ?? '',
        });
      } catch (err) {
        // The key exists nowhere else: a certificate nobody can use must not linger.
        await deleteCertificate(api, ref).catch(() => undefined);
        throw err;
      }
      return ref;
    }
  }
}

/** Detach policies → detach things → INACTIVE → DeleteCertificate (retrying the detach lag). */
export async function deleteCertificate(api: IotApi, ref: CertRef): Promise<void> {
  const current = await describe(api, ref.certificateId);
  if (!current) return;
  for (const policyName of await attachedPolicies(api, ref.arn)) {
    await unlessNotFound(() => api.send('DetachPolicy', { policyName, target: ref.arn }));
  }
  for (const thingName of await attachedThings(api, ref.arn)) {
    await unlessNotFound(() => api.send('DetachThingPrincipal', { thingName, principal: ref.arn }));
  }
  if (current.status === 'ACTIVE') await api.send('UpdateCertificate', { certificateId: ref.certificateId, newStatus: 'INACTIVE' });
  await retryOn({ on: ['DeleteConflictException'], delaysMs: DELETE_CONFLICT_DELAYS_MS }, () =>
    unlessNotFound(() => api.send('DeleteCertificate', { certificateId: ref.certificateId })),
  );
}

function liveStateOf(change: PlannedChange): CertificateLiveState {
  const live = liveOf<CertificateLiveState>(change).state;
  if (!live?.certificateId) throw new Error(`Certificate/${change.name}: the planned change carries no live certificate`);
  return live;
}

async function create(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const spec = desiredOf<'Certificate'>(change).spec;
  const ref = await obtain(ctx.api, change.name, spec, ctx);
  await recordInLedger(ctx.api, ctx.fleetId, { handle: change.name, certificateId: ref.certificateId, source: sourceTag(spec.source) });
  await converge(ctx.api, ref, spec, []);
}

async function update(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const spec = desiredOf<'Certificate'>(change).spec;
  const live = liveStateOf(change);
  const ref = { certificateId: live.certificateId, arn: live.arn };
  // Adopting, or identified by id/key/attachment only: record it so identity no longer depends on attachments.
  if (change.action === 'adopt' || live.identifiedBy !== 'ledger') {
    await recordInLedger(ctx.api, ctx.fleetId, { handle: change.name, certificateId: live.certificateId, source: sourceTag(spec.source) });
  }
  await converge(ctx.api, ref, spec, live.policies);
}

async function replace(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const live = liveStateOf(change);
  await deleteCertificate(ctx.api, { certificateId: live.certificateId, arn: live.arn });
  await removeFromLedger(ctx.api, ctx.fleetId, change.name);
  await create(change, ctx);
}

/** Prune: only a certificate the ledger still records for this handle is deleted. */
async function prune(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  const live = liveStateOf(change);
  const recorded = (await readLedger(ctx.api, ctx.fleetId)).ledger.get(change.name);
  if (!recorded) return;
  if (recorded.certificateId !== live.certificateId) {
    throw new Error(`Certificate/${change.name}: the ledger now records another certificate; re-plan before deleting`);
  }
  await deleteCertificate(ctx.api, { certificateId: live.certificateId, arn: live.arn });
  await removeFromLedger(ctx.api, ctx.fleetId, change.name);
}

export async function applyCertificate(change: PlannedChange, ctx: ApplyContext): Promise<void> {
  switch (change.action) {
    case 'create':
      return create(change, ctx);
    case 'update':
    case 'adopt':
      return update(change, ctx);
    case 'replace':
      return replace(change, ctx);
    case 'delete':
      return prune(change, ctx);
  }
}
