// Emulator throughput and scale. The emulator runs in a child process (as `iotops emulator` would)
// so the load generator does not share its event loop. Throttling is off. Measures:
//   1. autocannon DescribeThing and CreateThing (targets: ≥ 5,000 and ≥ 3,000 req/s on 2 cores)
//   2. SDK-driven DescribeThing rate (what iotops itself can push through @aws-sdk/client-iot)
//   3. ListThings paging over 100,000 things: ms per page at the start vs at the end (O(page))
//   4. emulator RSS with 100,000 things × 5 attributes (target < 300 MB)
// Run: npx tsx bench/emulator.ts   (or npm run bench -- emulator)
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DescribeThingCommand, IoTClient } from '@aws-sdk/client-iot';

const SERVE = process.argv.includes('--serve');
const THINGS = Number(process.env.BENCH_THINGS ?? 100_000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);

function ask<T>(child: ChildProcess, cmd: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send({ cmd });
  });
}

function call(agent: Agent, endpoint: string, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}${path}`, { method, agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// autocannon ships no types; only what this file uses.
interface CannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: CannonRequest) => CannonRequest;
}
interface CannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  requests?: CannonRequest[];
}
interface CannonResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
}
type Autocannon = (opts: CannonOptions, cb: (err: Error | null, res: CannonResult) => void) => unknown;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function cannon(opts: CannonOptions): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function startChild(): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { endpoint } = await new Promise<{ endpoint: string }>((resolve) => child.once('message', (m) => resolve(m as { endpoint: string })));
  return { child, endpoint };
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ cmd: 'stop' });
  await exited;
}

const report: Record<string, string> = {};
function log(k: string, v: string): void {
  report[k] = v;
  process.stderr.write(`  ${k}: ${v}\n`);
}

/** Five attributes need a thing type (three is the untyped limit). */
const THING_BODY = (i: number) =>
  JSON.stringify({ thingTypeName: 'bench-type', attributePayload: { attributes: { serial: `sn${i}`, model: `m${i % 50}`, site: `site-${i % 97}`, battery: String(i % 101), fw: `1.${i % 13}.0` } } });

async function throughput(): Promise<void> {
  const { child, endpoint } = await startChild();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    await call(agent, endpoint, 'POST', '/thing-types/bench-type', '{}');
    await call(agent, endpoint, 'POST', '/things/bench-describe', THING_BODY(0));
    await cannon({ url: `${endpoint}/things/bench-describe`, connections: 20, duration: 2 });
    const describe = await cannon({ url: `${endpoint}/things/bench-describe`, connections: 50, duration: DURATION_S });
    log('DescribeThing, autocannon 50 connections, req/s (target >= 5,000)', `${fmt(describe.requests.average)} (p99 ${describe.latency.p99} ms, non-2xx ${describe.non2xx})`);

    let n = 0;
    const create = await cannon({
      url: endpoint,
      connections: 50,
      duration: DURATION_S,
      requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, path: `/things/cannon-${n}`, body: THING_BODY(n++) }) }],
    });
    log('CreateThing, autocannon 50 connections, req/s (target >= 3,000)', `${fmt(create.requests.average)} (p99 ${create.latency.p99} ms, non-2xx ${create.non2xx})`);

    const iot = new IoTClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const sdkLoop = async (seconds: number): Promise<number> => {
      const end = performance.now() + seconds * 1000;
      let calls = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (performance.now() < end) {
            await iot.send(new DescribeThingCommand({ thingName: 'bench-describe' }));
            calls++;
          }
        }),
      );
      return calls / ((performance.now() - start) / 1000);
    };
    await sdkLoop(2);
    log('DescribeThing via @aws-sdk/client-iot, 32 in flight, calls/s (client-bound)', fmt(await sdkLoop(DURATION_S)));
    iot.destroy();
  } finally {
    agent.destroy();
    await stopChild(child);
  }
}

async function scale(): Promise<void> {
  const { child, endpoint } = await startChild();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    await call(agent, endpoint, 'POST', '/thing-types/bench-type', '{}');
    const base = await ask<{ rss: number; heapUsed: number }>(child, 'rss');
    let i = 0;
    const seedStart = performance.now();
    const seeded = await cannon({
      url: endpoint,
      connections: 50,
      amount: THINGS,
      requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, path: `/things/fleet-${String(i).padStart(6, '0')}`, body: THING_BODY(i++) }) }],
    });
    if (seeded.non2xx > 0) throw new Error(`seeding failed: ${seeded.non2xx} non-2xx responses`);
    log(`seed ${fmt(THINGS)} things x 5 attributes with CreateThing`, `${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const times: number[] = [];
    let token: string | undefined;
    let listed = 0;
    do {
      const t0 = performance.now();
      const r = await call(agent, endpoint, 'GET', `/things?maxResults=250${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
      times.push(performance.now() - t0);
      const page = JSON.parse(r.body) as { things: unknown[]; nextToken?: string };
      listed += page.things.length;
      token = page.nextToken;
    } while (token);
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    log('ListThings pages of 250 (things listed)', `${times.length} pages (${fmt(listed)})`);
    log('ListThings ms/page: first 20 pages vs last 20 pages', `${avg(times.slice(0, 20)).toFixed(2)} vs ${avg(times.slice(-20)).toFixed(2)}`);

    const mem = await ask<{ rss: number; heapUsed: number }>(child, 'rss');
    log(`emulator RSS with ${fmt(THINGS)} things x 5 attributes (target < 300 MB)`, `${fmt(mem.rss / 1e6)} MB (heap ${fmt(mem.heapUsed / 1e6)} MB; empty: ${fmt(base.rss / 1e6)} MB)`);
  } finally {
    agent.destroy();
    await stopChild(child);
  }
}

async function main(): Promise<void> {
  await throughput();
  await scale();
  const width = Math.max(...Object.keys(report).map((k) => k.length));
  for (const [k, v] of Object.entries(report)) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

async function serve(): Promise<void> {
  const { startEmulator } = await import('../src/emulator/index.js');
  const emu = await startEmulator({ port: 0, throttle: 'off' });
  process.on('message', (msg: { cmd: string }) => {
    if (msg.cmd === 'rss') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
    }
    if (msg.cmd === 'stop') void emu.stop().then(() => process.exit(0));
  });
  process.send?.({ endpoint: emu.endpoint });
}

await (SERVE ? serve() : main());
