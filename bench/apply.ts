// Benchmark of `apply` from an empty account against the emulator with AWS throttling: 10,000
// things, each in 2 static groups (a site and a batch), 1,000 of them with a generated
// certificate and a policy, through the real apply path (planFleet + executePlan with the
// AWS-rate-limited IotApi client). Reports wall time against the minimum AWS's TPS limits allow
// for the calls made (max over operations of calls ÷ TPS; target ≤ 1.15×), failed steps (target
// 0), ThrottlingExceptions, peak RSS of the applying process (< 400 MB), and checks that a second
// plan is empty.
//
//   npm run bench -- apply                      # 10,000 things, 1,000 certificates
//   node --import tsx bench/apply.ts 2000 200   # other sizes
//
// The emulator runs in its own process (`iotops emulator --throttle aws`), so the RSS figure is
// the applier's alone. Creates are journaled as `iotops apply` journals them (src/apply/journal.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIotApi } from '../src/aws/client.js';
import { operationTps } from '../src/aws/rate-limits.js';
import { executePlan } from '../src/apply/executor.js';
import { journalPath, openJournal } from '../src/apply/journal.js';
import { kindRegistry } from '../src/kinds/registry.js';
import { loadFleet } from '../src/manifest/index.js';
import { planFleet } from '../src/session/plan-fleet.js';
import { writeScaleFleet } from '../test/apply/scale-fleet.js';
import { startEmulatorProcess } from './support/emulator-process.js';

const THINGS = Number(process.argv[2] ?? 10_000);
const CERTS = Number(process.argv[3] ?? Math.round(THINGS / 10));
const CONCURRENCY = Number(process.env.IOTOPS_BENCH_CONCURRENCY ?? 32);

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'iotops-bench-apply-'));
  const emulator = await startEmulatorProcess({ throttle: 'aws' });
  try {
    const counts = writeScaleFleet(join(dir, 'fleet'), { things: THINGS, certificates: CERTS, sites: 50, batches: 20, policies: 5, fleetId: 'bench' });
    const loaded = await loadFleet({ dir: join(dir, 'fleet'), processEnv: {} });
    if (!loaded.state) throw new Error(`fleet invalid: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
    const desired = loaded.state;
    const api = createIotApi({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, rateLimits: 'aws' });

    const t0 = Date.now();
    const { plan } = await planFleet({ api, desired, kinds: kindRegistry, now: Date.now() });
    const t1 = Date.now();
    let lastReport = t1;
    const result = await executePlan({
      plan,
      kinds: kindRegistry,
      ctx: { api, fleetId: 'bench', secretsDir: join(dir, 'secrets'), now: Date.now },
      concurrency: CONCURRENCY,
      // As `iotops apply` does: every create is journaled for crash recovery.
      journal: openJournal(journalPath(join(dir, '.iotops'), 'bench')),
      onStep: (_s, p) => {
        if (Date.now() - lastReport < 15_000) return;
        lastReport = Date.now();
        process.stderr.write(`  ${seconds(lastReport - t1)} s: ${p.done}/${p.total} steps, ${p.failed} failed\n`);
      },
    });
    const t2 = Date.now();
    const stats = api.stats();

    // The floor AWS's limits put under these calls: each operation alone needs calls ÷ TPS.
    const floors = Object.entries(stats.byOperation)
      .map(([op, s]) => ({ op, calls: s.calls, tps: operationTps(op, 'aws') ?? Number.POSITIVE_INFINITY }))
      .map((r) => ({ ...r, seconds: r.calls / r.tps }))
      .sort((a, b) => b.seconds - a.seconds);
    const binding = floors[0]!;
    const wall = (t2 - t0) / 1000;
    const emuStats = (await (await fetch(`${emulator.endpoint}/_emulator/stats`)).json()) as { throttled: Record<string, number>; totalCalls: number };
    const serverThrottles = Object.values(emuStats.throttled).reduce((a, b) => a + b, 0);
    const failed = result.steps.filter((s) => s.outcome !== 'applied');
    const rssMb = process.resourceUsage().maxRSS / 1024;

    const t3 = Date.now();
    const again = await planFleet({ api, desired, kinds: kindRegistry, now: Date.now() });
    const t4 = Date.now();
    api.destroy();

    console.log(`apply: ${THINGS} things in 2 static groups each, ${CERTS} generated certificates, ${counts.groups} groups, ${counts.policies} policies (${plan.changes.length} steps, concurrency ${CONCURRENCY})`);
    console.log(`  wall time        ${seconds(t2 - t0)} s (plan ${seconds(t1 - t0)} s, execute ${seconds(t2 - t1)} s)`);
    console.log(`  AWS minimum      ${binding.seconds.toFixed(1)} s (${binding.op}: ${binding.calls} calls at ${binding.tps} TPS)`);
    console.log(`  ratio            ${(wall / binding.seconds).toFixed(3)}x (target <= 1.15x; the client runs each bucket at 90% of AWS's TPS)`);
    console.log(`  steps            ${result.steps.length} (${failed.length} not applied)`);
    console.log(`  AWS calls        ${stats.total.calls} (${stats.total.retries} retried), ThrottlingException: ${stats.total.throttles} seen by the client, ${serverThrottles} sent by the emulator`);
    console.log(`  peak RSS         ${rssMb.toFixed(0)} MB (target < 400 MB)`);
    console.log(`  second plan      ${again.plan.changes.length} changes (${seconds(t4 - t3)} s)`);
    console.log('  busiest operations (calls, TPS, seconds needed):');
    for (const f of floors.slice(0, 8)) console.log(`    ${f.op.padEnd(28)} ${String(f.calls).padStart(6)} ${String(f.tps).padStart(5)} ${f.seconds.toFixed(1).padStart(7)}`);
    for (const f of failed.slice(0, 5)) console.log(`  not applied: ${f.kind}/${f.name} ${f.outcome} ${f.error?.message ?? f.skippedBecause ?? ''}`);
    if (failed.length > 0 || again.plan.changes.length > 0) process.exitCode = 1;
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
