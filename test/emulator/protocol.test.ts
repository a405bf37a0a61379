import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBillingGroupCommand, DescribeThingCommand, ListThingsCommand } from '@aws-sdk/client-iot';
import { createRouter } from '../../src/emulator/protocol/router.js';
import { compileRoute, decodeRequest, encodeResponse } from '../../src/emulator/protocol/codec.js';
import type { OperationRoute, RouteTable } from '../../src/emulator/protocol/route-types.js';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

const table = JSON.parse(readFileSync(new URL('../../src/emulator/protocol/routes.json', import.meta.url), 'utf8')) as RouteTable;

describe('route table', () => {
  const router = createRouter(table.operations);

  it('covers the whole SDK and the modelled error statuses', () => {
    expect(Object.keys(table.operations).length).toBeGreaterThan(250);
    expect(table.errors).toMatchObject({ ResourceAlreadyExistsException: 409, LimitExceededException: 410, ThrottlingException: 400, CertificateStateException: 406 });
  });

  it('prefers literal segments over labels', () => {
    expect(router.match('PUT', '/thing-groups/addThingToThingGroup')?.operation).toBe('AddThingToThingGroup');
    expect(router.match('PATCH', '/thing-groups/addThingToThingGroup')?.operation).toBe('UpdateThingGroup');
    expect(router.match('GET', '/thing-groups/g1/things')?.operation).toBe('ListThingsInThingGroup');
    expect(router.match('GET', '/things')?.operation).toBe('ListThings');
  });

  it('decodes labels and matches greedy labels across slashes', () => {
    const m = router.match('GET', '/things/a%3Ab');
    expect(m?.operation).toBe('DescribeThing');
    expect(m?.labels).toEqual({ thingName: 'a:b' });
    const g = router.match('GET', '/destinations/arn%3Aaws%3Aiot%3Aus-east-1%3A1%3Aruledestination/http/abc');
    expect(g?.operation).toBe('GetTopicRuleDestination');
    expect(g?.labels.arn).toBe('arn:aws:iot:us-east-1:1:ruledestination/http/abc');
    expect(router.match('GET', '/no/such/route')).toBeUndefined();
    expect(router.match('BREW', '/things')).toBeUndefined();
  });
});

describe('codec', () => {
  const route: OperationRoute = {
    method: 'POST',
    path: '/x/{id}',
    status: 200,
    labels: { id: 'number' },
    query: { tags: ['tag', 'list:string'], on: ['on', 'boolean'], since: ['since', 'timestamp'] },
    headers: { principal: ['x-amzn-principal', 'string'] },
    inTimestamps: ['window.start', 'items[].at'],
    outHeaders: { etag: 'x-etag' },
    outTimestamps: ['meta.created', 'list[].at'],
  };
  const compiled = compileRoute(route);

  it('binds labels, repeated query keys, booleans, timestamps and headers; body timestamps become epoch ms', () => {
    const body = Buffer.from(JSON.stringify({ window: { start: 1700000000.5 }, items: [{ at: 1 }, { at: 2 }], other: 'kept' }));
    const input = decodeRequest(compiled, { id: '42' }, new URLSearchParams('tag=a&tag=b&on=true&since=2024-01-01T00:00:00Z'), { 'x-amzn-principal': 'cert-1' }, body);
    expect(input).toEqual({
      id: 42,
      tags: ['a', 'b'],
      on: true,
      since: Date.UTC(2024, 0, 1),
      principal: 'cert-1',
      window: { start: 1700000000500 },
      items: [{ at: 1000 }, { at: 2000 }],
      other: 'kept',
    });
  });

  it('rejects malformed values with AWS errors', () => {
    expect(() => decodeRequest(compiled, { id: 'x' }, undefined, {}, Buffer.alloc(0))).toThrow(/Invalid number/);
    expect(() => decodeRequest(compiled, { id: '1' }, new URLSearchParams('on=yes'), {}, Buffer.alloc(0))).toThrow(/Invalid boolean/);
    expect(() => decodeRequest(compiled, { id: '1' }, undefined, {}, Buffer.from('{'))).toThrow(/not valid JSON/);
  });

  it('moves header-bound members to headers and writes epoch seconds without mutating the handler object', () => {
    const created = new Date(Date.UTC(2025, 5, 1));
    const output = { etag: 'v1', meta: { created }, list: [{ at: 1500 }], name: 'n' };
    const r = encodeResponse(compiled, output);
    expect(r.headers['x-etag']).toBe('v1');
    expect(JSON.parse(r.body)).toEqual({ meta: { created: created.getTime() / 1000 }, list: [{ at: 1.5 }], name: 'n' });
    expect(output.list[0].at).toBe(1500);
    expect(output.meta.created).toBe(created);
  });
});

