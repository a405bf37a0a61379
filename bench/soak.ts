// Soak test of `iotops run` (not part of `npm test`): the controller, as its own process, keeps
// a 10,000-thing fleet in heal mode against the emulator with AWS throttling and 5 % injected
// faults, at a 30 s interval, for SOAK_MINUTES (default 30). Each cycle a few things are changed
// behind its back so heal mode has work. The script reads /metrics every 2 s and reports, per
// cycle, the result, duration, RSS and heap, drift and API throttles; at the end it checks that
// every cycle logged was counted in iotops_reconcile_total and that SIGTERM exits 0.
//
//   npm run bench -- soak
//   SOAK_MINUTES=5 SOAK_THINGS=10000 SOAK_INTERVAL=30s SOAK_SEED=7 SOAK_DRIFT=25 npm run bench -- soak
//   SOAK_PREFILL=0 …   also measures the first apply of the whole fleet under throttling
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IoTClient, UpdateThingCommand } from '@aws-sdk/client-iot';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const BIN = join(here, '..', 'bin', 'iotops.js');
const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const THINGS = Number(process.env.SOAK_THINGS ?? 10_000);
const INTERVAL = process.env.SOAK_INTERVAL ?? '30s';
const SEED = Number(process.env.SOAK_SEED ?? 7);
const DRIFT = Number(process.env.SOAK_DRIFT ?? 25);
const PREFILL = process.env.SOAK_PREFILL !== '0';
const FAULTS = `throttle=0.03,500=0.01,reset=0.01,seed=${SEED}`;
const GROUPS = 50;
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const CHILD_ENV = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

function writeFleet(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const perGroup = Math.ceil(THINGS / GROUPS);
  const docs = [`apiVersion: iotops/v1\nkind: ThingType\nmetadata: { name: sensor }\nspec:\n  description: Soak sensor\n  searchableAttributes: [site]\n`];
  for (let p = 0; p < 5; p++) {
    docs.push(`apiVersion: iotops/v1\nkind: Policy\nmetadata: { name: policy-${p} }\nspec:\n  document:\n    Version: "2012-10-17"\n    Statement:\n      - Effect: Allow\n        Action: iot:Publish\n        Resource: "arn:aws:iot:us-east-1:123456789012:topic/site-${p}/*"\n`);
  }
  for (let g = 0; g < GROUPS; g++) {
    const count = Math.min(perGroup, THINGS - g * perGroup);
    docs.push(`apiVersion: iotops/v1\nkind: ThingGroup\nmetadata: { name: site-${pad(g, 2)} }\nspec:\n  description: Site ${g}${g < 5 ? `\n  policies: [policy-${g}]` : ''}\n`);
    if (count <= 0) continue;
    docs.push(
      `apiVersion: iotops/v1\nkind: ThingFleet\nmetadata: { name: site-${pad(g, 2)}-sensors }\nspec:\n  count: ${count}\n  nameTemplate: "s${pad(g, 2)}-{index:05}"\n  template:\n    type: sensor\n    attributes: { site: "${g}", model: TS-1, firmware: "1.0" }\n    groups: [site-${pad(g, 2)}]\n`,
    );
  }
  for (let r = 0; r < 5; r++) {
    docs.push(`apiVersion: iotops/v1\nkind: TopicRule\nmetadata: { name: rule_${r} }\nspec:\n  sql: "SELECT * FROM 'site-${r}/+'"\n  sqlVersion: "2016-03-23"\n  actions:\n    - republish: { topic: "out/${r}", roleArn: "arn:aws:iam::123456789012:role/republish" }\n`);
  }
  writeFileSync(join(dir, 'iotops.yaml'), 'fleetId: soak\n');
  writeFileSync(join(dir, 'fleet.yaml'), docs.join('---\n'));
}

function thingName(i: number): string {
  const perGroup = Math.ceil(THINGS / GROUPS);
  return `s${pad(Math.floor(i / perGroup), 2)}-${pad((i % perGroup) + 1, 5)}`;
}

function run(args: string[], cwd: string): Promise<number> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: CHILD_ENV, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

