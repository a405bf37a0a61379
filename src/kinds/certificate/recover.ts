// Crash recovery of `generate: true` certificates (Kind.recover, run by src/apply/recover.ts
// before the plan). A create interrupted between CreateKeysAndCertificate and writing the private key leaves
// an ACTIVE certificate in AWS whose key nobody has; the next create issues another one. What the
// journal (./generate-journal.ts) proves decides what happens to it:
//   (a) its id was journaled and no secrets directory holds its key: ours and useless, so it is
//       deleted (detach policies → detach things → INACTIVE → delete). Not when the ledger records
//       it (someone may hold the key): left and reported.
//   (b) the call was in flight (no id): look for certificates created inside the call's window
//       that nothing claims (ACTIVE, no thing, no policy, not in the ledger, not journaled, not a
//       declared PEM or CSR, no key in a secrets directory). Deleted only when there are no more of
//       them than interrupted calls in that window; otherwise they may be someone else's and are
//       left and reported by id.
// Ids only are reported or logged, never key material.
import type { IotApi } from '../../aws/iot-api.js';
import { paginate } from '../../aws/paginate.js';
import type { DesiredResourceOf, DesiredState } from '../../model/resource.js';
import { unlessNotFound } from '../shared/aws-errors.js';
import { mapLimit } from '../shared/concurrency.js';
import { deleteCertificate } from './apply.js';
import { interruptedGenerateOf, type InterruptedGenerate } from './generate-journal.js';
import type { InterruptedStep, KindRecovery, RecoveryContext } from '../types.js';
import { certificateKeyFingerprint, publicKeyFingerprint } from './identity.js';
import { readLedger } from './ledger.js';
import { attachedPolicies, attachedThings } from './read.js';
import { hasLocalKey, localCertificateIds } from './secrets.js';

/** Tolerated difference between the local clock and AWS's creationDate. */
export const CLOCK_SKEW_MS = 5_000;
/**
 * How long after `startedAt` AWS may still create the certificate: one attempt's connection and
 * request timeouts (src/aws/client.ts: 5 s + 60 s). A call that waited longer (token bucket,
 * retries) falls outside the window: its certificate is then not found, never wrongly deleted.
 */
export const GENERATE_CALL_WINDOW_MS = 65_000;

const CONCURRENCY = 4;

export interface CertificateRecovery {
  /** Keyless certificates of interrupted creates, deleted. */
  readonly deleted: readonly string[];
  /** Handles whose interrupted create's key was found locally (kept; a torn write was completed). */
  readonly keyFound: readonly string[];
  /** Possibly ours but not provably: left in place, to be checked by an operator. */
  readonly leftInPlace: readonly string[];
}

interface Window {
  readonly from: number;
  readonly to: number;
  begins: number;
}

function windowsOf(pending: readonly InterruptedGenerate[]): Window[] {
  const sorted = [...pending].sort((a, b) => a.startedAt - b.startedAt);
  const merged: Window[] = [];
  for (const p of sorted) {
    const from = p.startedAt - CLOCK_SKEW_MS;
    const to = p.startedAt + GENERATE_CALL_WINDOW_MS + CLOCK_SKEW_MS;
    const last = merged[merged.length - 1];
    // Overlapping windows are one window: a certificate in the overlap could be either call's.
    if (last && from <= last.to) merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, to), begins: last.begins + 1 };
    else merged.push({ from, to, begins: 1 });
  }
  return merged;
}

async function described(api: IotApi, certificateId: string): Promise<{ readonly pem: string; readonly arn: string } | undefined> {
  const d = (await unlessNotFound(() => api.send('DescribeCertificate', { certificateId })))?.certificateDescription;
  return d?.certificatePem === undefined ? undefined : { pem: d.certificatePem, arn: d.certificateArn ?? '' };
}

interface Listed {
  readonly certificateId: string;
  readonly arn: string;
  readonly status: string;
  readonly created: number;
}

/** Certificates created at or after `since`: ListCertificates is newest first, so paging stops there. */
async function listedSince(api: IotApi, since: number): Promise<Listed[]> {
  const out: Listed[] = [];
  for await (const page of paginate(api, 'ListCertificates', { ascendingOrder: false })) {
    for (const c of page.certificates ?? []) {
      const created = c.creationDate?.getTime();
      if (c.certificateId === undefined || c.certificateArn === undefined || created === undefined) continue;
      out.push({ certificateId: c.certificateId, arn: c.certificateArn, status: c.status ?? '', created });
    }
    const oldest = out[out.length - 1]?.created;
    if (oldest !== undefined && oldest < since) break;
  }
  return out;
}

