// Benchmark of `plan` against the emulator with AWS throttling: a fleet that already matches the
// live state (so the plan must come out empty), for 10,000 and 100,000 things in 50 groups, with
// 20 policies, 10 topic rules and 5 jobs. Reports API calls against the reads AWS's API needs,
// ThrottlingExceptions (target 0), wall time against the slowest operation's calls ÷ TPS, peak
// RSS of the planning process (< 300 MB), and what a per-resource refresh would cost.
//
//   npm run bench -- plan                # 10,000 and 100,000 things
//   node --import tsx bench/plan.ts 10000 # one size
//
// Phases run in separate processes so each RSS figure is its own: the emulator
// (`iotops emulator`), the seeding client (applies the fleet with client rate limits and emulator
// throttling off), and the measured planner (rate limits and emulator throttling both `aws`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { startEmulatorProcess } from './support/emulator-process.js';

const GROUPS = 50;
const POLICIES = 20;
const RULES = 10;
const JOBS = 5;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

function writeFleet(dir: string, things: number): void {
  mkdirSync(dir, { recursive: true });
  const perGroup = Math.ceil(things / GROUPS);
  const docs: string[] = [];
  docs.push(`apiVersion: iotops/v1\nkind: ThingType\nmetadata: { name: sensor }\nspec:\n  description: Bench sensor\n  searchableAttributes: [site]\n`);
  for (let p = 0; p < POLICIES; p++) {
    docs.push(`apiVersion: iotops/v1\nkind: Policy\nmetadata: { name: policy-${pad(p, 2)} }\nspec:\n  document:\n    Version: "2012-10-17"\n    Statement:\n      - Effect: Allow\n        Action: iot:Publish\n        Resource: "arn:aws:iot:us-east-1:123456789012:topic/site-${pad(p, 2)}/*"\n`);
  }
  for (let g = 0; g < GROUPS; g++) {
    const policies = g < POLICIES ? `\n  policies: [policy-${pad(g, 2)}]` : '';
    docs.push(`apiVersion: iotops/v1\nkind: ThingGroup\nmetadata: { name: site-${pad(g, 2)} }\nspec:\n  description: Site ${g}\n  attributes: { site: "${g}" }${policies}\n`);
    const count = Math.min(perGroup, things - g * perGroup);
    if (count <= 0) continue;
    docs.push(
      `apiVersion: iotops/v1\nkind: ThingFleet\nmetadata: { name: site-${pad(g, 2)}-sensors }\nspec:\n  count: ${count}\n  nameTemplate: "s${pad(g, 2)}-{index:06}"\n  template:\n    type: sensor\n    attributes: { site: "${g}", model: TS-1 }\n    groups: [site-${pad(g, 2)}]\n`,
    );
  }
  for (let r = 0; r < RULES; r++) {
    docs.push(`apiVersion: iotops/v1\nkind: TopicRule\nmetadata: { name: rule_${pad(r, 2)} }\nspec:\n  sql: "SELECT * FROM 'site-${pad(r, 2)}/+'"\n  sqlVersion: "2016-03-23"\n  actions:\n    - republish: { topic: "out/${r}", roleArn: "arn:aws:iam::123456789012:role/republish" }\n`);
  }
  for (let j = 0; j < JOBS; j++) {
    docs.push(`apiVersion: iotops/v1\nkind: Job\nmetadata: { name: job-${j} }\nspec:\n  targets: { groups: [site-${pad(j, 2)}] }\n  targetSelection: SNAPSHOT\n  document: { operation: noop, n: ${j} }\n`);
  }
  writeFileSync(join(dir, 'iotops.yaml'), 'fleetId: bench\n');
  writeFileSync(join(dir, 'fleet.yaml'), docs.join('---\n'));
}

