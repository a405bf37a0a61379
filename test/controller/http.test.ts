// The status endpoints under load and behind a token: probes stay answerable while /metrics and
// /status are flooded; time is an injected clock, waits are on observable state.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startStatusServer, type StatusServer, type StatusServerProps } from '../../src/controller/http.js';

let server: StatusServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A registry whose renders the test resolves by hand. */
function slowRegistry() {
  const pending: ((text: string) => void)[] = [];
  return {
    renders: () => pending.length,
    finish: (i: number, text: string) => pending[i]!(text),
    registry: { contentType: 'text/plain; version=0.0.4', metrics: () => new Promise<string>((r) => pending.push(r)) },
  };
}

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const url = new URL(path, server!.url);
  return new Promise((resolve, reject) => {
    // agent:false: one socket per request, like N independent scrapers
    const req = request(url, { headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setImmediate(r));
  expect(check()).toBe(true);
}

async function start(extra: Partial<StatusServerProps>, reg = slowRegistry()) {
  let t = 0;
  server = await startStatusServer({
    host: '127.0.0.1',
    port: 0,
    controller: { ready: () => true, status: () => ({ phase: 'ok' }) as never },
    metrics: { registry: reg.registry as never },
    now: () => t,
    ...extra,
  });
  return { reg, advance: (ms: number) => (t += ms) };
}

describe('status server under a /metrics flood', () => {
  it('answers /healthz and /readyz while /metrics requests are pending, and refuses scrapes beyond the bound', async () => {
    const { reg } = await start({ maxBusy: 4 });
    const scrapes = [1, 2, 3, 4].map(() => get('/metrics'));
    await until(() => server!.busy() === 4);
    expect(reg.renders()).toBe(1); // four scrapes, one render in flight

    const extra = await get('/metrics');
    expect(extra).toEqual({ status: 503, body: 'busy: too many /metrics and /status requests in progress, retry\n' });
    expect((await get('/status')).status).toBe(503);
    expect(await get('/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect((await get('/readyz')).status).toBe(200);

    reg.finish(0, 'iotops_up 1\n');
    expect((await Promise.all(scrapes)).map((r) => r.body)).toEqual(Array(4).fill('iotops_up 1\n'));
    await until(() => server!.busy() === 0);
    expect((await get('/status')).status).toBe(200);
  });

  it('renders the metrics at most once per cache window', async () => {
    const { reg, advance } = await start({ metricsCacheMs: 1000 });
    const first = get('/metrics');
    await until(() => reg.renders() === 1);
    reg.finish(0, 'a 1\n');
    expect((await first).body).toBe('a 1\n');
    advance(999);
    expect((await get('/metrics')).body).toBe('a 1\n');
    expect(reg.renders()).toBe(1);
    advance(1);
    const next = get('/metrics');
    await until(() => reg.renders() === 2);
    reg.finish(1, 'a 2\n');
    expect((await next).body).toBe('a 2\n');
  });
});

describe('status token', () => {
  it('guards /metrics and /status, never the probes', async () => {
    const { reg } = await start({ token: 's3cret', metricsCacheMs: 0 });
    expect(await get('/status')).toEqual({ status: 401, body: 'unauthorized: send Authorization: Bearer <status token>\n' });
    expect((await get('/metrics', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(reg.renders()).toBe(0);
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    expect((await get('/status', { authorization: 'Bearer s3cret' })).status).toBe(200);
  });
});
