// Starts an in-process emulator on a free port and a real SDK client pointed at it.
import { IoTClient } from '@aws-sdk/client-iot';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

export interface TestEmulator {
  readonly emu: RunningEmulator;
  readonly iot: IoTClient;
  stop(): Promise<void>;
}

export function clientFor(endpoint: string, maxAttempts = 1): IoTClient {
  return new IoTClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts,
  });
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ port: 0, ...options });
  const iot = clientFor(emu.endpoint);
  return {
    emu,
    iot,
    stop: async () => {
      iot.destroy();
      await emu.stop();
    },
  };
}

/** The error a rejected promise carries, for asserting on name/status/message. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number; raw: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, raw: e as unknown as Record<string, unknown> };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
