// Crash recovery at the start of an apply session: the steps an earlier apply began and never
// finished (src/apply/journal.ts) are handed to their kinds (Kind.recover), which complete them
// where the journal proves iotops started them, before the live state is read, so the fresh plan
// sees those resources as managed and converges them. Kinds without `recover` need nothing (a
// kind that tags in its creating call carries its proof; a create that never reached AWS is simply
// planned again). Every kind with `recover` is asked, in registry order, even with no steps of its
// own: a kind may journal notes outside a begun step.
import type { DesiredState, KindName } from '../model/resource.js';
import type { IotApi } from '../aws/iot-api.js';
import type { KindRecovery, RecoveryNotice } from '../kinds/types.js';
import type { KindRegistry } from '../kinds/registry.js';
import type { ApplyJournal } from './journal.js';

export interface RecoveryReport {
  /** Interrupted steps found in the journal. */
  readonly interrupted: number;
  /** What each kind with a `recover` member did. */
  readonly byKind: Readonly<Partial<Record<KindName, KindRecovery>>>;
  /** Every kind's notices, in registry order. */
  readonly notices: readonly RecoveryNotice[];
}

export async function recoverInterrupted(props: {
  readonly api: IotApi;
  readonly fleetId: string;
  readonly kinds: KindRegistry;
  readonly journal: ApplyJournal;
  readonly secretsDir: string;
  /** The fleet being applied: a kind may refuse to take a declared resource for a leftover. */
  readonly desired?: DesiredState;
}): Promise<RecoveryReport> {
  const entries = props.journal.interrupted();
  const byKind: Partial<Record<KindName, KindRecovery>> = {};
  const notices: RecoveryNotice[] = [];
  const ctx = { api: props.api, fleetId: props.fleetId, secretsDir: props.secretsDir, ...(props.desired ? { desired: props.desired } : {}) };
  for (const name of Object.keys(props.kinds) as KindName[]) {
    const kind = props.kinds[name];
    if (!kind?.recover) continue;
    const result = await kind.recover(entries.filter((e) => e.kind === name), ctx);
    byKind[name] = result;
    notices.push(...result.notices);
  }
  // Everything provable was completed; what is left is planned afresh like any other difference.
  props.journal.reset();
  return { interrupted: entries.length, byKind, notices };
}
