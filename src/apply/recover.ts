// Crash recovery at the start of `apply`: the steps an earlier apply began and never finished
// (src/apply/journal.ts) are completed where the journal proves iotops started them, before the
// live state is read, so the fresh plan sees those resources as managed and converges them.
// Kinds that tag in the creating call (everything taggable) need nothing: a created resource
// already carries its proof, and a create that never reached AWS is simply planned again.
// Generated certificates are the certificate kind's business (src/kinds/certificate/recover.ts):
// a keyless certificate left by a crash is deleted when the journal proves it is iotops's.
import type { IotApi } from '../aws/iot-api.js';
import type { DesiredState, ThingSpec } from '../model/resource.js';
import { recoverThingCreate } from '../kinds/thing/recover.js';
import { interruptedGenerateOf, type InterruptedGenerate } from '../kinds/certificate/generate-journal.js';
import { recoverGeneratedCertificates, type CertificateRecovery } from '../kinds/certificate/recover.js';
import { mapLimit } from '../kinds/shared/concurrency.js';
import type { ApplyJournal, JournalEntry } from './journal.js';

export interface RecoveryReport {
  /** Interrupted steps found in the journal. */
  readonly interrupted: number;
  /** Things created by the interrupted apply and now marked as managed. */
  readonly recovered: readonly string[];
  /** Things with that name exist but are not what the interrupted create would have made: left alone. */
  readonly differs: readonly string[];
  /** Generated certificates of interrupted creates: keyless ones deleted, unprovable ones left (ids). */
  readonly certificates: CertificateRecovery;
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
  /** The fleet being applied: its declared PEM/CSR certificates are never taken for keyless leftovers. */
  readonly desired?: DesiredState;
}): Promise<RecoveryReport> {
  const entries = props.journal.interrupted();
  const recovered: string[] = [];
  const differs: string[] = [];
  const things = entries.filter((e) => e.kind === 'Thing' && e.action === 'create' && specOf(e));
  await mapLimit(things, RECOVERY_CONCURRENCY, async (e) => {
    const outcome = await recoverThingCreate({ api: props.api, fleetId: props.fleetId, name: e.name, spec: specOf(e) as unknown as ThingSpec });
    if (outcome === 'recovered') recovered.push(e.name);
    if (outcome === 'differs') differs.push(e.name);
  });
  const generates = entries.flatMap((e): InterruptedGenerate[] => {
    const g = e.kind === 'Certificate' ? interruptedGenerateOf(e.name, e.notes) : undefined;
    return g ? [g] : [];
  });
  const certificates = await recoverGeneratedCertificates({
    api: props.api,
    fleetId: props.fleetId,
    interrupted: generates,
    secretsDir: props.secretsDir,
    ...(props.desired ? { desired: props.desired } : {}),
  });
  // Everything provable was completed; what is left is planned afresh like any other difference.
  props.journal.reset();
  return { interrupted: entries.length, recovered: recovered.sort(), differs: differs.sort(), certificates };
}
