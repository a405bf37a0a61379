// Names iotops keeps for itself in every account: each fleet's inventory and ownership ledger are
// static thing groups (src/model/live.ts, ./ownership-ledger.ts), for every fleet id.
import { diagAt, type Emit } from '../../document/context.js';
import type { Declared } from '../../document/normalize.js';

const RESERVED_GROUP_PREFIXES = ['iotops-inventory-', 'iotops-ledger-'];

/** Validate rule of both group kinds: a declared group must not take one of iotops's own names. */
export function checkReservedGroupName(d: Declared, emit: Emit): void {
  const prefix = RESERVED_GROUP_PREFIXES.find((p) => d.resource.name.startsWith(p));
  if (!prefix) return;
  emit(diagAt(d.ctx, 'reserved-name', ['metadata', 'name'], `thing group names starting with ${prefix} are iotops's own (a fleet's inventory and ownership ledger); choose another name`));
}
