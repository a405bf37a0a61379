// The embedded AWS IoT control-plane emulator: an HTTP server speaking IoT's REST-JSON protocol
// so the real @aws-sdk/client-iot (and the AWS CLI) work against it. It imports nothing from the
// rest of iotops. Behaviour, limits and known differences from AWS: ./README.md.
//
//   const emu = await startEmulator({ port: 0 });
//   const iot = new IoTClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { emptyState, type EmulatorState } from './state.js';
import { buildIndexes } from './indexes.js';
import { createRouter } from './protocol/router.js';
import type { RouteTable } from './protocol/route-types.js';
import { operations } from './ops/index.js';
import type { OpContext } from './ops/types.js';
import { reevaluateDynamicGroups } from './ops/dynamic-groups.js';
import { createRequestHandler, type CallLogEntry } from './server.js';
import { createRequestGuard } from './request-guard.js';
import { createThrottle, type ThrottleMode } from './throttle.js';
import { createFaultInjector, parseFaultSpec, type FaultSpec } from './faults.js';
import { createStats, type StatsSnapshot } from './stats.js';
import { createSaver, loadState, type Saver } from './persistence.js';

export type { EmulatorState } from './state.js';
export type { FaultSpec } from './faults.js';
export type { StatsSnapshot } from './stats.js';
export type { CallLogEntry } from './server.js';
export { parseFaultSpec } from './faults.js';
export { DEFAULT_TPS } from './throttle-rates.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Host names accepted in the Host header besides loopback ones ('*': any). Default none. */
  readonly allowHosts?: readonly string[];
  /** Load from and save to this JSON file; in memory when absent. */
  readonly statePath?: string;
  /** Default 'off'. */
  readonly throttle?: ThrottleMode;
  /** Multiplies every TPS of the AWS table (e.g. 0.1). */
  readonly throttleScale?: number;
  /** TPS overrides per operation (before scaling), e.g. { CreateThing: 2 }. */
  readonly throttleRates?: Readonly<Record<string, number>>;
  /** Monotonic ms clock of the throttle buckets; default performance.now (tests drive it). */
  readonly throttleClock?: () => number;
  readonly faults?: string | FaultSpec;
  /** Waits out injected latency (`latency=` faults); default setTimeout (tests record or hold it). */
  readonly faultSleep?: (ms: number) => Promise<unknown>;
  /** Epoch-ms clock for resource timestamps and thing-type deprecation; default Date.now. */
  readonly clock?: () => number;
  /** Every mutating operation fails with AccessDeniedException. */
  readonly readOnly?: boolean;
  readonly accountId?: string;
  readonly region?: string;
  /** Debounce of state saves after mutations, ms (default 250). */
  readonly saveDebounceMs?: number;
  /** Called once per answered API call: operation, HTTP status, error type, duration. */
  readonly onCall?: (entry: CallLogEntry) => void;
  /** Unexpected handler errors and failed saves; default ignores them. */
  readonly onError?: (err: unknown) => void;
}

export interface EmulatorClock {
  now(): number;
  /** Moves the emulator's clock forward (e.g. past the 5-minute thing-type deprecation wait). */
  advance(ms: number): void;
}

export interface RunningEmulator {
  readonly endpoint: string;
  readonly port: number;
  readonly state: EmulatorState;
  readonly clock: EmulatorClock;
  /** Calls per operation. */
  stats(): Record<string, number>;
  /** Calls, throttles, denials, errors and injected faults. */
  statsDetail(): StatsSnapshot;
  resetStats(): void;
  /** Writes the state file now (when statePath is set). */
  save(): void;
  stop(): Promise<void>;
}

function loadRoutes(): RouteTable {
  return JSON.parse(readFileSync(new URL('./protocol/routes.json', import.meta.url), 'utf8')) as RouteTable;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const base = options.clock ?? Date.now;
  let offset = 0;
  const clock: EmulatorClock = { now: () => base() + offset, advance: (ms) => void (offset += ms) };
  const state = (options.statePath ? loadState(options.statePath) : undefined) ?? emptyState(options.accountId, options.region);
  const indexes = buildIndexes(state);
  const context: OpContext = {
    state,
    now: clock.now,
    indexes,
    onThingsChanged: (names) => reevaluateDynamicGroups(context, names),
  };
  const stats = createStats();
  const saver: Saver | undefined = options.statePath
    ? createSaver({ path: options.statePath, state: () => state, debounceMs: options.saveDebounceMs, onError: (e) => options.onError?.(e) })
    : undefined;
  const faultSpec = typeof options.faults === 'string' ? parseFaultSpec(options.faults) : options.faults;
  const handler = createRequestHandler({
    router: createRouter(loadRoutes().operations),
    operations,
    context,
    throttle: createThrottle({ mode: options.throttle ?? 'off', scale: options.throttleScale, rates: options.throttleRates, now: options.throttleClock ?? (() => performance.now()) }),
    faults: faultSpec ? createFaultInjector(faultSpec) : undefined,
    sleep: options.faultSleep,
    readOnly: options.readOnly ?? false,
    stats,
    onMutation: () => saver?.markDirty(),
    onCall: options.onCall,
    onInternalError: (_op, err) => options.onError?.(err),
    guard: createRequestGuard({ allowHosts: options.allowHosts }),
  });
  const server = createServer({ keepAliveTimeout: 60_000 }, handler);
  const host = options.host ?? '127.0.0.1';
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${urlHost}:${port}`,
    port,
    state,
    clock,
    stats: () => ({ ...stats.snapshot().calls }),
    statsDetail: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    save: () => {
      saver?.markDirty();
      saver?.flush();
    },
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      saver?.stop();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
