// Loading the fleet for commands that act on it: diagnostics printed as validate prints them,
// the desired state returned only when the fleet is valid.
import { posix, resolve } from 'node:path';
import type { CliIo } from './io.js';
import { formatDiagnostic } from './validate.js';
import { loadFleet } from '../manifest/index.js';
import type { DesiredState } from '../model/resource.js';

export async function loadFleetForCommand(io: CliIo, options: { readonly fleet: string; readonly env?: string }): Promise<DesiredState | undefined> {
  const loaded = await loadFleet({ dir: resolve(io.cwd, options.fleet), ...(options.env === undefined ? {} : { env: options.env }), processEnv: io.env });
  const prefix = posix.normalize(options.fleet.replace(/\\/g, '/')).replace(/\/$/, '');
  for (const d of loaded.diagnostics) io.stderr(`${formatDiagnostic(d, prefix)}\n`);
  return loaded.state;
}
