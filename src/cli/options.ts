// Option parsers shared by the commands.
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_LIMITS, ENV_VAR_PREFIX, type LoadLimits } from '../manifest/index.js';

/** A commander parser for a whole number ≥ min (e.g. `--max-deletes 0`, `--concurrency 8`). */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number ≥ ${min}`);
    return n;
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
