// The emulator refuses what a web page in the developer's browser could send it (CSRF, DNS
// rebinding) while SDK calls keep working.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateThingCommand, ListThingsCommand } from '@aws-sdk/client-iot';
import { clientFor, startTestEmulator, type TestEmulator } from './helpers.js';

const running: TestEmulator[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
});
async function start(allowHosts?: string[]): Promise<TestEmulator> {
  const t = await startTestEmulator(allowHosts ? { allowHosts } : {});
  running.push(t);
  return t;
}

interface Answer {
  readonly status: number;
  readonly errorType?: string;
  readonly body: { message?: string };
}
function send(port: number, method: string, path: string, headers: Record<string, string>, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, errorType: res.headers['x-amzn-errortype'] as string | undefined, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as { message?: string } }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}
const things = async (t: TestEmulator) => ((await t.iot.send(new ListThingsCommand({}))).things ?? []).map((x) => x.thingName);

describe('emulator request guard', () => {
  it('refuses a cross-origin text/plain POST (CSRF) and creates nothing', async () => {
    const t = await start();
    const host = `127.0.0.1:${t.emu.port}`;
    const csrf = await send(t.emu.port, 'POST', '/things/evil', { host, origin: 'https://attacker.example', 'content-type': 'text/plain' }, '{}');
    expect(csrf.status).toBe(403);
    expect(csrf.errorType).toMatch(/^AccessDeniedException/);
    expect(csrf.body.message).toBe("Cross-origin request from 'https://attacker.example' refused: the emulator accepts no browser requests from other origins");
    const nullOrigin = await send(t.emu.port, 'POST', '/things/evil', { host, origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    expect(await things(t)).toEqual([]);
  });

  it('refuses a non-JSON body on a mutating call like AWS refuses a bad request', async () => {
    const t = await start();
    const plain = await send(t.emu.port, 'POST', '/things/evil', { host: `localhost:${t.emu.port}`, 'content-type': 'text/plain' }, '{}');
    expect(plain.status).toBe(400);
    expect(plain.errorType).toMatch(/^InvalidRequestException/);
    expect(plain.body.message).toBe("Content-Type 'text/plain' is not supported: send application/json");
    const form = await send(t.emu.port, 'PATCH', '/things/evil', { host: `localhost:${t.emu.port}`, 'content-type': 'application/x-www-form-urlencoded' }, 'a=1');
    expect(form.status).toBe(400);
    expect(await things(t)).toEqual([]);
    const json = await send(t.emu.port, 'POST', '/things/ok', { host: `[::1]:${t.emu.port}`, origin: `http://localhost:${t.emu.port}`, 'content-type': 'application/json; charset=utf-8' }, '{}');
    expect(json.status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding) unless the operator allows it', async () => {
    const t = await start();
    const rebound = await send(t.emu.port, 'GET', '/things', { host: `attacker.example:${t.emu.port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body.message).toBe(`Host 'attacker.example:${t.emu.port}' is not a loopback address; start the emulator with --allow-host attacker.example to accept it`);
    expect((await send(t.emu.port, 'GET', '/_emulator/stats', { host: 'attacker.example' })).status).toBe(403);
    expect((await send(t.emu.port, 'GET', '/things', { host: `127.0.0.2:${t.emu.port}` })).status).toBe(200);

    const allowed = await start(['emulator']);
    expect((await send(allowed.emu.port, 'GET', '/things', { host: `emulator:${allowed.emu.port}` })).status).toBe(200);
    expect((await send(allowed.emu.port, 'GET', '/things', { host: 'attacker.example' })).status).toBe(403);
  });

  it('lets the SDK through on localhost and 127.0.0.1', async () => {
    const t = await start();
    await t.iot.send(new CreateThingCommand({ thingName: 'a' }));
    const viaName = clientFor(t.emu.endpoint.replace('127.0.0.1', 'localhost'));
    await viaName.send(new CreateThingCommand({ thingName: 'b' }));
    viaName.destroy();
    expect(await things(t)).toEqual(['a', 'b']);
  });
});
