// `iotops emulator`: runs the embedded AWS IoT emulator on its own, so any tool (the AWS CLI,
// an SDK, another iotops command with --endpoint) can use it. Prints the endpoint on stdout and
// serves until SIGINT/SIGTERM, then saves the state file (if any) and exits 0.
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { CliIo } from './io.js';
import { parseFaultSpec, startEmulator, type FaultSpec } from '../emulator/index.js';

interface EmulatorCliOptions {
  readonly port: string;
  readonly host: string;
  readonly allowHost: string[];
  readonly state?: string;
  readonly throttle: 'aws' | 'off';
  readonly throttleScale?: string;
  readonly faults?: string;
  readonly readOnly?: boolean;
  readonly region: string;
  readonly accountId: string;
  readonly logCalls?: boolean;
}

/** Resolves on the first SIGINT or SIGTERM, removing its listeners. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveSignal(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function parseOptions(opts: EmulatorCliOptions): { port: number; scale?: number; faults?: FaultSpec } | string {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return `--port must be an integer 0-65535, got "${opts.port}"`;
  const scale = opts.throttleScale === undefined ? undefined : Number(opts.throttleScale);
  if (scale !== undefined && (!Number.isFinite(scale) || scale <= 0)) return `--throttle-scale must be a positive number, got "${opts.throttleScale}"`;
  if (!/^\d{12}$/.test(opts.accountId)) return `--account-id must be 12 digits, got "${opts.accountId}"`;
  try {
    return { port, scale, faults: opts.faults === undefined ? undefined : parseFaultSpec(opts.faults) };
  } catch (err) {
    return `--faults: ${(err as Error).message}`;
  }
}

export function register(program: Command, io: CliIo): void {
  program
    .command('emulator')
    .description('run the embedded AWS IoT control-plane emulator alone (REST-JSON, works with the AWS CLI and SDKs)')
    .option('--port <n>', 'TCP port (0 picks a free one)', '4566')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--allow-host <name>', 'accept this name in the Host header besides localhost/127.x/[::1] (repeatable; * accepts any), e.g. when clients reach the emulator as http://emulator:4566', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--state <file>', 'load state from and save it to this JSON file (default: in memory)')
    .addOption(new Option('--throttle <mode>', 'per-API rate limits from the AWS TPS table, or none').choices(['aws', 'off']).default('aws'))
    .option('--throttle-scale <factor>', 'multiply every AWS rate limit by this factor (e.g. 0.1)')
    .option('--faults <spec>', 'inject faults, e.g. throttle=0.1,500=0.02,503=0.01,latency=5-50ms,reset=0.01,lost=0.01,seed=7 (only=OpA+OpB limits them to those operations)')
    .option('--read-only', 'refuse every mutating call with AccessDeniedException')
    .option('--log-calls', 'log every API call (operation, status, error, ms) to stderr')
    .option('--region <region>', 'region in the ARNs of a new state (a loaded state keeps its own)', 'us-east-1')
    .option('--account-id <id>', 'account id in the ARNs of a new state (a loaded state keeps its own)', '123456789012')
    .action(async (opts: EmulatorCliOptions) => {
      const parsed = parseOptions(opts);
      if (typeof parsed === 'string') {
        io.stderr(`iotops emulator: ${parsed}\n`);
        io.exit(1);
        return;
      }
      const statePath = opts.state === undefined ? undefined : resolve(io.cwd, opts.state);
      let emu;
      try {
        emu = await startEmulator({
          port: parsed.port,
          host: opts.host,
          allowHosts: opts.allowHost,
          statePath,
          throttle: opts.throttle,
          throttleScale: parsed.scale,
          faults: parsed.faults,
          readOnly: opts.readOnly === true,
          region: opts.region,
          accountId: opts.accountId,
          onCall: opts.logCalls
            ? (c) => io.stderr(`${c.operation} ${c.status}${c.errorType ? ` ${c.errorType}` : ''} ${c.ms.toFixed(1)}ms\n`)
            : undefined,
          onError: (err) => io.stderr(`iotops emulator: ${err instanceof Error ? err.message : String(err)}\n`),
        });
      } catch (err) {
        io.stderr(`iotops emulator: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
        io.exit(1);
        return;
      }
      io.stdout(`${emu.endpoint}\n`);
      const details = [
        `state ${statePath ?? 'in memory'}`,
        `throttle ${opts.throttle}${parsed.scale === undefined ? '' : ` x${parsed.scale}`}`,
        opts.faults ? `faults ${opts.faults}` : '',
        opts.readOnly ? 'read-only' : '',
      ].filter(Boolean);
      io.stderr(`iotops emulator listening on ${emu.endpoint} (${details.join(', ')}); stop with Ctrl-C\n`);
      if (!/^(127\.|localhost$|::1$)/.test(opts.host) && opts.allowHost.length === 0) {
        io.stderr(`iotops emulator: only loopback Host names are accepted; add --allow-host <name> for the name clients use to reach ${opts.host}\n`);
      }
      const signal = await untilSignal();
      await emu.stop();
      io.stderr(`iotops emulator: ${signal}, state ${statePath ? `saved to ${statePath}` : 'discarded (in memory)'}\n`);
      io.exit(0);
    });
}
