// `iotops apply`: make AWS IoT match the fleet. Plans afresh (or takes a saved plan, refused if
// the fleet or the live state moved since), shows the plan, asks for confirmation unless
// --auto-approve (and never waits on a stdin that is not a terminal), executes it, and exits 0
// when every runnable step was applied, 1 otherwise.
import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from './io.js';
import {
  addFleetGuardOptions,
  addFleetInputOptions,
  fleetIdMismatch,
  guardOverrides,
  operatorFleetId,
  wholeNumber,
  type FleetInputOptions,
  type GuardOptions,
} from './options.js';
import { loadFleetForCommand } from './fleet.js';
import { createProgress, type ProgressReporter } from './progress.js';
import { addTargetOptions, describeError, withTarget, type TargetOptions } from './target.js';
import type { ApplyResult } from '../apply/executor.js';
import type { RecoveryReport } from '../apply/recover.js';
import { kindRegistry, type KindRegistry } from '../kinds/registry.js';
import { hasChanges, isRefusal, type Plan } from '../model/plan.js';
import { liveDigest } from '../plan/diff.js';
import { runApplySession } from '../session/apply-session.js';
import { renderPlan } from '../render/index.js';
import { escapeControl } from '../model/escape.js';

export interface ApplyOptions extends TargetOptions, GuardOptions, FleetInputOptions {
  readonly fleet: string;
  readonly env?: string;
  readonly plan?: string;
  readonly autoApprove?: boolean;
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
  addTargetOptions(addFleetInputOptions(addFleetGuardOptions(cmd))).action(async (opts: ApplyOptions) => {
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
      io.stderr(`iotops: cannot use the saved plan ${options.plan}: ${escapeControl((err as Error).message)}\n`);
      return 1;
    }
  }
  const desired = await loadFleetForCommand(io, options);
  if (!desired) {
    io.stderr('iotops: the fleet is invalid; nothing was applied (run `iotops validate` for details)\n');
    return 1;
  }
  const mismatch = fleetIdMismatch(operatorFleetId(options.fleetId, io.env), desired.config.fleetId);
  if (mismatch) {
    io.stderr(`iotops: ${mismatch}\n`);
    return 1;
  }
  if (saved && saved.revision !== desired.revision) {
    io.stderr(`iotops: the fleet changed since the plan was made (plan revision ${escapeControl(saved.revision)}, fleet now ${desired.revision}); nothing was applied. Run plan again.\n`);
    return 1;
  }

  try {
    return await withTarget({ options, io, defaults: { target: desired.config.target, region: desired.config.region } }, async (target) => {
      let refusedCode = 0;
      // Made when execution starts, so its rate and ETA count the steps' time only.
      let progress: ProgressReporter | undefined;
      const outcome = await runApplySession({
        api: target.api,
        kinds: props.kinds,
        desired,
        overrides: guardOverrides(options),
        secretsDir,
        stateDir: resolve(io.cwd, STATE_DIR),
        now: props.now,
        apply: true,
        concurrency: options.concurrency,
        events: {
          recovered: (r) => reportRecovery(io, r),
          planned: async (fresh) => {
            if (saved && liveDigest(fresh.live) !== saved.liveDigest) {
              io.stderr('iotops: AWS IoT changed since the plan was made (live state digest differs); nothing was applied. Run plan again.\n');
              return undefined;
            }
            const plan = saved ?? fresh.plan;
            const color = options.color !== false && io.isTty;
            io.stdout(renderPlan(plan, 'text', { color }));
            // A safety guard that refused deletes the user asked for (--prune) fails the run, so CI
            // notices; the plan's other changes still apply.
            const refused = plan.changes.filter((c) => isRefusal(c.blocked));
            if (refused.length > 0) io.stderr(`iotops: ${refused.length} change(s) refused: ${escapeControl(`${refused[0]!.kind}/${refused[0]!.name}: ${refused[0]!.blocked!.message}`)}\n`);
            refusedCode = refused.length > 0 ? 1 : 0;
            if (!hasChanges(plan) || options.autoApprove) return plan;
            if (!io.stdinIsTty) {
              io.stderr('iotops: refusing to apply without confirmation: stdin is not a terminal. Review the plan and pass --auto-approve.\n');
              return undefined;
            }
            const answer = await io.prompt('\nApply these changes? Only "yes" is accepted: ');
            if (answer.trim() !== 'yes') {
              io.stderr('Apply cancelled; nothing was changed.\n');
              return undefined;
            }
            return plan;
          },
          applying: (plan) => {
            progress = createProgress({ write: io.stderr, tty: io.isTty });
            target.logger.info({ target: target.description, changes: plan.summary }, 'applying');
          },
          step: (_step, p) => progress?.update(p),
          ledgerFailed: (err) => io.stderr(`iotops: warning: could not update the ownership ledger (${escapeControl(err.message)}); the next plan reads tags instead\n`),
        },
      });
      if (outcome.status === 'stopped') return 1;
      if (outcome.status !== 'executed') return refusedCode;
      const { result } = outcome;
      const runnable = result.steps.filter((s) => s.outcome !== 'blocked');
      progress?.finish({ total: runnable.length, done: runnable.length, failed: count(result, 'failed'), skipped: count(result, 'skipped'), running: 0 });
      io.stdout(resultText(result, target.api.stats().total));
      return result.ok ? refusedCode : 1;
    });
  } catch (err) {
    io.stderr(`iotops: apply failed: ${escapeControl(describeError(err))}\n`);
    return 1;
  }
}

/** Local state of the working directory: the embedded emulator, secrets, the apply journal. */
const STATE_DIR = '.iotops';

function reportRecovery(io: CliIo, r: RecoveryReport): void {
  io.stderr(`iotops: an earlier apply was interrupted during ${r.interrupted} create(s); finishing them first.\n`);
  for (const n of r.notices) io.stderr(`iotops: ${n.severity === 'warning' ? 'warning: ' : ''}${escapeControl(`${n.message}: ${preview(n.subjects)}`)}\n`);
}

function preview(names: readonly string[]): string {
  return names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;
}


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
  // Names and AWS error messages: escaped, one line each.
  return `${lines.map(escapeControl).join('\n')}\n`;
}

function readSavedPlan(path: string): Plan {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Plan>;
  if (raw.formatVersion !== 1) throw new Error(`unsupported formatVersion ${String(raw.formatVersion)} (this iotops reads 1)`);
  if (typeof raw.revision !== 'string' || typeof raw.liveDigest !== 'string' || !Array.isArray(raw.changes) || !raw.summary) {
    throw new Error('not an iotops plan (missing revision, liveDigest, summary or changes)');
  }
  return raw as Plan;
}
