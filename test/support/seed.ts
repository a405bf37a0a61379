// Seeding helpers for tests: run many SDK calls with bounded concurrency.
import type { IotApi, IotInput, IotOperation } from '../../src/aws/iot-api.js';

export async function inBatches<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export interface SeedCall {
  readonly operation: IotOperation;
  readonly input: Record<string, unknown>;
}

/** Runs calls in order (seed files depend on earlier calls, e.g. a thing type before its things). */
export async function runSeed(api: IotApi, calls: readonly SeedCall[]): Promise<void> {
  for (const call of calls) await api.send(call.operation, call.input as IotInput<typeof call.operation>);
}

export const ALLOW_ALL_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] });