function runPhase(args: string[]): Record<string, unknown> {
  const p = spawnSync(process.execPath, ['--max-old-space-size=2048', '--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (p.status !== 0) throw new Error(`phase ${args[0]} failed with ${p.status}`);
  return JSON.parse(p.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

async function benchSize(things: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'iotops-bench-plan-'));
  try {
    const fleetDir = join(dir, 'fleet');
    const statePath = join(dir, 'emulator.json');
    writeFleet(fleetDir, things);

    // Seed fast: apply a copy of the fleet with one thing per group through the kinds (so every
    // resource and the inventory group look exactly as iotops leaves them), then clone that
    // thing's record in the emulator's state file for the other things of the fleet.
    const seedFleetDir = join(dir, 'seed-fleet');
    writeFleet(seedFleetDir, GROUPS);
    const seedEmu = await startEmulatorProcess({ statePath, throttle: 'off' });
    const seed = runPhase(['seed', seedFleetDir, seedEmu.endpoint]);
    await seedEmu.stop();
    const expanded = runPhase(['expand', fleetDir, statePath]);
    seed.seconds = (seed.seconds as number) + (expanded.seconds as number);

    const emu = await startEmulatorProcess({ statePath, throttle: 'aws' });
    const m = runPhase(['measure', fleetDir, emu.endpoint, 'aws']);
    await emu.stop();
    report(things, seed, m);
    if (things <= 10_000) {
      // The control: the same plan with client buckets off, relying on retries alone.
      const emu2 = await startEmulatorProcess({ statePath, throttle: 'aws' });
      const off = runPhase(['measure', fleetDir, emu2.endpoint, 'off']);
      await emu2.stop();
      process.stdout.write(
        `  without client token buckets (retries only): ${off.calls} calls, ${off.throttles} ThrottlingException, ${(off.planSeconds as number).toFixed(1)} s, ${off.changes} changes\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(things: number, seed: Record<string, unknown>, m: Record<string, unknown>): void {
  const byOp = m.byOperation as Record<string, { calls: number; throttles: number }>;
  const tps = m.tps as Record<string, number>;
  const calls = m.calls as number;
  const pages = (n: number) => Math.max(1, Math.ceil(n / 250));
  // The first reading of the issue's "list-page minimum": ListThings + the inventory group's members
  // (the things' ownership proof) + every group's members, ONE call per policy, rule and job, and
  // ~10 single-page lists (types, groups, policies, rules, jobs, ...).
  const minimum = pages(things) * 2 + GROUPS * pages(Math.ceil(things / GROUPS)) + POLICIES + RULES + JOBS + 10;
  // What AWS's API actually needs to read what the fleet declares: a group's attributes,
  // description and parent exist only in DescribeThingGroup, a policy's attachments only in
  // ListTargetsForPolicy, a job's document only in GetJobDocument, so those are a second call per
  // resource; plus the inventory group (certificate ledger) and the ownership ledger, one
  // DescribeThingGroup each. Everything else is a list page at AWS's maximum page size.
  const singles = 6; // ListThingTypes, ListThingGroups, ListPolicies, ListTopicRules, ListJobs, ListCertificates
  const floor =
    pages(things) * 2 + GROUPS * (pages(Math.ceil(things / GROUPS)) + 1) + POLICIES * 2 + RULES + JOBS * 2 + singles + 2;
  const bound = Object.entries(byOp).map(([op, s]) => ({ op, seconds: s.calls / (tps[op] ?? 1) }));
  bound.sort((a, b) => b.seconds - a.seconds);
  const lines = [
    `things: ${things.toLocaleString('en')} (${GROUPS} groups, ${POLICIES} policies, ${RULES} rules, ${JOBS} jobs)`,
    `  seed: ${seed.calls} SDK calls for one thing per group, the rest cloned in the state file; ${(seed.seconds as number).toFixed(1)} s`,
    `  fleet load: ${(m.loadSeconds as number).toFixed(2)} s, ${m.resources} resources`,
    `  plan changes: ${m.changes} (expected 0)`,
    `  API calls: ${calls} = ${(calls / floor).toFixed(2)}× the reads AWS's API needs ≈ ${floor} (ListThings and inventory pages of 250, group member pages + DescribeThingGroup per group, GetPolicy + ListTargetsForPolicy per policy, GetTopicRule per rule, DescribeJob + GetJobDocument per job, 6 single-page lists, 2 ledger reads; target ≤ 1.2×)`,
    `    = ${(calls / minimum).toFixed(2)}× ${minimum}, the same minimum counting one call per group, policy and job; no ListTagsForResource: the ownership ledger proves the ${1 + GROUPS + POLICIES + RULES + JOBS} taggable resources`,
    `  by operation: ${Object.entries(byOp).map(([op, s]) => `${op} ${s.calls}`).join(', ')}`,
    `  ThrottlingException: ${m.throttles} (client) / ${m.serverThrottles} (emulator)`,
    `  wall time: ${(m.planSeconds as number).toFixed(1)} s read+diff = ${((m.planSeconds as number) / (bound[0]?.seconds ?? 1)).toFixed(2)}× the binding operation ${bound[0]?.op} ${byOp[bound[0]?.op ?? '']?.calls} calls ÷ ${tps[bound[0]?.op ?? '']} TPS = ${bound[0]?.seconds.toFixed(1)} s (target ≤ 1.5×)`,
    `  peak RSS (planner process): ${(m.peakRssMb as number).toFixed(0)} MB (target < 300 MB); ${(m.rssAfterLoadMb as number).toFixed(0)} MB after loading the fleet, before reading AWS`,
    `  per-resource refresh instead: ≥ ${things + GROUPS + POLICIES + RULES + JOBS} Describe/Get calls (DescribeThing ×${things} at 350 TPS = ${(things / 350).toFixed(1)} s, plus one per group/policy/rule/job)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function seedPhase(fleetDir: string, endpoint: string): Promise<void> {
  const { loadFleet } = await import('../src/manifest/index.js');
  const { createIotApi } = await import('../src/aws/client.js');
  const { kindRegistry } = await import('../src/kinds/registry.js');
  const { planFleet } = await import('../src/session/plan-fleet.js');
  const { executePlan } = await import('../src/apply/executor.js');
  const { syncOwnershipLedger } = await import('../src/apply/ownership.js');
  const started = performance.now();
  const loaded = await loadFleet({ dir: fleetDir, processEnv: {} });
  if (!loaded.state) throw new Error(JSON.stringify(loaded.diagnostics.slice(0, 5)));
  const api = createIotApi({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, rateLimits: 'off' });
  const { plan, live } = await planFleet({ api, desired: loaded.state, kinds: kindRegistry, now: Date.now() });
  const secretsDir = mkdtempSync(join(tmpdir(), 'iotops-bench-secrets-'));
  const result = await executePlan({ plan, kinds: kindRegistry, concurrency: 32, ctx: { api, fleetId: loaded.state.config.fleetId, secretsDir, now: Date.now } });
  rmSync(secretsDir, { recursive: true, force: true });
  const failed = result.steps.filter((s) => s.outcome !== 'applied');
  if (failed.length > 0) throw new Error(`seed apply failed: ${JSON.stringify(failed.slice(0, 3))}`);
  // As `iotops apply` does: record the fleet's taggable resources in its ownership ledger.
  await syncOwnershipLedger({ api, fleetId: loaded.state.config.fleetId, kinds: kindRegistry, live, plan, result });
  process.stdout.write(`${JSON.stringify({ calls: api.stats().total.calls, seconds: (performance.now() - started) / 1000 })}\n`);
  api.destroy();
}

async function measurePhase(fleetDir: string, endpoint: string, limits: 'aws' | 'off'): Promise<void> {
  const { loadFleet } = await import('../src/manifest/index.js');
  const { createIotApi } = await import('../src/aws/client.js');
  const { operationTps } = await import('../src/aws/rate-limits.js');
  const { kindRegistry } = await import('../src/kinds/registry.js');
  const { planFleet } = await import('../src/session/plan-fleet.js');
  const loadStart = performance.now();
  const loaded = await loadFleet({ dir: fleetDir, processEnv: {} });
  if (!loaded.state) throw new Error('invalid fleet');
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const rssAfterLoadMb = process.memoryUsage().rss / 1024 / 1024;
  const api = createIotApi({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, rateLimits: limits, maxRetries: 12 });
  const started = performance.now();
  const { plan } = await planFleet({ api, desired: loaded.state, kinds: kindRegistry, now: Date.now() });
  const planSeconds = (performance.now() - started) / 1000;
  const stats = api.stats();
  const server = (await (await fetch(`${endpoint}/_emulator/stats`)).json()) as { throttled?: Record<string, number> };
  const tps: Record<string, number> = {};
  for (const op of Object.keys(stats.byOperation)) tps[op] = operationTps(op, 'aws') ?? 0;
  process.stdout.write(
    `${JSON.stringify({
      resources: loaded.state.resources.length,
      loadSeconds,
      planSeconds,
      changes: plan.changes.length,
      changeSample: plan.changes.slice(0, 3).map((c) => ({ kind: c.kind, name: c.name, action: c.action, fields: c.fields })),
      calls: stats.total.calls,
      throttles: stats.total.throttles,
      serverThrottles: Object.values(server.throttled ?? {}).reduce((a, b) => a + b, 0),
      byOperation: stats.byOperation,
      tps,
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1024 / 1024,
      rssAfterLoadMb,
    })}\n`,
  );
  api.destroy();
}

/** Adds every thing of the full fleet to the state file, cloned from the seeded one of its group. */
async function expandPhase(fleetDir: string, statePath: string): Promise<void> {
  const started = performance.now();
  const { loadFleet } = await import('../src/manifest/index.js');
  const { loadState, saveStateAtomic } = await import('../src/emulator/persistence.js');
  const { inventoryGroupName } = await import('../src/model/live.js');
  const state = loadState(statePath);
  if (!state) throw new Error('no emulator state to expand');
  const loaded = await loadFleet({ dir: fleetDir, processEnv: {} });
  if (!loaded.state) throw new Error('invalid fleet');
  const inventory = state.thingGroups.get(inventoryGroupName(loaded.state.config.fleetId));
  if (!inventory) throw new Error('the seed apply did not create the inventory group');
  const template = [...state.things.values()][0];
  let createdAt = template.createdAt;
  for (const r of loaded.state.resources) {
    if (r.kind !== 'Thing' || state.things.has(r.name)) continue;
    state.things.set(r.name, {
      ...template,
      thingName: r.name,
      thingId: randomUUID(),
      thingArn: template.thingArn.replace(/thing\/.*$/, `thing/${r.name}`),
      ...(r.spec.type ? { thingTypeName: r.spec.type } : {}),
      attributes: { ...r.spec.attributes },
      version: 1,
      createdAt: ++createdAt,
    });
    inventory.members.add(r.name);
    for (const g of r.spec.groups) state.thingGroups.get(g)?.members.add(r.name);
  }
  saveStateAtomic(statePath, state);
  process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - started) / 1000 })}\n`);
}

const [mode, a, b, c] = process.argv.slice(2);
if (mode === 'seed') await seedPhase(a, b);
else if (mode === 'expand') await expandPhase(a, b);
else if (mode === 'measure') await measurePhase(a, b, c === 'off' ? 'off' : 'aws');
else {
  const sizes = mode ? [Number(mode)] : [10_000, 100_000];
  for (const n of sizes) await benchSize(n);
}