async function recoverGeneratedCertificates(props: {
  readonly api: IotApi;
  readonly fleetId: string;
  readonly interrupted: readonly InterruptedGenerate[];
  /** The secrets directory of this run (the journal names the one each interrupted create used). */
  readonly secretsDir: string;
  readonly desired?: DesiredState;
}): Promise<CertificateRecovery> {
  const { api } = props;
  const deleted: string[] = [];
  const keyFound: string[] = [];
  const leftInPlace: string[] = [];
  if (props.interrupted.length === 0) return { deleted, keyFound, leftInPlace };
  const ledger = (await readLedger(api, props.fleetId)).ledger;
  const recorded = new Set([...ledger.values()].map((e) => e.certificateId));
  const dirsOf = (g: InterruptedGenerate): string[] => [...new Set([g.secretsDir, props.secretsDir])];

  // (a) The id is known: the certificate is ours; the only question is whether its key survived.
  const known = props.interrupted.filter((g): g is InterruptedGenerate & { certificateId: string } => g.certificateId !== undefined);
  for (const g of known) {
    const cert = await described(api, g.certificateId);
    if (cert === undefined) continue;
    let found = false;
    for (const dir of dirsOf(g)) found ||= await hasLocalKey(dir, g.handle, { certificateId: g.certificateId, certificatePem: cert.pem });
    if (found) keyFound.push(g.handle);
    else if (recorded.has(g.certificateId)) leftInPlace.push(g.certificateId);
    else {
      await deleteCertificate(api, { certificateId: g.certificateId, arn: cert.arn });
      deleted.push(g.certificateId);
    }
  }

  // (b) The call was in flight: only creation time links AWS's certificate to it.
  const pending = props.interrupted.filter((g) => g.certificateId === undefined);
  if (pending.length > 0) {
    const windows = windowsOf(pending);
    const excluded = new Set([...recorded, ...known.map((g) => g.certificateId)]);
    for (const d of props.desired?.resources ?? []) {
      const source = d.kind === 'Certificate' ? (d as DesiredResourceOf<'Certificate'>).spec.source : undefined;
      if (source?.type === 'pem') excluded.add(source.certificateId);
    }
    for (const dir of new Set(pending.flatMap(dirsOf))) for (const id of await localCertificateIds(dir)) excluded.add(id);
    const csrKeys = new Set(
      (props.desired?.resources ?? []).flatMap((d) => {
        const source = d.kind === 'Certificate' ? (d as DesiredResourceOf<'Certificate'>).spec.source : undefined;
        return source?.type === 'csr' ? [publicKeyFingerprint(source.publicKeyPem) ?? ''] : [];
      }),
    );

    const since = Math.min(...windows.map((w) => w.from));
    const inWindow = (await listedSince(api, since)).flatMap((c) => {
      if (c.status !== 'ACTIVE' || excluded.has(c.certificateId)) return [];
      const w = windows.find((x) => c.created >= x.from && c.created <= x.to);
      return w ? [{ certificateId: c.certificateId, arn: c.arn, window: w }] : [];
    });
    const unclaimed = await mapLimit(inWindow, CONCURRENCY, async (c) => {
      if ((await attachedThings(api, c.arn)).length > 0 || (await attachedPolicies(api, c.arn)).length > 0) return undefined;
      if (csrKeys.size > 0) {
        const pem = (await described(api, c.certificateId))?.pem;
        const fp = pem === undefined ? undefined : certificateKeyFingerprint(pem);
        if (fp === undefined || csrKeys.has(fp)) return undefined;
      }
      return c;
    });
    for (const w of windows) {
      const candidates = unclaimed.filter((c): c is NonNullable<typeof c> => c !== undefined && c.window === w);
      if (candidates.length > w.begins) {
        leftInPlace.push(...candidates.map((c) => c.certificateId));
        continue;
      }
      for (const c of candidates) {
        await deleteCertificate(api, { certificateId: c.certificateId, arn: c.arn });
        deleted.push(c.certificateId);
      }
    }
  }
  return { deleted: deleted.sort(), keyFound: keyFound.sort(), leftInPlace: leftInPlace.sort() };
}

/** Kind.recover of certificates: the interrupted generates among the journal's steps. */
export async function recoverCertificates(steps: readonly InterruptedStep[], ctx: RecoveryContext): Promise<KindRecovery> {
  const interrupted = steps.flatMap((s): InterruptedGenerate[] => {
    const g = interruptedGenerateOf(s.name, s.notes);
    return g ? [g] : [];
  });
  const r = await recoverGeneratedCertificates({ api: ctx.api, fleetId: ctx.fleetId, interrupted, secretsDir: ctx.secretsDir, ...(ctx.desired ? { desired: ctx.desired } : {}) });
  return {
    outcomes: { deleted: r.deleted, keyFound: r.keyFound, leftInPlace: r.leftInPlace },
    notices: [
      ...(r.deleted.length > 0 ? [{ severity: 'info' as const, message: `deleted ${r.deleted.length} keyless certificate(s) left by interrupted creates`, subjects: r.deleted }] : []),
      ...(r.leftInPlace.length > 0
        ? [
            {
              severity: 'warning' as const,
              message: `${r.leftInPlace.length} certificate(s) may be keyless leftovers of interrupted creates but cannot be proven iotops's, so they were left in place (check and delete them yourself if they are)`,
              subjects: r.leftInPlace,
            },
          ]
        : []),
    ],
  };
}