describe('server', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.stop());

  it('answers an unknown route with a JSON UnknownOperationException, never HTML', async () => {
    const res = await fetch(`${t.emu.endpoint}/definitely/not/iot`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(((await res.json()) as { message: string }).message).toContain('/definitely/not/iot');
  });

  it('names an operation it knows but does not implement', async () => {
    const err = await failure(t.iot.send(new CreateBillingGroupCommand({ billingGroupName: 'b' })));
    expect(err.name).toBe('NotImplementedException');
    expect(err.status).toBe(501);
    expect(err.message).toContain('CreateBillingGroup');
  });

  it('returns SerializationException for a malformed JSON body', async () => {
    const res = await fetch(`${t.emu.endpoint}/things/x`, { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });

  it('surfaces AWS errors to the SDK by name and status', async () => {
    const err = await failure(t.iot.send(new DescribeThingCommand({ thingName: 'nope' })));
    expect([err.name, err.status]).toEqual(['ResourceNotFoundException', 404]);
    expect(err.message).toContain('nope');
  });

  it('serves health and stats, and resets stats', async () => {
    expect(await (await fetch(`${t.emu.endpoint}/_emulator/health`)).json()).toEqual({ status: 'ok' });
    await (await fetch(`${t.emu.endpoint}/_emulator/stats/reset`, { method: 'POST' })).arrayBuffer();
    await t.iot.send(new ListThingsCommand({}));
    await t.iot.send(new ListThingsCommand({}));
    await failure(t.iot.send(new DescribeThingCommand({ thingName: 'nope' })));
    const stats = (await (await fetch(`${t.emu.endpoint}/_emulator/stats`)).json()) as { calls: Record<string, number>; errors: Record<string, number> };
    expect(stats.calls).toEqual({ ListThings: 2, DescribeThing: 1 });
    expect(stats.errors).toEqual({ ResourceNotFoundException: 1 });
    expect(t.emu.stats()).toEqual({ ListThings: 2, DescribeThing: 1 });
    t.emu.resetStats();
    expect(t.emu.stats()).toEqual({});
  });
});

describe('routes.json', () => {
  it('matches what scripts/gen-emulator-routes.ts derives from the installed SDK (re-run it after an SDK upgrade)', async () => {
    const { buildRouteTable } = await import('../../scripts/gen-emulator-routes.js');
    expect(JSON.parse(JSON.stringify(buildRouteTable()))).toEqual(table);
  });
});

describe('server robustness', () => {
  it('survives a client that drops the connection mid-body and keeps serving', async () => {
    const t = await startTestEmulator();
    try {
      const { connect } = await import('node:net');
      const { port } = t.emu;
      await new Promise<void>((resolve) => {
        const sock = connect(port, '127.0.0.1', () => {
          sock.write('POST /things/half HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"attr');
          setTimeout(() => {
            sock.destroy();
            resolve();
          }, 50);
        });
      });
      await new Promise((r) => setTimeout(r, 50));
      expect((await t.iot.send(new ListThingsCommand({}))).things).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});

describe('call log', () => {
  it('reports each answered call with operation, status, error type and duration', async () => {
    const entries: { operation: string; status: number; errorType?: string; ms: number }[] = [];
    const t = await startTestEmulator({ onCall: (e) => entries.push(e) });
    try {
      await t.iot.send(new ListThingsCommand({}));
      await failure(t.iot.send(new DescribeThingCommand({ thingName: 'nope' })));
      await new Promise((r) => setTimeout(r, 20));
      expect(entries.map(({ operation, status, errorType }) => ({ operation, status, errorType }))).toEqual([
        { operation: 'ListThings', status: 200, errorType: undefined },
        { operation: 'DescribeThing', status: 404, errorType: 'ResourceNotFoundException' },
      ]);
      expect(entries.every((e) => e.ms >= 0)).toBe(true);
    } finally {
      await t.stop();
    }
  });
});
