import { describe, expect, it } from 'vitest';
import { createTokenBucket, bucketForTps } from '../../src/aws/token-bucket.js';
import { operationTps, UNKNOWN_OPERATION_TPS } from '../../src/aws/rate-limits.js';

function fakeClock() {
  let t = 1_000;
  return {
    now: () => t,
    sleep: async (ms: number) => void (t += ms),
    get time() {
      return t;
    },
  };
}

describe('token bucket', () => {
  it('lets a burst through, then spaces calls at the rate', async () => {
    const clock = fakeClock();
    const bucket = createTokenBucket({ rate: 10, burst: 3, ...clock });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await bucket.acquire());
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits.slice(3).every((w) => w > 0)).toBe(true);
    // 6 calls, burst 3: the 6th goes out 3 intervals (300 ms) after the first.
    expect(clock.time - 1_000).toBeCloseTo(300, 5);
  });

  it('serves concurrent callers in order at the sustained rate', async () => {
    let t = 0;
    const sleeps: number[] = [];
    const bucket = createTokenBucket({ rate: 4, burst: 1, now: () => t, sleep: async (ms) => void sleeps.push(ms) });
    await Promise.all([bucket.acquire(), bucket.acquire(), bucket.acquire(), bucket.acquire()]);
    expect(sleeps).toEqual([250, 500, 750]);
    t = 10_000;
    expect(await bucket.acquire()).toBe(0);
  });

  it('refills while idle but never beyond the burst', async () => {
    const clock = fakeClock();
    const bucket = createTokenBucket({ rate: 10, burst: 2, ...clock });
    await bucket.acquire();
    await clock.sleep(60_000);
    expect(await bucket.acquire()).toBe(0);
    expect(await bucket.acquire()).toBe(0);
    expect(await bucket.acquire()).toBeGreaterThan(0);
  });

  it('bucketForTps stays under the server rate over a long run', async () => {
    const clock = fakeClock();
    const bucket = bucketForTps(10, clock);
    for (let i = 0; i < 100; i++) await bucket.acquire();
    // 100 calls at ≤ 9/s after a burst of 9 take at least (100 - 9) / 9 s.
    expect(clock.time - 1_000).toBeGreaterThanOrEqual(((100 - 9) / 9) * 1000 - 1);
  });

  it('bucketForTps never sends more in any second than a full server bucket allows', async () => {
    const clock = fakeClock();
    const bucket = bucketForTps(10, clock);
    const sent: number[] = [];
    for (let i = 0; i < 100; i++) {
      await bucket.acquire();
      sent.push(clock.time);
    }
    // A server bucket of capacity 10 refilled at 10/s admits at most 10 + 10·w calls in any window w.
    for (let i = 0; i < sent.length; i++) {
      for (let j = i; j < sent.length; j++) {
        const windowS = (sent[j]! - sent[i]!) / 1000;
        expect(j - i + 1).toBeLessThanOrEqual(10 + 10 * windowS + 1e-9);
      }
    }
  });
});

describe('rate table', () => {
  it('uses the table, scales it, and falls back for unknown operations', () => {
    expect(operationTps('ListThings', 'aws')).toBe(10);
    expect(operationTps('DescribeThing', 'aws')).toBe(350);
    expect(operationTps('ListThings', 0.5)).toBe(5);
    expect(operationTps('ListThings', 'off')).toBeUndefined();
    expect(operationTps('SomethingNew', 'aws')).toBe(UNKNOWN_OPERATION_TPS);
    expect(operationTps('ListThings', 'aws', { ListThings: 40 })).toBe(40);
  });
});
