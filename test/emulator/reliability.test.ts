import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateThingCommand, DescribeThingCommand, ListThingsCommand, UpdateThingCommand } from '@aws-sdk/client-iot';
import { parseFaultSpec } from '../../src/emulator/index.js';
import { failure, startTestEmulator, type TestEmulator } from './helpers.js';

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return e.$metadata?.httpStatusCode ? `${e.name}:${e.$metadata.httpStatusCode}` : 'dropped';
  }
}

// The buckets run on a clock the tests move (throttleClock): counts are exact, and refills cost no waiting.
describe('throttling', () => {
  let t: TestEmulator;
  let now = 0;
  beforeAll(async () => {
    t = await startTestEmulator({ throttle: 'aws', throttleRates: { DescribeThing: 0.2, ListThings: 1 }, throttleClock: () => now });
    await t.iot.send(new CreateThingCommand({ thingName: 'th' }));
  });
  afterAll(() => t.stop());

  it('answers calls over the per-operation rate with ThrottlingException 400 "Rate exceeded"', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => outcome(t.iot.send(new DescribeThingCommand({ thingName: 'th' })))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'ThrottlingException:400')).toHaveLength(7);
    const err = await failure(t.iot.send(new DescribeThingCommand({ thingName: 'th' })));
    expect(err.message).toBe('Rate exceeded');
    expect(t.emu.statsDetail().throttled.DescribeThing).toBe(8);
    expect(t.emu.statsDetail().calls.DescribeThing).toBe(9);
  });

  it('keeps a bucket per operation and refills it at the rate', async () => {
    expect(await outcome(t.iot.send(new ListThingsCommand({})))).toBe('ok');
    const burst = await Promise.all(Array.from({ length: 5 }, () => outcome(t.iot.send(new ListThingsCommand({})))));
    expect(burst).toEqual(Array(5).fill('ThrottlingException:400'));
    // 1 TPS: 999 ms refill less than one token, 1000 ms exactly one.
    now += 999;
    expect(await outcome(t.iot.send(new ListThingsCommand({})))).toBe('ThrottlingException:400');
    now += 1;
    expect(await outcome(t.iot.send(new ListThingsCommand({})))).toBe('ok');
    expect(await outcome(t.iot.send(new ListThingsCommand({})))).toBe('ThrottlingException:400');
    // DescribeThing's bucket (0.2 TPS) was emptied by the first test and refilled meanwhile, independently.
    now += 5000;
    expect(await outcome(t.iot.send(new DescribeThingCommand({ thingName: 'th' })))).toBe('ok');
  });

  it('scales the AWS table', async () => {
    const s = await startTestEmulator({ throttle: 'aws', throttleScale: 0.001, throttleClock: () => 0 });
    try {
      await s.iot.send(new CreateThingCommand({ thingName: 'x' }));
      // DescribeThing is 350 TPS in the table → 0.35 TPS, a bucket of one call.
      const results = await Promise.all(Array.from({ length: 10 }, () => outcome(s.iot.send(new DescribeThingCommand({ thingName: 'x' })))));
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    } finally {
      await s.stop();
    }
  });

  it('is off by default', async () => {
    const s = await startTestEmulator();
    try {
      await s.iot.send(new CreateThingCommand({ thingName: 'x' }));
      const results = await Promise.all(Array.from({ length: 50 }, () => outcome(s.iot.send(new ListThingsCommand({})))));
      expect(results.every((r) => r === 'ok')).toBe(true);
    } finally {
      await s.stop();
    }
  });
});

