// Loading the fleet for commands that act on it: diagnostics printed as validate prints them,
// the desired state returned only when the fleet is valid.
import { realpath } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import type { CliIo } from './io.js';
import { fleetInputProps, type FleetInputOptions } from './options.js';
import { escapeControl } from '../model/escape.js';
import type { Diagnostic } from '../manifest/index.js';
import { loadFleet, type LoadFleetResult } from '../manifest/index.js';
import { isInside } from '../manifest/fleet-files.js';
import type { DesiredState } from '../model/resource.js';

export interface FleetCommandOptions extends FleetInputOptions {
  readonly fleet: string;
  readonly env?: string;
}

/**
 * Why the fleet directory is refused, or undefined: a fleet named inside the working directory
 * (the checkout) must not be a symbolic link that leads out of it. A path the operator names
 * outside the working directory is their choice.
 */
export async function fleetRootProblem(cwd: string, fleet: string): Promise<string | undefined> {
  const dir = resolve(cwd, fleet);
  if (!isInside(cwd, dir)) return undefined;
  const [realCwd, realDir] = await Promise.all([realpath(cwd), realpath(dir).catch(() => undefined)]);
  if (realDir === undefined || isInside(realCwd, realDir)) return undefined;
  return `the fleet directory ${fleet} is a symbolic link to ${realDir}, outside the working directory; refused (name the real directory with --fleet if that is intended)`;
}

/** loadFleet with the operator's flags; a refused fleet root is a diagnostic like any other. */
export async function loadFleetWithOptions(io: CliIo, options: FleetCommandOptions): Promise<LoadFleetResult> {
  const refused = await fleetRootProblem(io.cwd, options.fleet);
  if (refused) return { diagnostics: [{ severity: 'error', code: 'symlink-outside-fleet', file: '.', line: 1, column: 1, message: refused }], manifestFiles: 0 };
  return loadFleet({
    dir: resolve(io.cwd, options.fleet),
    ...(options.env === undefined ? {} : { env: options.env }),
    processEnv: io.env,
    ...fleetInputProps(options),
  });
}

export async function loadFleetForCommand(io: CliIo, options: FleetCommandOptions): Promise<DesiredState | undefined> {
  const loaded = await loadFleetWithOptions(io, options);
  const prefix = posix.normalize(options.fleet.replace(/\\/g, '/')).replace(/\/$/, '');
  for (const d of loaded.diagnostics) io.stderr(`${formatDiagnostic(d, prefix)}\n`);
  return loaded.state;
}

/** Text paths are prefixed with --fleet as typed, so they are clickable from the working directory. */
export function formatDiagnostic(d: Diagnostic, fleetPrefix: string): string {
  const file = d.file === '.' ? fleetPrefix : posix.join(fleetPrefix, d.file);
  const subject = d.kind && d.name ? `${d.kind}/${d.name}` : (d.kind ?? '');
  const where = [subject, d.path ? `at ${d.path}` : ''].filter(Boolean).join(' ');
  // Names, keys and paths come from the fleet: a control character must not reach the terminal raw.
  return escapeControl(`${file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}${where ? ` (${where})` : ''}`);
}