/** Prometheus text → { 'name{labels}': value }. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}
const sum = (m: Map<string, number>, prefix: string) => [...m].filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v, 0);

interface CycleRow {
  readonly n: number;
  readonly at: number;
  readonly result: string;
  readonly seconds: number;
  readonly rss: number;
  readonly heap: number;
  readonly drifted: number;
  readonly corrected: number;
  readonly calls: number;
  readonly throttles: number;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'iotops-soak-'));
  const fleetDir = join(work, 'fleet');
  const statePath = join(work, 'emulator.json');
  writeFleet(fleetDir);
  console.log(`soak: ${THINGS} things in ${GROUPS} groups, interval ${INTERVAL}, ${MINUTES} min, faults ${FAULTS}, drift ${DRIFT} things per cycle`);

  if (PREFILL) {
    const t0 = Date.now();
    const seedEmu = await startEmulator({ port: 0, statePath, throttle: 'off' });
    const code = await run(['apply', '--fleet', 'fleet', '--endpoint', seedEmu.endpoint, '--auto-approve', '--log-level', 'error'], work);
    seedEmu.save();
    await seedEmu.stop();
    if (code !== 0) throw new Error(`prefill apply exited ${code}`);
    console.log(`prefill: fleet applied without throttling in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const emulator: RunningEmulator = await startEmulator({ port: 0, statePath, throttle: 'aws', faults: FAULTS });
  const client = new IoTClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'soak', secretAccessKey: 'soak' }, maxAttempts: 8 });

  const controller: ChildProcess = spawn(
    process.execPath,
    [BIN, 'run', '--fleet', 'fleet', '--endpoint', emulator.endpoint, '--mode', 'heal', '--interval', INTERVAL, '--listen', '127.0.0.1:0', '--log-format', 'json', '--log-level', 'info'],
    { cwd: work, env: CHILD_ENV, stdio: ['ignore', 'inherit', 'pipe'] },
  );
  const exited = new Promise<number | null>((r) => controller.on('exit', (code) => r(code)));
  const logged = { finished: 0, failed: 0, stalled: 0, errors: [] as string[] };
  let url: string | undefined;
  let buf = '';
  controller.stderr!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.startsWith('{')) {
        if (line.trim()) console.error(`controller: ${line}`);
        continue;
      }
      const rec = JSON.parse(line) as { msg: string; url?: string; error?: string; level: number };
      if (rec.msg.startsWith('status endpoints')) url = rec.url;
      if (rec.msg === 'reconcile finished') logged.finished++;
      if (rec.msg === 'reconcile failed, backing off') {
        logged.failed++;
        logged.errors.push(rec.error ?? '');
      }
      if (rec.msg === 'reconcile stalled until a new revision') logged.stalled++;
    }
  });

  const started = Date.now();
  let exitedEarly: number | null | undefined;
  void exited.then((c) => (exitedEarly = c));
  while (!url && exitedEarly === undefined && Date.now() - started < 60_000) await sleep(100);
  if (!url) throw new Error(`the controller did not report its status URL${exitedEarly !== undefined ? ` (exited ${exitedEarly})` : ''}`);
  const rows: CycleRow[] = [];
  let prev = new Map<string, number>();
  let driftRound = 0;
  let driftInjected = 0;
  const end = started + MINUTES * 60_000;
  const header = ' cycle  time    result   seconds  RSS      heap     drifted corrected  api calls throttles';
  console.log(header);
  while (Date.now() < end) {
    await sleep(2000);
    const m = parseMetrics(await (await fetch(`${url}/metrics`)).text());
    const total = sum(m, 'iotops_reconcile_total');
    const before = sum(prev, 'iotops_reconcile_total');
    if (total > before) {
      const result = ['success', 'failure', 'stalled'].filter((r) => (m.get(`iotops_reconcile_total{result="${r}"}`) ?? 0) > (prev.get(`iotops_reconcile_total{result="${r}"}`) ?? 0)).join('+');
      const row: CycleRow = {
        n: total,
        at: (Date.now() - started) / 1000,
        result: total - before > 1 ? `${result} (${total - before} cycles)` : result,
        seconds: sum(m, 'iotops_reconcile_duration_seconds_sum') - sum(prev, 'iotops_reconcile_duration_seconds_sum'),
        rss: m.get('iotops_process_resident_memory_bytes') ?? 0,
        heap: m.get('iotops_nodejs_heap_size_used_bytes') ?? 0,
        drifted: sum(m, 'iotops_drifted_resources'),
        corrected: sum(m, 'iotops_drift_corrections_total') - sum(prev, 'iotops_drift_corrections_total'),
        calls: sum(m, 'iotops_aws_api_calls_total') - sum(prev, 'iotops_aws_api_calls_total'),
        throttles: sum(m, 'iotops_aws_api_throttles_total') - sum(prev, 'iotops_aws_api_throttles_total'),
      };
      rows.push(row);
      console.log(
        `${String(row.n).padStart(6)}  ${fmtTime(row.at)}  ${row.result.padEnd(8)} ${row.seconds.toFixed(1).padStart(7)}  ${mb(row.rss).padStart(7)}  ${mb(row.heap).padStart(7)}  ${String(row.drifted).padStart(7)} ${String(row.corrected).padStart(9)}  ${String(row.calls).padStart(9)} ${String(row.throttles).padStart(9)}`,
      );
      prev = m;
      // Change a few things behind the controller's back; heal mode must put them back next cycle.
      if (DRIFT > 0 && row.result.startsWith('success')) {
        driftRound++;
        const picks = Array.from({ length: DRIFT }, (_, i) => thingName((driftRound * 7919 + i * 397) % THINGS));
        for (const name of new Set(picks)) {
          await client.send(new UpdateThingCommand({ thingName: name, attributePayload: { attributes: { firmware: `drift-${driftRound}` }, merge: true } })).then(
            () => driftInjected++,
            () => undefined,
          );
        }
      }
    }
  }

  // Final reading between cycles, so the logged and the counted cycles can be compared exactly.
  const idleBy = Date.now() + 10 * 60_000;
  let final = prev;
  let finalLogged = { ...logged };
  while (Date.now() < idleBy) {
    const status = (await (await fetch(`${url}/status`)).json()) as { conditions: Array<{ type: string; status: string }> };
    final = parseMetrics(await (await fetch(`${url}/metrics`)).text());
    finalLogged = { ...logged };
    if (status.conditions.find((c) => c.type === 'Reconciling')?.status === 'False' && sum(final, 'iotops_reconcile_total') === logged.finished + logged.failed + logged.stalled) break;
    await sleep(500);
  }
  const stopAt = Date.now();
  controller.kill('SIGTERM');
  const code = await exited;
  client.destroy();
  const detail = emulator.statsDetail();
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });

  const counted = { success: final.get('iotops_reconcile_total{result="success"}') ?? 0, failure: final.get('iotops_reconcile_total{result="failure"}') ?? 0, stalled: final.get('iotops_reconcile_total{result="stalled"}') ?? 0 };
  const successes = rows.filter((r) => r.result.startsWith('success'));
  const rssAfterFirst = successes.length > 1 ? successes[1]!.rss : rows[0]?.rss ?? 0;
  const report = {
    things: THINGS,
    minutes: +((stopAt - started) / 60_000).toFixed(1),
    interval: INTERVAL,
    faults: FAULTS,
    cycles: sum(final, 'iotops_reconcile_total'),
    counted,
    logged: { finished: finalLogged.finished, failed: finalLogged.failed, stalled: finalLogged.stalled },
    everyCycleCounted: counted.success === finalLogged.finished && counted.failure === finalLogged.failed && counted.stalled === finalLogged.stalled,
    rss: { start: rows[0]?.rss ?? 0, afterSecondCycle: rssAfterFirst, end: rows[rows.length - 1]?.rss ?? 0, max: Math.max(0, ...rows.map((r) => r.rss)) },
    cycleSeconds: { min: Math.min(...successes.map((r) => r.seconds)), max: Math.max(...successes.map((r) => r.seconds)) },
    driftInjected,
    driftCorrected: sum(final, 'iotops_drift_corrections_total'),
    apiCalls: sum(final, 'iotops_aws_api_calls_total'),
    apiThrottles: sum(final, 'iotops_aws_api_throttles_total'),
    emulator: detail,
    failures: logged.errors.slice(0, 5),
    sigtermExit: code,
  };
  console.log('\n--- soak report');
  console.log(`duration ${report.minutes} min, ${report.cycles} cycles: ${counted.success} success, ${counted.failure} failure, ${counted.stalled} stalled`);
  console.log(`every cycle counted in /metrics: ${report.everyCycleCounted ? 'yes' : 'NO'} (logs: ${finalLogged.finished} finished, ${finalLogged.failed} failed, ${finalLogged.stalled} stalled)`);
  console.log(`controller RSS: start ${mb(report.rss.start)}, after 2nd successful cycle ${mb(report.rss.afterSecondCycle)}, end ${mb(report.rss.end)}, max ${mb(report.rss.max)}`);
  console.log(`successful cycle duration: ${report.cycleSeconds.min.toFixed(1)}–${report.cycleSeconds.max.toFixed(1)} s`);
  console.log(`drift: ${driftInjected} changes injected, ${report.driftCorrected} corrected; API calls ${report.apiCalls}, throttled ${report.apiThrottles}`);
  if (report.failures.length > 0) console.log(`failed cycles (first ${report.failures.length}):\n  ${report.failures.join('\n  ')}`);
  console.log(`SIGTERM exit code: ${code}`);
  mkdirSync(join(here, 'results'), { recursive: true });
  const file = join(here, 'results', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ ...report, rows }, null, 2)}\n`);
  console.log(`full report: ${file}`);
  if (code !== 0 || !report.everyCycleCounted || counted.success === 0) process.exitCode = 1;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmtTime = (s: number) => `${pad(Math.floor(s / 60), 2)}:${pad(Math.floor(s % 60), 2)}`;

await main();
