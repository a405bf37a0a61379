// Shared test helper: an in-process emulator and an IotApi pointed at it, with client-side rate
// limits off so tests run at full speed. Seed it through `api` (the real SDK over HTTP) or the
// raw `client`; always `await stop()` (afterEach/afterAll).
import { IoTClient } from '@aws-sdk/client-iot';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { createIotApi, type CreateIotApiProps, type IotClientApi } from '../../src/aws/client.js';

export interface TestEmulator {
  readonly api: IotClientApi;
  /** A plain SDK client (SDK defaults, no iotops retry or buckets) for seeding and assertions. */
  readonly client: IoTClient;
  readonly endpoint: string;
  readonly emulator: RunningEmulator;
  stop(): Promise<void>;
}

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export async function startTestEmulator(
  opts: EmulatorOptions & { readonly api?: Partial<Omit<CreateIotApiProps, 'endpoint' | 'region'>> } = {},
): Promise<TestEmulator> {
  const { api: apiProps, ...emulatorOptions } = opts;
  const emulator = await startEmulator({ port: 0, ...emulatorOptions });
  const api = createIotApi({ endpoint: emulator.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, rateLimits: 'off', ...apiProps });
  const client = new IoTClient({
    endpoint: emulator.endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  return {
    api,
    client,
    endpoint: emulator.endpoint,
    emulator,
    async stop() {
      api.destroy();
      client.destroy();
      await emulator.stop();
    },
  };
}
