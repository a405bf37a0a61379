// Ownership of taggable resources as the readers decide it (src/kinds/types.ts):
// - scope: a listed resource is read in detail when the fleet names it or the ownership ledger
//   claims it; without a ledger (never applied by this version), or beyond a full one, when its
//   tag says it is ours;
// - proof: the ledger entry matches the resource's identity, else its `iotops:managed-by` tag.
// Tags are read (one ListTagsForResource each, 10 TPS) only where needed: the proof rests on
// them, or the manifest declares tags so they must be compared. A fleet in sync whose manifests
// declare no tags plans without a single tag read.
import type { DesiredState } from '../../model/resource.js';
import { type ReadContext } from '../types.js';
import { MANAGED_BY_TAG, type Ownership } from '../../model/live.js';
import { unlessNotFound } from './aws-errors.js';
import { memo } from './concurrency.js';
import { claims, isComplete, proves, type LedgerKind, type OwnershipLedger } from './ownership-ledger.js';
import { readTags } from './tags.js';

export interface Owned {
  readonly ownership: Ownership;
  /** Present when they were read (see LiveResource.tags). */
  readonly tags?: Record<string, string>;
  readonly identity?: string;
}

export interface OwnershipResolver {
  /** Whether a listed resource is in the reader's scope. */
  covers(name: string, arn: string): Promise<boolean>;
  /** Ownership (and tags when needed) of an in-scope resource; undefined when it vanished meanwhile. */
  resolve(name: string, arn: string, identity: string | undefined): Promise<Owned | undefined>;
}

/**
 * `named`: resources the fleet names (declared, or referenced like a certificate's policies); they
 * are in scope whatever their ownership. Tags are compared for the declared ones that have tags.
 * `withoutLedger`: what `covers` does when the fleet has no ledger. `tags` (default) reads the
 * resource's tag to decide; `detail` covers everything, for readers that must read the detail
 * anyway to know whether a resource is theirs (a group's type) and resolve only those.
 */
export async function ownershipResolver(
  ctx: ReadContext,
  kind: LedgerKind,
  named: ReadonlySet<string>,
  withoutLedger: 'tags' | 'detail' = 'tags',
): Promise<OwnershipResolver> {
  const ledger: OwnershipLedger = await ctx.ownershipLedger();
  const withTags = tagsDeclared(ctx.desired, kind);
  const tagsOf = memo((arn: string) => unlessNotFound(() => readTags(ctx.api, arn)));
  return {
    async covers(name, arn) {
      if (named.has(name)) return true;
      if (claims(ledger, kind, name)) return true;
      if (isComplete(ledger)) return false;
      if (withoutLedger === 'detail') return true;
      return (await tagsOf(arn))?.[MANAGED_BY_TAG] === ctx.fleetId;
    },
    async resolve(name, arn, identity) {
      const proven = proves(ledger, kind, name, identity);
      const idPart = identity !== undefined ? { identity } : {};
      if (proven && !withTags.has(name)) return { ownership: 'managed', ...idPart };
      const tags = await tagsOf(arn);
      if (tags === undefined) return undefined;
      const ownership: Ownership = proven || tags[MANAGED_BY_TAG] === ctx.fleetId ? 'managed' : 'unmanaged';
      return { ownership, tags, ...idPart };
    },
  };
}

/** Names of the `kind` resources whose manifests declare `metadata.tags`. */
function tagsDeclared(desired: DesiredState, kind: LedgerKind): Set<string> {
  const out = new Set<string>();
  for (const r of desired.resources) if (r.kind === kind && r.tags !== undefined) out.add(r.name);
  return out;
}

/** AWS returns timestamps as Dates; identities are compared as text. */
export function timeIdentity(date: Date | undefined): string | undefined {
  return date === undefined ? undefined : String(date.getTime());
}
