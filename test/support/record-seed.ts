// Records the mutating SDK calls that applying a fleet to an empty emulator makes, as a golden
// case's seed.json (a list of {operation, input} run in order against a fresh emulator):
//   npx tsx test/support/record-seed.ts test/fixtures/plan/<case>/fleet > seed.json
// Cases then edit the fleet (update, replace, prune) or append out-of-band calls (drift).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { IotApi } from '../../src/aws/iot-api.js';
import { loadFleet } from '../../src/manifest/index.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { planFleet } from '../../src/session/plan-fleet.js';
import { executePlan } from '../../src/apply/executor.js';
import { startTestEmulator } from './emulator.js';
import type { SeedCall } from './seed.js';

export const GOLDEN_NOW = Date.parse('2027-01-15T12:00:00Z');
const READ_ONLY = /^(List|Describe|Get|Search)/;

export function recordingApi(inner: IotApi, calls: SeedCall[]): IotApi {
  return {
    async send(operation, input) {
      const out = await inner.send(operation, input);
      // Only calls that succeeded: a seed replays without the kinds' recover-and-retry paths.
      if (!READ_ONLY.test(operation)) calls.push({ operation, input: structuredClone(input) as Record<string, unknown> });
      return out;
    },
  };
}

export async function recordSeed(fleetDir: string): Promise<SeedCall[]> {
  const loaded = await loadFleet({ dir: fleetDir, processEnv: {} });
  if (!loaded.state) throw new Error(`invalid fleet: ${loaded.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('; ')}`);
  const env = await startTestEmulator({ clock: () => GOLDEN_NOW });
  const secretsDir = mkdtempSync(join(tmpdir(), 'iotops-seed-'));
  try {
    const calls: SeedCall[] = [];
    const { plan } = await planFleet({ api: env.api, desired: loaded.state, kinds: kindRegistry, now: GOLDEN_NOW });
    const result = await executePlan({
      plan,
      kinds: kindRegistry,
      concurrency: 1,
      ctx: { api: recordingApi(env.api, calls), fleetId: loaded.state.config.fleetId, secretsDir, now: () => GOLDEN_NOW },
    });
    const failed = result.steps.filter((s) => s.outcome !== 'applied');
    if (failed.length > 0) throw new Error(`apply failed: ${JSON.stringify(failed)}`);
    return calls;
  } finally {
    rmSync(secretsDir, { recursive: true, force: true });
    await env.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const calls = await recordSeed(resolve(process.argv[2] ?? 'fleet'));
  process.stdout.write(`${JSON.stringify(calls, null, 2)}\n`);
}
