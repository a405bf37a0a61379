// Benchmark of `iotops validate` (the full loadFleet: walk, read, parse, schema, expand, checks).
// Each scenario runs in a fresh child process so peak RSS (resourceUsage().maxRSS) is its own.
//   npx tsx bench/validate.ts            run all scenarios, print a table and JSON
// Targets (2-core machine): 10,000 Thing documents in 1,000 files < 3 s and < 400 MB;
// a ThingFleet generating 100,000 things < 5 s; one generating 1,000,000 (the documented and
// default --max-things maximum; before issue #11 it overflowed the stack past ~125,000) < 60 s
// (measured: 14 s CPU, 40 s wall on the shared 2-core machine, 950 MB peak RSS); a hostile fleet
// (issue #11: wildcard patterns shaped `*?*?…*?Q` in 100 policy actions and in `ignore:`, 1,000
// things with 128-character names) < 3 s. Then, in this process, the wildcard matcher on its
// worst cases, in ms.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFleet } from '../src/manifest/index.js';
import { compileWildcard } from '../src/lang/wildcard.js';
import { ignoreMatcher } from '../src/plan/fields.js';

export type Scenario = 'documents-10k' | 'thing-fleet-100k' | 'thing-fleet-1m' | 'hostile-patterns';

/** The reported attack (22 wildcards, under the limit of 64). */
const ATTACK = `${'*?'.repeat(11)}Q`;

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly resources: number;
  readonly diagnostics: number;
  readonly seconds: number;
  /** User + system CPU of the load: what the run costs when the machine is not shared. */
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly targetSeconds: number;
  readonly targetRssMb?: number;
  readonly ok: boolean;
  /** 1-minute load average when the scenario finished: wall time is only meaningful when it is below the core count. */
  readonly loadAverage: number;
}

const H = 'apiVersion: iotops/v1\n';

function common(dir: string): void {
  writeFileSync(join(dir, 'iotops.yaml'), 'fleetId: bench\nvars:\n  site: berlin\n');
  writeFileSync(join(dir, 'types.yaml'), `${H}kind: ThingType\nmetadata: { name: sensor }\nspec: { searchableAttributes: [site, model] }\n`);
  const groups = Array.from({ length: 20 }, (_, g) => `${H}kind: ThingGroup\nmetadata: { name: group-${g} }\nspec:\n  ${g === 0 ? 'description: root' : 'parent: group-0'}\n`);
  writeFileSync(join(dir, 'groups.yaml'), groups.join('---\n'));
}

export function generate(scenario: Scenario, dir: string): void {
  common(dir);
  if (scenario === 'hostile-patterns') {
    writeFileSync(join(dir, 'iotops.yaml'), `fleetId: bench\nvars:\n  site: berlin\nignore:\n  - "Thing/${ATTACK}"\n  - "*/${'a*'.repeat(32)}b"\n`);
    // Each action has the attack's shape; `…w` matches iot:UpdateThingShadow, so the fleet is valid.
    const policies = Array.from({ length: 100 }, (_, p) => `${H}kind: Policy\nmetadata: { name: hostile-${p} }\nspec:\n  document:\n    Version: "2012-10-17"\n    Statement:\n      - Effect: Allow\n        Action: "iot:${'*?'.repeat(11)}w"\n        Resource: "*"\n`);
    writeFileSync(join(dir, 'policies.yaml'), policies.join('---\n'));
    const things = Array.from({ length: 1000 }, (_, i) => `${H}kind: Thing\nmetadata: { name: ${String(i).padStart(4, '0')}${'a'.repeat(124)} }\nspec: {}\n`);
    writeFileSync(join(dir, 'things.yaml'), things.join('---\n'));
    return;
  }
  if (scenario === 'thing-fleet-100k' || scenario === 'thing-fleet-1m') {
    const count = scenario === 'thing-fleet-1m' ? 1_000_000 : 100_000;
    writeFileSync(join(dir, 'fleet.yaml'), `${H}kind: ThingFleet\nmetadata: { name: big }\nspec:\n  count: ${count}\n  nameTemplate: "sensor-{index:06}"\n  template:\n    type: sensor\n    attributes: { site: "{{ var.site }}", model: TS-200, firmware: 1.4.0 }\n    groups: [group-3]\n`);
    return;
  }
  for (let f = 0; f < 1000; f++) {
    const sub = join(dir, 'things', `batch-${String(f % 50).padStart(2, '0')}`);
    mkdirSync(sub, { recursive: true });
    const docs: string[] = [];
    for (let i = 0; i < 10; i++) {
      const n = f * 10 + i;
      docs.push(`${H}kind: Thing\nmetadata:\n  name: sensor-${String(n).padStart(5, '0')}\nspec:\n  type: sensor\n  attributes:\n    site: "{{ var.site }}"\n    model: TS-${n % 7}\n    battery: "${n % 100}"\n  groups: [group-${1 + (n % 19)}]\n`);
    }
    writeFileSync(join(sub, `things-${String(f).padStart(4, '0')}.yaml`), docs.join('---\n'));
  }
}

