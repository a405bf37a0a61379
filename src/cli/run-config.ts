// Target defaults from a local fleet's iotops.yaml, read before the controller starts (the
// target must be open before the first reconcile). Errors are left to the reconcile, which
// reports them with positions; here a broken file simply yields no defaults.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { TargetDefaults } from './target.js';

export async function loadFleetConfigDefaults(fleetDir: string): Promise<TargetDefaults> {
  try {
    const doc = parse(await readFile(join(fleetDir, 'iotops.yaml'), 'utf8')) as { target?: unknown; region?: unknown } | null;
    return {
      ...(doc?.target === 'aws' || doc?.target === 'embedded' ? { target: doc.target } : {}),
      ...(typeof doc?.region === 'string' ? { region: doc.region } : {}),
    };
  } catch {
    return {};
  }
}