describe('fault injection', () => {
  async function run(spec: string): Promise<string[]> {
    const s = await startTestEmulator({ faults: spec });
    try {
      const out: string[] = [];
      for (let i = 0; i < 60; i++) out.push(await outcome(s.iot.send(new ListThingsCommand({}))));
      return out;
    } finally {
      await s.stop();
    }
  }

  it('is reproducible for a seed and differs for another', async () => {
    const spec = 'throttle=0.15,500=0.1,503=0.1,reset=0.1,seed=7';
    const a = await run(spec);
    const b = await run(spec);
    const c = await run(spec.replace('seed=7', 'seed=8'));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    for (const kind of ['ok', 'ThrottlingException:400', 'InternalFailureException:500', 'ServiceUnavailableException:503', 'dropped']) {
      expect(a).toContain(kind);
    }
  });

  it('adds latency in the given range before answering, and counts injected faults', async () => {
    // The emulator waits through faultSleep: the test sees each wait and decides when it ends.
    const waits: { ms: number; end: () => void }[] = [];
    const s = await startTestEmulator({ faults: 'latency=30-40ms,500=0.5,seed=3', faultSleep: (ms) => new Promise<void>((end) => waits.push({ ms, end })) });
    try {
      let answered = 0;
      const calls = Array.from({ length: 5 }, () => outcome(s.iot.send(new ListThingsCommand({}))).finally(() => answered++));
      while (waits.length < 5) await new Promise((r) => setTimeout(r, 1));
      expect(answered).toBe(0);
      expect(waits.every(({ ms }) => ms >= 30 && ms <= 40)).toBe(true);
      for (const w of waits) w.end();
      await Promise.all(calls);
      const detail = s.emu.statsDetail();
      expect(detail.calls.ListThings).toBe(5);
      expect(detail.faults['500'] ?? 0).toBe(detail.errors.InternalFailureException ?? 0);
    } finally {
      await s.stop();
    }
  });

  it('rejects malformed specs', () => {
    expect(() => parseFaultSpec('throttle=2')).toThrow(/probability/);
    expect(() => parseFaultSpec('explode=0.1')).toThrow(/unknown key/);
    expect(() => parseFaultSpec('latency=50-5ms')).toThrow(/reversed/);
    expect(parseFaultSpec('throttle=0.1,500=0.02,503=0.01,latency=5-50ms,reset=0.01,seed=7')).toEqual({
      throttle: 0.1,
      error500: 0.02,
      error503: 0.01,
      latencyMs: [5, 50],
      reset: 0.01,
      seed: 7,
    });
    expect(parseFaultSpec('lost=0.5,only=CreateKeysAndCertificate+CreateThing')).toEqual({ lost: 0.5, only: ['CreateKeysAndCertificate', 'CreateThing'] });
    expect(() => parseFaultSpec('only=create-thing')).toThrow(/only must list operations/);
    expect(() => parseFaultSpec('lost=0.6,reset=0.5')).toThrow(/more than 1/);
  });

  it('lost: runs the call, then drops the connection; only: other operations see no fault', async () => {
    const s = await startTestEmulator({ faults: 'lost=1,only=CreateThing' });
    try {
      const err = await failure(s.iot.send(new CreateThingCommand({ thingName: 'ran-anyway' })));
      expect(err.status).toBeUndefined(); // no HTTP answer at all
      const listed = await s.iot.send(new ListThingsCommand({}));
      expect(listed.things?.map((t) => t.thingName)).toEqual(['ran-anyway']);
      expect(s.emu.statsDetail().faults).toEqual({ lost: 1 });
    } finally {
      await s.stop();
    }
  });
});

describe('read-only mode', () => {
  it('denies every mutating operation with AccessDeniedException 403 and still serves reads', async () => {
    const s = await startTestEmulator({ readOnly: true });
    try {
      const err = await failure(s.iot.send(new CreateThingCommand({ thingName: 'nope' })));
      expect([err.name, err.status]).toEqual(['AccessDeniedException', 403]);
      expect((await failure(s.iot.send(new UpdateThingCommand({ thingName: 'nope' })))).name).toBe('AccessDeniedException');
      expect((await s.iot.send(new ListThingsCommand({}))).things).toEqual([]);
      expect(s.emu.state.things.size).toBe(0);
      const detail = s.emu.statsDetail();
      expect(detail.calls).toEqual({ CreateThing: 1, UpdateThing: 1, ListThings: 1 });
      expect(detail.denied).toEqual({ CreateThing: 1, UpdateThing: 1 });
    } finally {
      await s.stop();
    }
  });
});
