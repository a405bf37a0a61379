// Certificate read. Identity of each declared handle, in order:
//   1. the ledger (inventory-group attribute written when iotops created/registered/adopted it);
//   2. pem: the certificate id (SHA-256 of the DER) computed locally;
//   3. csr: among certificates attached to the declared things, the one whose public key is the
//      CSR's (DescribeCertificate only for those few candidates);
//   4. generate: among certificates attached to the declared things and claimed by no other
//      handle, the newest. Managed when it is the only such certificate and sits on a managed
//      thing; with several candidates it is reported unmanaged (adopt) until recorded.
// Status comes from ListCertificates (largest pages, src/aws/paginate.ts); things from ListPrincipalThings per certificate
// in scope (the only complete source: a certificate may be attached to things the fleet no longer
// names); policies from the Policy reader's targets. Undeclared ledger handles are read too, so
// prune can remove them.
import type { IotApi } from '../../aws/iot-api.js';
import { listAll } from '../../aws/paginate.js';
import type { DesiredResourceOf } from '../../model/resource.js';
import type { CertificateSpec } from './spec.js';
import type { PolicyLiveState } from '../policy/read.js';
import { arnResource } from '../shared/arns.js';
import { mapLimit, memo, READ_CONCURRENCY } from '../shared/concurrency.js';
import { unlessNotFound } from '../shared/aws-errors.js';
import { normSet } from '../shared/diff.js';
import { type ReadContext } from '../types.js';
import { inventoryGroupName, type LiveResource } from '../../model/live.js';
import { certificateKeyFingerprint, publicKeyFingerprint, sourceTag } from './identity.js';
import { readLedger, type LedgerEntry } from './ledger.js';

export type IdentifiedBy = 'ledger' | 'certificate-id' | 'csr-public-key' | 'attachment';

export interface CertificateLiveState {
  readonly certificateId: string;
  readonly arn: string;
  readonly status: string;
  /** Things the certificate is attached to (all of them), sorted. */
  readonly things: readonly string[];
  /** Policies in scope (declared or managed) attached to it, sorted. */
  readonly policies: readonly string[];
  /** Ledger source tag (`pem`, `generate`, `csr:<fp>`), or `unknown` when not recorded. */
  readonly source: string;
  readonly identifiedBy: IdentifiedBy;
  /** Other unrecorded certificates on the declared things that could also be this handle's. */
  readonly otherCandidates?: readonly string[];
}

export type CertificateLive = LiveResource<'Certificate', CertificateLiveState>;

interface ListedCertificate {
  readonly arn: string;
  readonly status: string;
  readonly created: number;
}

interface Identified {
  readonly handle: string;
  readonly certificateId: string;
  readonly source: string;
  readonly identifiedBy: IdentifiedBy;
  readonly otherCandidates?: readonly string[];
}

const certIdOfArn = (arn: string): string | undefined => {
  const r = arnResource(arn);
  return r?.type === 'cert' ? r.id : undefined;
};

export async function attachedThings(api: IotApi, arn: string): Promise<string[]> {
  return listAll(api, 'ListPrincipalThings', { principal: arn }, (page) => page.things);
}

export async function attachedPolicies(api: IotApi, arn: string): Promise<string[]> {
  const policies = await listAll(api, 'ListAttachedPolicies', { target: arn }, (page) => page.policies);
  return policies.flatMap((p) => (p.policyName === undefined ? [] : [p.policyName]));
}

