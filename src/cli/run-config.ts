// Target defaults from a local fleet's iotops.yaml, read before the controller starts (the
// target must be open before the first reconcile). Errors are left to the reconcile, which
// reports them with positions; here a broken file simply yields no defaults.
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { parse } from 'yaml';
import type { TargetDefaults } from './target.js';
import { DEFAULT_LIMITS } from '../manifest/index.js';

export async function loadFleetConfigDefaults(fleetDir: string): Promise<TargetDefaults> {
  try {
    const file = join(fleetDir, 'iotops.yaml');
    // Same rules as the fleet loader: no link out of the fleet, no file over the default size limit.
    const root = await realpath(fleetDir);
    if (!(await realpath(file)).startsWith(root + sep) || (await stat(file)).size > DEFAULT_LIMITS.maxFileBytes) return {};
    const doc = parse(await readFile(file, 'utf8')) as { target?: unknown; region?: unknown } | null;
    return {
      ...(doc?.target === 'aws' || doc?.target === 'embedded' ? { target: doc.target } : {}),
      ...(typeof doc?.region === 'string' ? { region: doc.region } : {}),
    };
  } catch {
    return {};
  }
}