async function runScenario(scenario: Scenario): Promise<Omit<ScenarioResult, 'peakRssMb' | 'targetSeconds' | 'ok' | 'targetRssMb' | 'loadAverage'> & { maxRssKb: number }> {
  const dir = mkdtempSync(join(tmpdir(), `iotops-bench-${scenario}-`));
  try {
    generate(scenario, dir);
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const result = await loadFleet({ dir, processEnv: {} });
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = Number(((cpu.user + cpu.system) / 1e6).toFixed(3));
    if (!result.state) throw new Error(`bench fleet invalid: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
    return { scenario, resources: result.state.resources.length, diagnostics: result.diagnostics.length, seconds, cpuSeconds, maxRssKb: process.resourceUsage().maxRSS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TARGETS: Record<Scenario, { seconds: number; rssMb?: number }> = {
  'documents-10k': { seconds: 3, rssMb: 400 },
  'thing-fleet-100k': { seconds: 5 },
  'hostile-patterns': { seconds: 3 },
  'thing-fleet-1m': { seconds: 60 },
};

export interface PatternTiming {
  readonly name: string;
  readonly ms: number;
  readonly result: boolean | number;
}

/** The wildcard matcher on the shapes that made backtracking RegExps run for minutes. */
export function patternTimings(): PatternTiming[] {
  const time = (name: string, run: () => boolean | number): PatternTiming => {
    const start = performance.now();
    const result = run();
    return { name, ms: Number((performance.now() - start).toFixed(3)), result };
  };
  const name = 'a'.repeat(1000);
  const keys = Array.from({ length: 100_000 }, (_, i) => `Thing/${String(i).padStart(6, '0')}${'a'.repeat(122)}`);
  return [
    time('*?×32 Q on a 1,000-char name', () => compileWildcard(`${'*?'.repeat(32)}Q`).test(name)),
    time('a*×64 b on a 1,000-char name', () => compileWildcard(`${'a*'.repeat(64)}b`).test(name)),
    time('*a×64 *b on a 1,000-char name, case-insensitive', () => compileWildcard(`${'*a'.repeat(64)}*b`, { caseInsensitive: true }).test(name)),
    time('ignore: Thing/*?×11 Q over 100,000 keys of 128-char names', () => {
      const ignored = ignoreMatcher([`Thing/${ATTACK}`]);
      return keys.filter(ignored).length;
    }),
    // The greedy matcher's own worst case: a long segment after the star that almost matches.
    time('ignore: Thing/*a×60 b over 100,000 keys of 128-char names', () => {
      const ignored = ignoreMatcher([`Thing/*${'a'.repeat(60)}b`]);
      return keys.filter(ignored).length;
    }),
  ];
}

/** Runs every scenario in its own process (via tsx) and returns the measurements. */
export function runValidateBench(): ScenarioResult[] {
  const self = fileURLToPath(import.meta.url);
  return (Object.keys(TARGETS) as Scenario[]).map((scenario) => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--scenario', scenario], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`scenario ${scenario} failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout) as Awaited<ReturnType<typeof runScenario>>;
    const peakRssMb = Math.round(r.maxRssKb / 1024);
    const t = TARGETS[scenario];
    const ok = r.seconds < t.seconds && (t.rssMb === undefined || peakRssMb < t.rssMb);
    return { scenario, resources: r.resources, diagnostics: r.diagnostics, seconds: Number(r.seconds.toFixed(3)), cpuSeconds: r.cpuSeconds, peakRssMb, loadAverage: Number(loadavg()[0].toFixed(2)), targetSeconds: t.seconds, ...(t.rssMb ? { targetRssMb: t.rssMb } : {}), ok };
  });
}

const argv = process.argv.slice(2);
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (argv[0] === '--scenario') {
    process.stdout.write(JSON.stringify(await runScenario(argv[1] as Scenario)));
  } else {
    const results = runValidateBench();
    for (const r of results) {
      const rss = r.targetRssMb ? ` (target < ${r.targetRssMb} MB)` : '';
      process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.scenario}: ${r.resources} resources in ${r.seconds}s wall / ${r.cpuSeconds}s CPU (target < ${r.targetSeconds}s), peak RSS ${r.peakRssMb} MB${rss}, load average ${r.loadAverage}\n`);
    }
    process.stdout.write(`${JSON.stringify(results)}\n`);
    for (const t of patternTimings()) process.stdout.write(`     wildcard ${t.name}: ${t.ms} ms (result ${String(t.result)})\n`);
    if (results.some((r) => !r.ok)) process.exitCode = 1;
  }
}
