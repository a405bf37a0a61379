// `iotops apply`: make AWS IoT match the fleet. Plans afresh (or takes a saved plan, refused if
// the fleet or the live state moved since), shows the plan, asks for confirmation unless
// --auto-approve (and never waits on a stdin that is not a terminal), executes it, and exits 0
// when every runnable step was applied, 1 otherwise.
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from './io.js';
import { wholeNumber } from './options.js';
import { loadFleetForCommand } from './fleet.js';
import { createProgress } from './progress.js';
import { addTargetOptions, withTarget, type TargetOptions } from './target.js';
import { AwsCallError } from '../aws/errors.js';
import { executePlan, type ApplyResult } from '../apply/executor.js';
import { journalPath, openJournal } from '../apply/journal.js';
import { recoverInterrupted, type RecoveryReport } from '../apply/recover.js';
import type { JournaledApplyContext } from '../kinds/certificate/generate-journal.js';
import { kindRegistry, type KindRegistry } from '../kinds/registry.js';
import { hasChanges, type Plan } from '../model/plan.js';
import { liveDigest } from '../plan/diff.js';
import { planFleet } from '../session/plan-fleet.js';
import { recordPendingCreates, syncOwnershipLedger } from '../apply/ownership.js';
import { renderPlan } from '../render/index.js';

export interface ApplyOptions extends TargetOptions {
  readonly fleet: string;
  readonly env?: string;
  readonly plan?: string;
  readonly autoApprove?: boolean;
  readonly prune?: boolean;
  readonly adopt?: boolean;
  readonly maxDeletes?: number;
  readonly concurrency: number;
  readonly secretsDir: string;
  readonly color: boolean;
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command('apply')
    .description('change AWS IoT to match the fleet, in dependency order and within AWS rate limits')
    .option('--fleet <dir>', 'fleet directory', 'fleet')
    .option('--env <name>', 'variables from env/<name>.yaml in the fleet')
    .option('--plan <file>', 'apply exactly this saved plan (from plan --out); refused if the fleet or AWS changed since')
    .option('--auto-approve', 'do not ask for confirmation')
    .option('--prune', 'delete managed resources that are no longer in the fleet')
    .option('--adopt', 'take over unmanaged resources that the fleet names')
    .option('--max-deletes <n>', 'refuse to delete more than this many resources (default 25)', wholeNumber(0))
    .option('--concurrency <n>', 'steps in flight at once (AWS rate limits still apply per API)', wholeNumber(1), 32)
    .option('--secrets-dir <dir>', 'where generated private keys are written (mode 0600), never inside the fleet', '.iotops/secrets')
    .option('--no-color', 'no ANSI colors');
  addTargetOptions(cmd).action(async (opts: ApplyOptions) => {
    io.exit(await runApply({ io, options: opts, kinds: kindRegistry, now: Date.now }));
  });
}

