// Option parsers shared by the commands.
import { InvalidArgumentError, type Command } from 'commander';
import type { PlanOverrides } from '../session/plan-fleet.js';
import { DEFAULT_LIMITS, ENV_VAR_PREFIX, type LoadLimits } from '../manifest/index.js';

/** A commander parser for a whole number ≥ min (e.g. `--max-deletes 0`, `--concurrency 8`). */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number ≥ ${min}`);
    return n;
  };
}

/** A commander collector for a repeatable option that also takes comma lists (`--adopt-from a,b --adopt-from c`). */
export function nameList(value: string, previous: readonly string[] = []): string[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new InvalidArgumentError('give one or more fleet ids, e.g. --adopt-from fleet-b');
  return [...previous, ...names];
}

/** The environment variable that sets --fleet-id (the controller's deployment sets it, never the repository). */
export const FLEET_ID_ENV = 'IOTOPS_FLEET_ID';

/** The operator's fleet id: --fleet-id, else IOTOPS_FLEET_ID, else undefined (the repository's iotops.yaml decides). */
export function operatorFleetId(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const v = flag ?? env[FLEET_ID_ENV];
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * Why the fleet's iotops.yaml does not belong to the operator's fleet, or undefined. The fleet id
 * decides which resources count as ours (and so may be updated or pruned), so a repository must
 * not be able to switch it: a mismatch refuses the whole run.
 */
export function fleetIdMismatch(operator: string | undefined, repo: string): string | undefined {
  if (operator === undefined || operator === repo) return undefined;
  return `iotops.yaml says fleetId "${repo}" but this run manages fleet "${operator}" (--fleet-id or ${FLEET_ID_ENV}); nothing was read or changed. Fix fleetId in iotops.yaml, or run with the fleet id the repository belongs to`;
}

/** The guard flags `plan`, `apply` and `run` share. */
export interface GuardOptions {
  readonly prune?: boolean;
  readonly adopt?: boolean;
  readonly maxDeletes?: number;
  readonly adoptFrom?: readonly string[];
  readonly fleetId?: string;
}

export function addFleetGuardOptions(cmd: Command): Command {
  return cmd
    .option('--fleet-id <id>', `the fleet this run manages; iotops.yaml must say the same fleetId (default: ${FLEET_ID_ENV}, else iotops.yaml decides)`)
    .option('--adopt-from <fleet>', 'with --adopt: also take over resources tagged as managed by this other fleet (repeatable, or a comma list)', nameList);
}

/** The operator's guards as plan overrides; iotops.yaml can only narrow them (session/plan-fleet.ts). */
export function guardOverrides(options: GuardOptions): PlanOverrides {
  return {
    ...(options.prune ? { prune: true } : {}),
    ...(options.adopt ? { adopt: true } : {}),
    ...(options.maxDeletes !== undefined ? { maxDeletes: options.maxDeletes } : {}),
    ...(options.adoptFrom && options.adoptFrom.length > 0 ? { adoptFrom: options.adoptFrom } : {}),
  };
}

/** Flags through which the operator (never the fleet repo) widens what a fleet may read. */
export interface FleetInputOptions {
  readonly allowEnv?: readonly string[];
  readonly maxFileBytes?: number;
  readonly maxFleetBytes?: number;
  readonly maxDocuments?: number;
  readonly maxThings?: number;
}

const collect = (value: string, previous: readonly string[] | undefined): string[] => [...(previous ?? []), value];

export function addFleetInputOptions(cmd: Command): Command {
  return cmd
    .option('--allow-env <name>', `let manifests read {{ env.NAME }} besides ${ENV_VAR_PREFIX}* (repeatable; AWS_* and IOTOPS_GIT_* never)`, collect)
    .option('--max-file-bytes <n>', `largest fleet file (default ${DEFAULT_LIMITS.maxFileBytes})`, wholeNumber(1))
    .option('--max-fleet-bytes <n>', `all fleet files together (default ${DEFAULT_LIMITS.maxFleetBytes})`, wholeNumber(1))
    .option('--max-documents <n>', `YAML documents per file (default ${DEFAULT_LIMITS.maxDocumentsPerFile})`, wholeNumber(1))
    .option('--max-things <n>', `things in the fleet, ThingFleets included (default ${DEFAULT_LIMITS.maxThings})`, wholeNumber(0));
}

export function fleetInputProps(o: FleetInputOptions): { readonly allowEnv?: readonly string[]; readonly limits: Partial<LoadLimits> } {
  return {
    ...(o.allowEnv ? { allowEnv: o.allowEnv } : {}),
    limits: {
      ...(o.maxFileBytes === undefined ? {} : { maxFileBytes: o.maxFileBytes }),
      ...(o.maxFleetBytes === undefined ? {} : { maxFleetBytes: o.maxFleetBytes }),
      ...(o.maxDocuments === undefined ? {} : { maxDocumentsPerFile: o.maxDocuments }),
      ...(o.maxThings === undefined ? {} : { maxThings: o.maxThings }),
    },
  };
}
