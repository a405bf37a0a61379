// The certificate ledger: AWS-side record of which certificate a Certificate handle stands for.
// Device certificates cannot be tagged, and a generated certificate has nothing else tying it to
// its handle (a local file in the secrets directory does not exist on another machine), so every
// certificate iotops creates, registers or adopts is recorded as one attribute of the fleet's
// inventory thing group, readable in bulk with a single DescribeThingGroup:
//   iotops.cert.<handle> = <certificateId>,<source>,<handle>
// where <source> is `pem`, `generate` or `csr:<first 16 hex of SHA-256 of the CSR's public key>`.
// Writes use attribute merge (one key per handle), so concurrent writers never clobber each other.
// Capacity: AWS allows 50 attributes per group; handles beyond that are not recorded (see
// recordInLedger) and are identified without the ledger.
import { createHash } from 'node:crypto';
import type { IotApi } from '../../aws/iot-api.js';
import { inventoryGroupName } from '../../model/live.js';
import { ensureInventoryGroup } from '../shared/inventory.js';
import { isAwsError } from '../../aws/errors.js';

export const LEDGER_PREFIX = 'iotops.cert.';
/** AWS's attribute-name limit. */
const MAX_KEY = 128;

export interface LedgerEntry {
  readonly handle: string;
  readonly certificateId: string;
  /** `pem`, `generate` or `csr:<fingerprint>`. */
  readonly source: string;
}

/** Attribute name for a handle; handles too long for the 128-char limit are hashed (the value keeps the handle). */
export function ledgerKey(handle: string): string {
  const key = `${LEDGER_PREFIX}${handle}`;
  if (key.length <= MAX_KEY) return key;
  return `${LEDGER_PREFIX}#${createHash('sha256').update(handle).digest('hex').slice(0, 40)}`;
}

export function ledgerValue(entry: LedgerEntry): string {
  return `${entry.certificateId},${entry.source},${entry.handle}`;
}

/** Ledger entries among a group's attributes (other attributes are ignored). */
export function parseLedger(attributes: Readonly<Record<string, string>>): Map<string, LedgerEntry> {
  const out = new Map<string, LedgerEntry>();
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.startsWith(LEDGER_PREFIX)) continue;
    const [certificateId, source, ...rest] = value.split(',');
    const handle = rest.join(',');
    if (!certificateId || !source || !handle || ledgerKey(handle) !== key) continue;
    out.set(handle, { handle, certificateId, source });
  }
  return out;
}

export interface InventoryGroup {
  readonly exists: boolean;
  readonly description?: string;
  readonly ledger: Map<string, LedgerEntry>;
}

export async function readLedger(api: IotApi, fleetId: string): Promise<InventoryGroup> {
  try {
    const g = await api.send('DescribeThingGroup', { thingGroupName: inventoryGroupName(fleetId) });
    const props = g.thingGroupProperties;
    return {
      exists: true,
      ...(props?.thingGroupDescription !== undefined ? { description: props.thingGroupDescription } : {}),
      ledger: parseLedger(props?.attributePayload?.attributes ?? {}),
    };
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return { exists: false, ledger: new Map() };
    throw err;
  }
}

async function mergeAttribute(api: IotApi, fleetId: string, key: string, value: string): Promise<void> {
  const current = await readLedger(api, fleetId);
  if (!current.exists) {
    if (value === '') return;
    await ensureInventoryGroup(api, fleetId);
  }
  await api.send('UpdateThingGroup', {
    thingGroupName: inventoryGroupName(fleetId),
    thingGroupProperties: {
      // Re-sent unchanged: AWS's handling of an omitted description is not something to rely on.
      ...(current.description !== undefined ? { thingGroupDescription: current.description } : {}),
      attributePayload: { attributes: { [key]: value }, merge: true },
    },
  });
}

/**
 * Records a handle. Best effort: a thing group holds at most 50 attributes, and a full ledger must
 * not fail the certificate step (identity then falls back to the PEM id, the CSR key or a unique
 * attachment to managed things). Returns whether the entry was written.
 */
export async function recordInLedger(api: IotApi, fleetId: string, entry: LedgerEntry): Promise<boolean> {
  try {
    await mergeAttribute(api, fleetId, ledgerKey(entry.handle), ledgerValue(entry));
    return true;
  } catch (err) {
    if (isAwsError(err, 'InvalidRequestException', 'LimitExceededException')) return false;
    throw err;
  }
}

/** With merge, an empty value removes the attribute. */
export async function removeFromLedger(api: IotApi, fleetId: string, handle: string): Promise<void> {
  await mergeAttribute(api, fleetId, ledgerKey(handle), '');
}