export async function readCertificates(ctx: ReadContext): Promise<CertificateLive[]> {
  const { api, fleetId } = ctx;
  const desired = ctx.desired.resources.filter((r): r is DesiredResourceOf<'Certificate'> => r.kind === 'Certificate');
  const [inventory, certificates, managedThings] = await Promise.all([
    readLedger(api, fleetId),
    listAll(api, 'ListCertificates', {}, (page) => page.certificates),
    unlessNotFound(() => ctx.groupMembers(inventoryGroupName(fleetId))),
  ]);
  const listed = new Map<string, ListedCertificate>();
  for (const c of certificates) {
    if (c.certificateId === undefined || c.certificateArn === undefined) continue;
    listed.set(c.certificateId, { arn: c.certificateArn, status: c.status ?? 'ACTIVE', created: c.creationDate?.getTime() ?? 0 });
  }
  const ledger = new Map([...inventory.ledger].filter(([, e]) => listed.has(e.certificateId)));

  // Ids some handle already accounts for: never guessed to be another handle's certificate.
  const claimed = new Set<string>([...ledger.values()].map((e) => e.certificateId));
  for (const d of desired) if (d.spec.source.type === 'pem') claimed.add(d.spec.source.certificateId);

  const principalsOf = memo((thingName: string) =>
    unlessNotFound(() => listAll(api, 'ListThingPrincipals', { thingName }, (page) => page.principals)).then((principals) => (principals ?? []).flatMap((a) => certIdOfArn(a) ?? [])),
  );
  const keyOf = memo((certificateId: string) =>
    unlessNotFound(() => api.send('DescribeCertificate', { certificateId })).then((d) =>
      d?.certificateDescription?.certificatePem ? certificateKeyFingerprint(d.certificateDescription.certificatePem) : undefined,
    ),
  );
  // Candidates are unclaimed listed certificates: when there is none (a first apply), asking each
  // thing for its principals (ListThingPrincipals, 10 TPS) would cost minutes for nothing.
  const unclaimedListed = (): boolean => [...listed.keys()].some((id) => !claimed.has(id));
  const candidatesOf = async (spec: CertificateSpec): Promise<string[]> => {
    if (!unclaimedListed()) return [];
    const ids = (await mapLimit(spec.things, READ_CONCURRENCY, principalsOf)).flat();
    return normSet(ids).filter((id) => listed.has(id) && !claimed.has(id));
  };

  const thingsOf = memo((arn: string) => unlessNotFound(() => attachedThings(api, arn)));
  // The identification below is sequential (each claim narrows the next handle's candidates), but
  // its reads are not: ask now for the principals of every thing a candidate search will look at
  // (ListThingPrincipals), and for the things of every certificate as soon as it is identified
  // (ListPrincipalThings). The two APIs have separate 10 TPS limits, so at a thousand
  // certificates this halves the read; the loop and the last step find the answers cached.
  const warm = <T>(p: Promise<T>): void => void p.catch(() => undefined);
  const known = [...ledger.values()].map((e) => e.certificateId);
  for (const d of desired) if (d.spec.source.type === 'pem' && listed.has(d.spec.source.certificateId)) known.push(d.spec.source.certificateId);
  for (const id of known) warm(thingsOf((listed.get(id) as ListedCertificate).arn));
  if (unclaimedListed()) {
    for (const d of desired) if (!ledger.has(d.name) && d.spec.source.type !== 'pem') for (const t of d.spec.things) warm(principalsOf(t));
  }

  const identified: Identified[] = [];
  // csr before generate: a key match is proof, so those claims are settled first.
  const order = (d: DesiredResourceOf<'Certificate'>): number => (d.spec.source.type === 'generate' ? 1 : 0);
  for (const d of [...desired].sort((a, b) => order(a) - order(b))) {
    const entry = ledger.get(d.name);
    const source = d.spec.source;
    if (entry) {
      identified.push({ handle: d.name, certificateId: entry.certificateId, source: entry.source, identifiedBy: 'ledger' });
    } else if (source.type === 'pem') {
      if (listed.has(source.certificateId)) {
        identified.push({ handle: d.name, certificateId: source.certificateId, source: 'unknown', identifiedBy: 'certificate-id' });
      }
    } else if (source.type === 'csr') {
      const want = publicKeyFingerprint(source.publicKeyPem);
      const candidates = await candidatesOf(d.spec);
      const keys = await mapLimit(candidates, READ_CONCURRENCY, keyOf);
      const match = candidates.filter((_, i) => want !== undefined && keys[i] === want);
      const pick = newest(match, listed);
      if (pick !== undefined) {
        claimed.add(pick);
        warm(thingsOf((listed.get(pick) as ListedCertificate).arn));
        identified.push({ handle: d.name, certificateId: pick, source: sourceTag(source), identifiedBy: 'csr-public-key' });
      }
    } else {
      const candidates = await candidatesOf(d.spec);
      const pick = newest(candidates, listed);
      if (pick !== undefined) {
        claimed.add(pick);
        warm(thingsOf((listed.get(pick) as ListedCertificate).arn));
        const others = candidates.filter((c) => c !== pick);
        identified.push({
          handle: d.name,
          certificateId: pick,
          source: 'unknown',
          identifiedBy: 'attachment',
          ...(others.length > 0 ? { otherCandidates: others } : {}),
        });
      }
    }
  }
  const declared = new Set(desired.map((d) => d.name));
  for (const entry of ledger.values()) {
    if (!declared.has(entry.handle)) identified.push(fromLedger(entry));
  }

  const policies = (await ctx.live('Policy')) as readonly LiveResource<'Policy', PolicyLiveState>[];
  const policiesByTarget = new Map<string, string[]>();
  for (const p of policies) for (const t of p.state.targets ?? []) policiesByTarget.set(t, [...(policiesByTarget.get(t) ?? []), p.name]);

  const live = await mapLimit(identified, READ_CONCURRENCY, async (i): Promise<CertificateLive> => {
    const cert = listed.get(i.certificateId) as ListedCertificate;
    const things = normSet(await thingsOf(cert.arn));
    // Attachment to a managed thing is ownership proof (src/kinds/types.ts) once identity is
    // certain: by id, by CSR key, or as the only unrecorded certificate on the declared things.
    const identityCertain = i.identifiedBy !== 'attachment' || i.otherCandidates === undefined;
    const onManagedThing = managedThings !== undefined && things.some((t) => managedThings.has(t));
    return {
      kind: 'Certificate',
      name: i.handle,
      ownership: i.identifiedBy === 'ledger' || (identityCertain && onManagedThing) ? 'managed' : 'unmanaged',
      tags: {},
      state: {
        certificateId: i.certificateId,
        arn: cert.arn,
        status: cert.status,
        things,
        policies: normSet(policiesByTarget.get(cert.arn)),
        source: i.source,
        identifiedBy: i.identifiedBy,
        ...(i.otherCandidates ? { otherCandidates: i.otherCandidates } : {}),
      },
    };
  });
  return live.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function fromLedger(entry: LedgerEntry): Identified {
  return { handle: entry.handle, certificateId: entry.certificateId, source: entry.source, identifiedBy: 'ledger' };
}

function newest(ids: readonly string[], listed: ReadonlyMap<string, ListedCertificate>): string | undefined {
  return [...ids].sort((a, b) => (listed.get(b)?.created ?? 0) - (listed.get(a)?.created ?? 0) || (a < b ? -1 : 1))[0];
}
