// `iotops plan`: load the fleet, read the live state (list calls only, never a mutating API),
// print the plan. Exit 0 when nothing would change, 2 when something would and
// --detailed-exitcode is set, 1 on any error (invalid fleet, AWS failure).
import { writeFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { CliIo } from './io.js';
import { addFleetGuardOptions, fleetIdMismatch, guardOverrides, operatorFleetId, wholeNumber, type GuardOptions } from './options.js';
import { addFleetInputOptions, type FleetInputOptions } from './options.js';
import { formatDiagnostic, loadFleetWithOptions } from './fleet.js';
import { addTargetOptions, describeError, withTarget, type TargetOptions } from './target.js';
import { kindRegistry, type KindRegistry } from '../kinds/registry.js';
import { planFleet } from '../session/plan-fleet.js';
import { hasChanges, type Plan } from '../model/plan.js';
import { renderPlan, type PlanFormat } from '../render/index.js';
import { readOnlyApi } from '../aws/read-only.js';
import { escapeControl } from '../model/escape.js';

export interface PlanOptions extends TargetOptions, GuardOptions, FleetInputOptions {
  readonly fleet: string;
  readonly env?: string;
  readonly format: PlanFormat;
  readonly out?: string;
  readonly detailedExitcode?: boolean;
  /** False with --no-color. */
  readonly color: boolean;
}

export const EXIT_NO_CHANGES = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command('plan')
    .description('show what apply would change in AWS IoT to match the fleet (read-only)')
    .option('--fleet <dir>', 'fleet directory', 'fleet')
    .option('--env <name>', 'variables from env/<name>.yaml in the fleet')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--out <file>', 'also save the plan as JSON (for apply --plan)')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes (0 none, 1 error)')
    .option('--prune', 'plan deletes of managed resources no longer in the fleet')
    .option('--adopt', 'plan taking over unmanaged resources the fleet names')
    .option('--max-deletes <n>', 'refuse to delete more than this many resources (default 25)', wholeNumber(0))
    .option('--no-color', 'no ANSI colors (they are only used on a terminal anyway)');
  addTargetOptions(addFleetInputOptions(addFleetGuardOptions(cmd))).action(async (opts: PlanOptions) => {
    io.exit(await runPlan({ io, options: opts, now: Date.now(), kinds: kindRegistry }));
  });
}

/** The command body, with the clock and kinds injected (tests pin `now`). Returns the exit code. */
export async function runPlan(props: { readonly io: CliIo; readonly options: PlanOptions; readonly now: number; readonly kinds: KindRegistry }): Promise<number> {
  const { io, options } = props;
  const loaded = await loadFleetWithOptions(io, options);
  const prefix = posix.normalize(options.fleet.replace(/\\/g, '/')).replace(/\/$/, '');
  for (const d of loaded.diagnostics) io.stderr(`${formatDiagnostic(d, prefix)}\n`);
  const desired = loaded.state;
  if (!desired) {
    io.stderr('iotops: the fleet is invalid; nothing was planned (run `iotops validate` for details)\n');
    return EXIT_ERROR;
  }
  const mismatch = fleetIdMismatch(operatorFleetId(options.fleetId, io.env), desired.config.fleetId);
  if (mismatch) {
    io.stderr(`iotops: ${mismatch}\n`);
    return EXIT_ERROR;
  }

  let plan: Plan;
  try {
    plan = await withTarget({ options, io, defaults: { target: desired.config.target, region: desired.config.region } }, async (target) => {
      target.logger.info({ target: target.description, resources: desired.resources.length }, 'planning');
      const result = await planFleet({
        api: readOnlyApi(target.api),
        desired,
        kinds: props.kinds,
        overrides: guardOverrides(options),
        now: props.now,
      });
      target.logger.info({ calls: target.api.stats().total.calls, changes: result.plan.changes.length }, 'plan ready');
      return result.plan;
    });
  } catch (err) {
    io.stderr(`iotops: plan failed: ${escapeControl(describeError(err))}\n`);
    return EXIT_ERROR;
  }

  if (options.out) {
    try {
      writeFileSync(resolve(io.cwd, options.out), renderPlan(plan, 'json'));
    } catch (err) {
      io.stderr(`iotops: cannot write the plan to ${options.out}: ${escapeControl((err as Error).message)}\n`);
      return EXIT_ERROR;
    }
  }
  io.stdout(renderPlan(plan, options.format, { color: options.format === 'text' && options.color !== false && io.isTty }));
  return options.detailedExitcode && hasChanges(plan) ? EXIT_CHANGES : EXIT_NO_CHANGES;
}

