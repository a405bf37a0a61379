// The SDK adapter against the emulator through the real @aws-sdk/client-iot: typed retries on
// injected faults, terminal errors, and token buckets that keep a burst under AWS's limits.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { AwsCallError, isAwsError } from '../../src/aws/errors.js';
import { until, virtualTime, type VirtualTime } from '../support/virtual-time.js';

let env: TestEmulator | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

const fastBackoff = { backoff: { baseMs: 1, capMs: 5 } } as const;

describe('createIotApi retries', () => {
  it('retries injected throttles, 500s, 503s and dropped connections until every call succeeds', async () => {
    env = await startTestEmulator({ faults: 'throttle=0.2,500=0.1,503=0.1,reset=0.05,seed=42', api: { ...fastBackoff, maxRetries: 20 } });
    const names = Array.from({ length: 60 }, (_, i) => `thing-${i}`);

    await Promise.all(names.map((thingName) => env!.api.send('CreateThing', { thingName })));

    const listed = await env.api.send('ListThings', { maxResults: 250 });
    expect(listed.things?.map((t) => t.thingName).sort()).toEqual([...names].sort());
    const ours = env.api.stats();
    const faults = env.emulator.statsDetail().faults;
    const injected = Object.values(faults).reduce((a, b) => a + b, 0);
    expect(injected).toBeGreaterThan(0);
    expect(ours.total.retries).toBe(injected);
    expect(ours.total.throttles).toBe(faults.throttle ?? 0);
    expect(ours.total.errors).toBe(0);
    expect(ours.total.calls).toBe(env.emulator.statsDetail().totalCalls);
  });

  it('gives up after maxRetries with a retryable AwsCallError', async () => {
    env = await startTestEmulator({ faults: 'throttle=1,seed=1', api: { ...fastBackoff, maxRetries: 3 } });

    const err = await env.api.send('ListThings', {}).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AwsCallError);
    expect(err).toMatchObject({ operation: 'ListThings', awsErrorName: 'ThrottlingException', code: 'throttled', httpStatus: 400, retryable: true, attempts: 4, fault: 'system' });
    expect(env.emulator.stats().ListThings).toBe(4);
    expect(env.api.stats().byOperation.ListThings).toMatchObject({ calls: 4, throttles: 4, retries: 3, errors: 1 });
  });

  it('does not retry LimitExceededException (a hard quota the SDK would treat as a throttle)', async () => {
    env = await startTestEmulator({ api: fastBackoff });
    const group = await env.api.send('CreateThingGroup', { thingGroupName: 'g' });
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));

    const err = await env.api.send('TagResource', { resourceArn: group.thingGroupArn!, tags }).catch((e: unknown) => e);

    expect(err).toMatchObject({ awsErrorName: 'LimitExceededException', code: 'limit-exceeded', httpStatus: 410, retryable: false, attempts: 1, fault: 'user' });
    expect(env.emulator.stats().TagResource).toBe(1);
    expect(env.api.stats().byOperation.TagResource).toMatchObject({ calls: 1, retries: 0, errors: 1 });
  });

  it('does not retry 4xx client errors and keeps the AWS error name', async () => {
    env = await startTestEmulator({ api: fastBackoff });

    const err = await env.api.send('DescribeThing', { thingName: 'missing' }).catch((e: unknown) => e);

    expect(isAwsError(err, 'ResourceNotFoundException')).toBe(true);
    expect(err).toMatchObject({ code: 'not-found', httpStatus: 404, retryable: false, attempts: 1 });
    expect(env.emulator.stats().DescribeThing).toBe(1);
  });

  it('fails fast on an operation the SDK does not have', async () => {
    env = await startTestEmulator();
    await expect(env.api.send('NoSuchOperation' as 'ListThings', {})).rejects.toThrow(/unknown AWS IoT operation: NoSuchOperation/);
  });

  it('returns the output without SDK metadata', async () => {
    env = await startTestEmulator();
    const out = await env.api.send('ListThings', {});
    expect(out).not.toHaveProperty('$metadata');
    expect(out.things).toEqual([]);
  });
});

describe('createIotApi token buckets', () => {
  // ListThings is 10 TPS at AWS. Scaled ×5 on both sides, the emulator admits 50 at once and then
  // 50/s; the client's bucket (90% of that) a burst of 45 and then 45/s. One virtual clock drives
  // both, so each request meets the emulator's throttle at the instant the client released it.
  const scale = 5;
  const interval = 1000 / 45;

  /** `n` concurrent ListThings; time moves only once every request released so far reached the emulator. */
  async function burst(e: TestEmulator, time: VirtualTime, n: number) {
    const results = Promise.allSettled(Array.from({ length: n }, () => e.api.send('ListThings', {})));
    do await until(() => (e.emulator.stats().ListThings ?? 0) === (e.api.stats().byOperation.ListThings?.calls ?? 0));
    while (time.advance());
    return results;
  }

  it('keeps a concurrent burst under the emulator’s AWS throttle with zero ThrottlingException', async () => {
    const time = virtualTime();
    env = await startTestEmulator({
      throttle: 'aws',
      throttleScale: scale,
      throttleClock: time.now,
      api: { rateLimits: scale, maxRetries: 0, now: time.now, sleep: time.sleep },
    });

    const results = await burst(env, time, 60);

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(env.emulator.statsDetail().throttled).toEqual({});
    expect(env.api.stats().byOperation.ListThings).toMatchObject({ calls: 60, throttles: 0, errors: 0 });
    // The bucket, not luck, spread them: 45 went at once, each of the other 15 one interval later.
    const spacing = Array.from({ length: 15 }, (_, k) => Math.round((k + 1) * interval));
    expect(time.slept.map(Math.round)).toEqual(spacing);
    expect(Math.round(env.api.stats().byOperation.ListThings!.waitMs)).toBe(Math.round(120 * interval));
    expect(Math.round(time.now())).toBe(Math.round(15 * interval));
  });

  it('the same burst without client buckets is throttled (the control for the test above)', async () => {
    const time = virtualTime();
    env = await startTestEmulator({ throttle: 'aws', throttleScale: scale, throttleClock: time.now, api: { rateLimits: 'off', maxRetries: 0 } });

    const results = await burst(env, time, 60);

    // All 60 arrive at one instant: the emulator's bucket holds 50, the other 10 are refused.
    const throttled = results.filter((r) => r.status === 'rejected' && isAwsError(r.reason, 'ThrottlingException'));
    expect(throttled).toHaveLength(10);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    expect(env.emulator.statsDetail().throttled).toEqual({ ListThings: 10 });
    expect(time.slept).toEqual([]);
  });
});
