// The ownership ledger: one AWS-side record, readable with a single DescribeThingGroup, of the
// taggable resources this fleet manages. The `iotops:managed-by` tag stays on every resource, but
// AWS has no bulk tag read (ListTagsForResource is one call per resource at 10 TPS), so reading
// the mark of every policy, group, rule, job and type made tags the slowest part of a plan.
//
// Where: the attributes of the thing group `iotops-ledger-<fleetId>` (AWS allows 50 attributes of
// up to 800 characters per group). Each managed resource is one 18-character entry:
//   <12 chars: hash of kind + name><6 chars: hash of the resource's identity>
// packed comma-separated into attributes `iotops.own.00` … `iotops.own.47`, plus `iotops.own.v`.
// The identity is what AWS assigns at creation and never reuses for a same-named successor (a
// thing group's id, a policy's, rule's, job's or type's creation time), so an entry proves
// ownership only of the very resource iotops created or adopted: a same-named resource someone
// made after deleting ours does not match, and its tags decide as before.
// A *pending* entry (identity `......`) is written before a create runs: it proves nothing but
// keeps the resource in the readers' scope, so a crash between the create and the ledger update
// never hides a resource iotops tagged from a later prune.
// Capacity: 48 × 42 = 2,016 entries; resources beyond that are not recorded, and a full ledger
// makes the readers read the tags of what it does not claim, as before the ledger existed. So does
// no ledger group at all (a fleet never applied by this version, or a deleted ledger).
import { createHash } from 'node:crypto';
import type { IotApi } from '../../aws/iot-api.js';
import type { KindName } from '../../model/resource.js';
import { MANAGED_BY_TAG } from '../../model/live.js';
import { isAwsError } from '../../aws/errors.js';

/** Kinds the ledger records: the taggable kinds, which say what identity to record (Kind.readIdentity). */
export type LedgerKind = KindName;

export function ledgerGroupName(fleetId: string): string {
  return `iotops-ledger-${fleetId}`;
}

export const LEDGER_DESCRIPTION = 'iotops ownership ledger: resources managed by this fleet (do not edit)';

const PREFIX = 'iotops.own.';
const VERSION_KEY = `${PREFIX}v`;
const VERSION = '1';
const NAME_HASH = 12;
const IDENTITY_HASH = 6;
const ENTRY = NAME_HASH + IDENTITY_HASH;
/** AWS: attribute values ≤ 800 characters, 50 attributes per group (one is the version, one spare). */
const MAX_VALUE = 800;
const MAX_CHUNKS = 48;
export const LEDGER_CAPACITY = MAX_CHUNKS * Math.floor((MAX_VALUE + 1) / (ENTRY + 1));
export const PENDING = '.'.repeat(IDENTITY_HASH);

function hash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}

export function nameKey(kind: LedgerKind, name: string): string {
  return hash(`${kind}\n${name}`, NAME_HASH);
}

export function identityKey(identity: string): string {
  return hash(identity, IDENTITY_HASH);
}

/** Entries: name key → identity key (or PENDING). */
export type LedgerEntries = ReadonlyMap<string, string>;

export interface OwnershipLedger {
  /** False when the ledger group does not exist: readers fall back to reading every tag. */
  readonly exists: boolean;
  readonly entries: LedgerEntries;
  /** The group's version, for UpdateThingGroup's expectedVersion. */
  readonly version?: number;
}

/**
 * Whether the ledger can stand for the fleet's whole scope: it exists and was not cut at capacity
 * (then some managed resources are recorded nowhere but in their tags).
 */
export function isComplete(ledger: OwnershipLedger): boolean {
  return ledger.exists && ledger.entries.size < LEDGER_CAPACITY;
}

export function claims(ledger: OwnershipLedger, kind: LedgerKind, name: string): boolean {
  return ledger.entries.has(nameKey(kind, name));
}

/** True when the ledger records exactly this resource (same kind, name and identity). */
export function proves(ledger: OwnershipLedger, kind: LedgerKind, name: string, identity: string | undefined): boolean {
  return identity !== undefined && ledger.entries.get(nameKey(kind, name)) === identityKey(identity);
}

export function parseLedger(attributes: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  if (attributes[VERSION_KEY] !== VERSION) return out;
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.startsWith(PREFIX) || key === VERSION_KEY) continue;
    for (const entry of value.split(',')) if (entry.length === ENTRY) out.set(entry.slice(0, NAME_HASH), entry.slice(NAME_HASH));
  }
  return out;
}

/** The group attributes for `entries`: sorted, packed into chunks; entries beyond capacity are dropped. */
export function encodeLedger(entries: LedgerEntries): Record<string, string> {
  const sorted = [...entries].map(([k, v]) => `${k}${v}`).sort();
  const out: Record<string, string> = { [VERSION_KEY]: VERSION };
  const perChunk = Math.floor((MAX_VALUE + 1) / (ENTRY + 1));
  for (let c = 0; c < MAX_CHUNKS && c * perChunk < sorted.length; c++) {
    out[`${PREFIX}${String(c).padStart(2, '0')}`] = sorted.slice(c * perChunk, (c + 1) * perChunk).join(',');
  }
  return out;
}

export async function readOwnershipLedger(api: IotApi, fleetId: string): Promise<OwnershipLedger> {
  try {
    const g = await api.send('DescribeThingGroup', { thingGroupName: ledgerGroupName(fleetId) });
    return {
      exists: true,
      entries: parseLedger(g.thingGroupProperties?.attributePayload?.attributes ?? {}),
      ...(g.version !== undefined ? { version: g.version } : {}),
    };
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return { exists: false, entries: new Map() };
    throw err;
  }
}

function sameEntries(a: LedgerEntries, b: LedgerEntries): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/**
 * Rewrites the ledger as `update(current)`, creating the group on first use. Re-reads and retries
 * when another writer got in between (expectedVersion). Returns whether anything was written.
 */
export async function updateOwnershipLedger(
  api: IotApi,
  fleetId: string,
  update: (current: LedgerEntries) => LedgerEntries,
): Promise<boolean> {
  const thingGroupName = ledgerGroupName(fleetId);
  for (let attempt = 0; ; attempt++) {
    const current = await readOwnershipLedger(api, fleetId);
    const next = update(current.entries);
    if (current.exists && sameEntries(current.entries, next)) return false;
    const attributes = encodeLedger(next);
    try {
      if (!current.exists) {
        await api.send('CreateThingGroup', {
          thingGroupName,
          thingGroupProperties: { thingGroupDescription: LEDGER_DESCRIPTION, attributePayload: { attributes } },
          tags: [{ Key: MANAGED_BY_TAG, Value: fleetId }],
        });
        return true;
      }
      // Without merge the attribute map is replaced, so chunks that emptied disappear.
      await api.send('UpdateThingGroup', {
        thingGroupName,
        thingGroupProperties: { thingGroupDescription: LEDGER_DESCRIPTION, attributePayload: { attributes } },
        ...(current.version !== undefined ? { expectedVersion: current.version } : {}),
      });
      return true;
    } catch (err) {
      const raced = isAwsError(err, 'VersionConflictException') || isAwsError(err, 'ResourceAlreadyExistsException') || isAwsError(err, 'ResourceNotFoundException');
      if (!raced || attempt >= 4) throw err;
    }
  }
}