export async function runApply(props: { readonly io: CliIo; readonly options: ApplyOptions; readonly kinds: KindRegistry; readonly now: () => number }): Promise<number> {
  const { io, options } = props;
  const fleetDir = resolve(io.cwd, options.fleet);
  const secretsDir = resolve(io.cwd, options.secretsDir);
  if (secretsDir === fleetDir || !relative(fleetDir, secretsDir).startsWith('..') && !relative(fleetDir, secretsDir).startsWith(sep)) {
    io.stderr(`iotops: --secrets-dir ${options.secretsDir} is inside the fleet; private keys must never be written into the fleet repository\n`);
    return 1;
  }
  let saved: Plan | undefined;
  if (options.plan) {
    try {
      saved = readSavedPlan(resolve(io.cwd, options.plan));
    } catch (err) {
      io.stderr(`iotops: cannot use the saved plan ${options.plan}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  const desired = await loadFleetForCommand(io, options);
  if (!desired) {
    io.stderr('iotops: the fleet is invalid; nothing was applied (run `iotops validate` for details)\n');
    return 1;
  }
  if (saved && saved.revision !== desired.revision) {
    io.stderr(`iotops: the fleet changed since the plan was made (plan revision ${saved.revision}, fleet now ${desired.revision}); nothing was applied. Run plan again.\n`);
    return 1;
  }

  try {
    return await withTarget({ options, io, defaults: { target: desired.config.target, region: desired.config.region } }, async (target) => {
      // First finish what a crashed apply left half-done (journal.ts), so the plan sees it as ours.
      const journal = openJournal(journalPath(resolve(io.cwd, STATE_DIR), desired.config.fleetId));
      const recovery = await recoverInterrupted({ api: target.api, fleetId: desired.config.fleetId, journal, secretsDir, desired });
      reportRecovery(io, recovery);
      const fresh = await planFleet({
        api: target.api,
        desired,
        kinds: props.kinds,
        overrides: {
          ...(options.prune ? { prune: true } : {}),
          ...(options.adopt ? { adopt: true } : {}),
          ...(options.maxDeletes !== undefined ? { maxDeletes: options.maxDeletes } : {}),
        },
        now: props.now(),
      });
      let plan = fresh.plan;
      if (saved) {
        if (liveDigest(fresh.live) !== saved.liveDigest) {
          io.stderr('iotops: AWS IoT changed since the plan was made (live state digest differs); nothing was applied. Run plan again.\n');
          return 1;
        }
        plan = saved;
      }
      const color = options.color !== false && io.isTty;
      io.stdout(renderPlan(plan, 'text', { color }));
      // A safety guard that refused deletes the user asked for (--prune) fails the run, so CI
      // notices; the plan's other changes still apply.
      const refused = plan.changes.filter((c) => c.blocked && REFUSALS.has(c.blocked.code));
      if (refused.length > 0) io.stderr(`iotops: ${refused.length} delete(s) refused: ${refused[0]!.blocked!.message}\n`);
      const refusedCode = refused.length > 0 ? 1 : 0;
      const ledger = { api: target.api, fleetId: desired.config.fleetId, kinds: props.kinds, live: fresh.live, plan };
      if (!hasChanges(plan)) {
        await keepLedger(io, () => syncOwnershipLedger(ledger));
        return refusedCode;
      }

      if (!options.autoApprove) {
        if (!io.stdinIsTty) {
          io.stderr('iotops: refusing to apply without confirmation: stdin is not a terminal. Review the plan and pass --auto-approve.\n');
          return 1;
        }
        const answer = await io.prompt('\nApply these changes? Only "yes" is accepted: ');
        if (answer.trim() !== 'yes') {
          io.stderr('Apply cancelled; nothing was changed.\n');
          return 1;
        }
      }

      // The journal rides along so a generated certificate journals its own CreateKeysAndCertificate.
      const ctx: JournaledApplyContext = { api: target.api, fleetId: desired.config.fleetId, secretsDir, now: props.now, journal };
      const progress = createProgress({ write: io.stderr, tty: io.isTty });
      target.logger.info({ target: target.description, changes: plan.summary }, 'applying');
      await keepLedger(io, () => recordPendingCreates(ledger));
      const result = await executePlan({
        plan,
        kinds: props.kinds,
        ctx,
        concurrency: options.concurrency,
        journal,
        onStep: (_step, p) => progress.update(p),
      });
      // Every create ended: nothing for a next run to recover. Otherwise the open entries stay.
      if (result.ok) journal.reset();
      await keepLedger(io, () => syncOwnershipLedger({ ...ledger, result }));
      const runnable = result.steps.filter((s) => s.outcome !== 'blocked');
      progress.finish({ total: runnable.length, done: runnable.length, failed: count(result, 'failed'), skipped: count(result, 'skipped'), running: 0 });
      io.stdout(resultText(result, target.api.stats().total));
      return result.ok ? refusedCode : 1;
    });
  } catch (err) {
    io.stderr(`iotops: apply failed: ${err instanceof AwsCallError || err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/**
 * The ownership ledger only speeds up later plans (every resource also carries its tag), so
 * failing to write it is a warning, never a failed apply.
 */
async function keepLedger(io: CliIo, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    io.stderr(`iotops: warning: could not update the ownership ledger (${(err as Error).message}); the next plan reads tags instead\n`);
  }
}

/** Local state of the working directory: the embedded emulator, secrets, the apply journal. */
const STATE_DIR = '.iotops';

function reportRecovery(io: CliIo, r: RecoveryReport): void {
  if (r.interrupted === 0) return;
  io.stderr(`iotops: an earlier apply was interrupted during ${r.interrupted} create(s); finishing them first.\n`);
  if (r.recovered.length > 0) io.stderr(`iotops: ${r.recovered.length} thing(s) it created are now marked as managed: ${preview(r.recovered)}\n`);
  if (r.differs.length > 0) {
    io.stderr(`iotops: ${r.differs.length} thing(s) exist but differ from what it was creating, so they are left unmanaged (adopt them with --adopt): ${preview(r.differs)}\n`);
  }
  const c = r.certificates;
  if (c.deleted.length > 0) io.stderr(`iotops: deleted ${c.deleted.length} keyless certificate(s) left by interrupted creates: ${preview(c.deleted)}\n`);
  if (c.leftInPlace.length > 0) {
    io.stderr(
      `iotops: warning: ${c.leftInPlace.length} certificate(s) may be keyless leftovers of interrupted creates but cannot be proven iotops's, so they were left in place (check and delete them yourself if they are): ${preview(c.leftInPlace)}\n`,
    );
  }
}

function preview(names: readonly string[]): string {
  return names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;
}

/** Blocked codes that mean a safety guard refused what the flags asked for (not merely "not asked"). */
const REFUSALS: ReadonlySet<string> = new Set(['max-deletes', 'empty-fleet']);

function count(result: ApplyResult, outcome: string): number {
  return result.steps.filter((s) => s.outcome === outcome).length;
}

function resultText(result: ApplyResult, calls: { calls: number; throttles: number; retries: number }): string {
  const lines: string[] = [''];
  if (result.cycle) lines.push(`Dependency cycle: ${result.cycle.join(' -> ')}; nothing was applied.`);
  for (const s of result.steps) {
    if (s.outcome === 'failed') lines.push(`  failed  ${s.action} ${s.kind}/${s.name}: ${s.error?.message ?? 'unknown error'}`);
    else if (s.outcome === 'skipped' && s.skippedBecause) lines.push(`  skipped ${s.action} ${s.kind}/${s.name}: waits for ${s.skippedBecause}`);
  }
  const summary = `${count(result, 'applied')} applied, ${count(result, 'failed')} failed, ${count(result, 'skipped')} skipped, ${count(result, 'blocked')} blocked`;
  lines.push(`${result.ok ? 'Apply complete' : 'Apply incomplete'}: ${summary}. (${calls.calls} AWS calls, ${calls.retries} retried, ${calls.throttles} throttled)`);
  if (!result.ok) lines.push('Run apply again to retry: it converges from wherever this run stopped.');
  return `${lines.join('\n')}\n`;
}

function readSavedPlan(path: string): Plan {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Plan>;
  if (raw.formatVersion !== 1) throw new Error(`unsupported formatVersion ${String(raw.formatVersion)} (this iotops reads 1)`);
  if (typeof raw.revision !== 'string' || typeof raw.liveDigest !== 'string' || !Array.isArray(raw.changes) || !raw.summary) {
    throw new Error('not an iotops plan (missing revision, liveDigest, summary or changes)');
  }
  return raw as Plan;
}
