// Crash recovery at the start of `apply`: the steps an earlier apply began and never finished
// (src/apply/journal.ts) are completed where the journal proves iotops started them, before the
// live state is read, so the fresh plan sees those resources as managed and converges them.
// Kinds that tag in the creating call (everything taggable) need nothing: a created resource
// already carries its proof, and a create that never reached AWS is simply planned again.
import type { IotApi } from '../aws/iot-api.js';
import type { ThingSpec } from '../manifest/model.js';
import { recoverThingCreate } from '../kinds/thing/recover.js';
import { localCertificateId } from '../kinds/certificate/secrets.js';
import { mapLimit } from '../kinds/shared/aws-calls.js';
import type { ApplyJournal, JournalEntry } from './journal.js';

export interface RecoveryReport {
  /** Interrupted steps found in the journal. */
  readonly interrupted: number;
  /** Things created by the interrupted apply and now marked as managed. */
  readonly recovered: readonly string[];
  /** Things with that name exist but are not what the interrupted create would have made: left alone. */
  readonly differs: readonly string[];
  /**
   * Generated certificates whose create was interrupted before the key reached the secrets
   * directory: AWS may hold a certificate whose private key is lost. Not provably ours, so not
   * deleted; reported so an operator can check (ListCertificates, creation time of the crash).
   */
  readonly keyPossiblyLost: readonly string[];
}

const RECOVERY_CONCURRENCY = 8;

function specOf(entry: JournalEntry): Record<string, unknown> | undefined {
  const d = entry.desired as { spec?: Record<string, unknown> } | undefined;
  return d && typeof d === 'object' && d.spec && typeof d.spec === 'object' ? d.spec : undefined;
}

export async function recoverInterrupted(props: {
  readonly api: IotApi;
  readonly fleetId: string;
  readonly journal: ApplyJournal;
  readonly secretsDir: string;
}): Promise<RecoveryReport> {
  const entries = props.journal.interrupted();
  const recovered: string[] = [];
  const differs: string[] = [];
  const keyPossiblyLost: string[] = [];
  const things = entries.filter((e) => e.kind === 'Thing' && e.action === 'create' && specOf(e));
  await mapLimit(things, RECOVERY_CONCURRENCY, async (e) => {
    const outcome = await recoverThingCreate({ api: props.api, fleetId: props.fleetId, name: e.name, spec: specOf(e) as unknown as ThingSpec });
    if (outcome === 'recovered') recovered.push(e.name);
    if (outcome === 'differs') differs.push(e.name);
  });
  for (const e of entries) {
    if (e.kind !== 'Certificate' || specOf(e)?.source === undefined) continue;
    const source = specOf(e)?.source as { type?: string } | undefined;
    if (source?.type === 'generate' && (await localCertificateId(props.secretsDir, e.name)) === undefined) keyPossiblyLost.push(e.name);
  }
  // Everything provable was completed; what is left is planned afresh like any other difference.
  props.journal.reset();
  return { interrupted: entries.length, recovered: recovered.sort(), differs: differs.sort(), keyPossiblyLost: keyPossiblyLost.sort() };
}
