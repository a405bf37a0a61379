// Benchmark of `plan` for a fleet where every device has a generated certificate: N things, each
// with a `generate: true` certificate, already applied. AWS has no bulk read of certificate
// attachments, so the plan reads them one certificate at a time (ListPrincipalThings, 10 TPS);
// generated certificates beyond the 50 the certificate ledger records are found among the
// principals of their things (ListThingPrincipals, another 10 TPS). Reports calls per operation,
// wall time and the binding operation alone (its calls ÷ its TPS).
//
//   npm run bench -- plan-certificates           # 200 certificates
//   node --import tsx bench/plan-certificates.ts 400
//
// Seeding runs with emulator throttling off (the emulator's RSA key generation, ~0.35 s of CPU per
// certificate, dominates it); the plan runs with AWS throttling and the client's token buckets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/index.js';
import { createIotApi } from '../src/aws/client.js';
import { operationTps } from '../src/aws/rate-limits.js';
import { loadFleet } from '../src/manifest/index.js';
import { kindRegistry } from '../src/kinds/registry.js';
import { planFleet } from '../src/session/plan-fleet.js';
import { executePlan } from '../src/apply/executor.js';
import { syncOwnershipLedger } from '../src/apply/ownership.js';

const N = Number(process.argv[2] ?? 200);
const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'x' };
const pad = (n: number) => String(n).padStart(5, '0');

function writeFleet(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const docs: string[] = [];
  for (let i = 0; i < N; i++) {
    docs.push(`apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: dev-${pad(i)} }\nspec: {}\n`);
    docs.push(`apiVersion: iotops/v1\nkind: Certificate\nmetadata: { name: dev-${pad(i)}-cert }\nspec:\n  generate: true\n  things: [dev-${pad(i)}]\n`);
  }
  writeFileSync(join(dir, 'iotops.yaml'), 'fleetId: bench-certs\n');
  writeFileSync(join(dir, 'fleet.yaml'), docs.join('---\n'));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'iotops-bench-certs-'));
  try {
    const fleetDir = join(dir, 'fleet');
    const statePath = join(dir, 'emulator.json');
    writeFleet(fleetDir);
    const loaded = await loadFleet({ dir: fleetDir, processEnv: {} });
    if (!loaded.state) throw new Error(JSON.stringify(loaded.diagnostics.slice(0, 3)));
    const desired = loaded.state;

    const seedStarted = performance.now();
    const seedEmu = await startEmulator({ port: 0, statePath, throttle: 'off' });
    const seedApi = createIotApi({ endpoint: seedEmu.endpoint, region: 'us-east-1', credentials: CREDENTIALS, rateLimits: 'off' });
    const { plan, live } = await planFleet({ api: seedApi, desired, kinds: kindRegistry, now: Date.now() });
    const ctx = { api: seedApi, fleetId: desired.config.fleetId, secretsDir: join(dir, 'secrets'), now: Date.now };
    const result = await executePlan({ plan, kinds: kindRegistry, ctx, concurrency: 32 });
    if (!result.ok) throw new Error(`seed apply failed: ${JSON.stringify(result.steps.filter((s) => s.outcome !== 'applied').slice(0, 3))}`);
    await syncOwnershipLedger({ api: seedApi, fleetId: desired.config.fleetId, kinds: kindRegistry, live, plan, result });
    seedApi.destroy();
    seedEmu.save();
    await seedEmu.stop();
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const emu = await startEmulator({ port: 0, statePath, throttle: 'aws' });
    const api = createIotApi({ endpoint: emu.endpoint, region: 'us-east-1', credentials: CREDENTIALS, rateLimits: 'aws', maxRetries: 12 });
    const started = performance.now();
    const second = await planFleet({ api, desired, kinds: kindRegistry, now: Date.now() });
    const seconds = (performance.now() - started) / 1000;
    const stats = api.stats();
    const server = emu.statsDetail();
    api.destroy();
    await emu.stop();

    const byOp = Object.entries(stats.byOperation).map(([op, s]) => ({ op, calls: s.calls, seconds: s.calls / (operationTps(op, 'aws') ?? Infinity) }));
    byOp.sort((a, b) => b.seconds - a.seconds);
    const binding = byOp[0]!;
    process.stdout.write(
      [
        `certificates: ${N} generated, one per thing (the certificate ledger records 50)`,
        `  seed: ${seedSeconds.toFixed(1)} s (emulator throttling off)`,
        `  plan changes: ${second.plan.changes.length} (expected 0)`,
        `  API calls: ${stats.total.calls}; by operation: ${byOp.map((o) => `${o.op} ${o.calls}`).join(', ')}`,
        `  ThrottlingException: ${stats.total.throttles} (client) / ${Object.values(server.throttled).reduce((a, b) => a + b, 0)} (emulator)`,
        `  wall time: ${seconds.toFixed(1)} s = ${(seconds / binding.seconds).toFixed(2)}× the binding operation ${binding.op} ${binding.calls} calls at its TPS = ${binding.seconds.toFixed(1)} s`,
      ].join('\n') + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
