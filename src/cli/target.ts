// Where a command's AWS calls go, and its logger. Every command that talks to AWS IoT adds these
// options with `addTargetOptions` and opens the target with `openTarget` (closing it in `finally`):
// - embedded (default): the emulator in-process on a free loopback port, state in
//   `.iotops/emulator.json` under the working directory, stopped when the command ends;
// - `--endpoint URL`: that URL with dummy credentials (an emulator started by `iotops emulator`),
//   or with the default credential chain when `--target aws` is given too;
// - `--target aws`: the default AWS credential chain, region and profile.
// Nothing reaches a real account unless the user said `--target aws`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import pinoPretty from 'pino-pretty';
import { escapeControl, escapeControlLines, escapeJsonText } from '../model/escape.js';
import type { CliIo } from './io.js';
import { createIotApi, type IotClientApi } from '../aws/client.js';
import { AwsCallError, isAwsError } from '../aws/errors.js';
import type { RateLimits } from '../aws/rate-limits.js';

export type TargetKind = 'embedded' | 'aws';
export type LogFormat = 'json' | 'pretty';

/** The parsed global options (commander camel-cases them). */
export interface TargetOptions {
  readonly endpoint?: string;
  readonly target?: TargetKind;
  readonly region?: string;
  readonly profile?: string;
  readonly logLevel?: LevelWithSilent;
  readonly logFormat?: LogFormat;
}

/** Fleet defaults from iotops.yaml; flags win over them. */
export interface TargetDefaults {
  readonly target?: TargetKind;
  readonly region?: string;
}

export interface OpenTarget {
  readonly mode: 'embedded' | 'endpoint' | 'aws';
  readonly api: IotClientApi;
  /** For messages: `embedded emulator (.iotops/emulator.json)`, the endpoint URL, or `AWS us-east-1`. */
  readonly description: string;
  readonly logger: Logger;
  close(): Promise<void>;
}

export const EMBEDDED_REGION = 'us-east-1';
export const EMBEDDED_STATE_FILE = join('.iotops', 'emulator.json');
// An emulator accepts any signature; these keep the SDK from looking for real credentials.
const DUMMY_CREDENTIALS = { accessKeyId: 'iotops-local', secretAccessKey: 'iotops-local' } as const;
const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--target <target>', 'where AWS calls go: the embedded emulator or your AWS account').choices(['embedded', 'aws']))
    .addOption(new Option('--endpoint <url>', 'send AWS IoT calls to this URL (e.g. an `iotops emulator`)'))
    .addOption(new Option('--region <region>', 'AWS region (default: AWS_REGION, then the profile)'))
    .addOption(new Option('--profile <name>', 'AWS shared-config profile (with --target aws)'))
    .addOption(new Option('--log-level <level>', 'log level on stderr').choices(LOG_LEVELS).default('warn'))
    .addOption(new Option('--log-format <format>', 'log format on stderr').choices(['json', 'pretty']).default('pretty'));
}

export function createCliLogger(props: { readonly io: CliIo; readonly level?: LevelWithSilent; readonly format?: LogFormat }): Logger {
  const level = props.level ?? 'warn';
  // Log records carry names and AWS errors: C1/bidi characters (JSON) and all control characters
  // (pretty, which prints strings raw) are escaped before they reach the terminal or a collector.
  if (props.format === 'json') return pino({ level, base: undefined }, { write: (line: string) => props.io.stderr(escapeJsonText(line)) });
  // prettyFactory formats synchronously, so log lines interleave correctly with command output.
  const format = pinoPretty.prettyFactory({ colorize: props.io.isTty, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' });
  return pino({ level }, { write: (line: string) => props.io.stderr(format(escapeLogRecord(line))) });
}

/** A pino JSON line with every string escaped for a terminal (stack traces keep their line breaks). */
export function escapeLogRecord(line: string): string {
  try {
    const rec = JSON.parse(line) as unknown;
    const walk = (v: unknown, key: string): unknown => {
      if (typeof v === 'string') return key === 'stack' ? escapeControlLines(v) : escapeControl(v);
      if (Array.isArray(v)) return v.map((x) => walk(x, ''));
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [escapeControl(k), walk(x, k)]));
      return v;
    };
    return `${JSON.stringify(walk(rec, ''))}\n`;
  } catch {
    return line;
  }
}

/** Resolves the mode and region from flags, then iotops.yaml, then the environment. */
export function resolveTarget(
  options: TargetOptions,
  defaults: TargetDefaults,
  env: CliIo['env'],
): { readonly mode: OpenTarget['mode']; readonly region?: string; readonly realCredentials: boolean } {
  const kind = options.target ?? defaults.target ?? 'embedded';
  const region = options.region ?? defaults.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (options.endpoint) return { mode: 'endpoint', region: region ?? EMBEDDED_REGION, realCredentials: kind === 'aws' };
  if (kind === 'aws') return { mode: 'aws', region, realCredentials: true };
  return { mode: 'embedded', region: EMBEDDED_REGION, realCredentials: false };
}

/**
 * A long-running controller opens its target once, from the flags and the iotops.yaml it saw at
 * start (none, for a git fleet). A revision whose iotops.yaml asks for another target or region
 * must not be applied to the one that is open: this says why, or undefined when it matches.
 * Flags win over iotops.yaml, so a flag-given target or region is never a mismatch.
 */
export function targetMismatch(options: TargetOptions, opened: { readonly mode: OpenTarget['mode']; readonly region?: string }, config: TargetDefaults): string | undefined {
  const restart = (what: string) => `; restart the controller with ${what} to use it (flags win over iotops.yaml)`;
  const wanted = `--target ${config.target ?? 'aws'}${config.region ? ` --region ${config.region}` : ''}`;
  if (options.endpoint === undefined && options.target === undefined && config.target !== undefined) {
    const running = opened.mode === 'aws' ? 'aws' : 'embedded';
    if (config.target !== running) {
      return `iotops.yaml asks for target ${config.target}, but the controller runs against ${running === 'aws' ? 'AWS' : 'the embedded emulator'}${restart(wanted)}`;
    }
  }
  if (options.region === undefined && config.region !== undefined && opened.mode === 'aws' && opened.region !== config.region) {
    return `iotops.yaml asks for region ${config.region}, but the controller runs in ${opened.region ?? "its credentials' default region"}${restart(`--region ${config.region}`)}`;
  }
  return undefined;
}

export async function openTarget(props: {
  readonly options: TargetOptions;
  readonly io: CliIo;
  readonly defaults?: TargetDefaults;
  /** Client-side rate limits; default off for the embedded emulator (it does not throttle), AWS's table otherwise. */
  readonly rateLimits?: RateLimits;
  readonly logger?: Logger;
}): Promise<OpenTarget> {
  const { options, io } = props;
  const logger = props.logger ?? createCliLogger({ io, level: options.logLevel, format: options.logFormat });
  const resolved = resolveTarget(options, props.defaults ?? {}, io.env);
  const onCall = callLogger(logger);

  if (resolved.mode === 'embedded') {
    // Imported lazily: commands aimed at AWS never load the emulator.
    const { startEmulator } = await import('../emulator/index.js');
    const statePath = join(io.cwd, EMBEDDED_STATE_FILE);
    mkdirSync(join(io.cwd, '.iotops'), { recursive: true });
    const emulator = await startEmulator({ port: 0, statePath, onError: (err) => logger.error({ err }, 'embedded emulator error') });
    const api = createIotApi({ endpoint: emulator.endpoint, region: EMBEDDED_REGION, credentials: DUMMY_CREDENTIALS, rateLimits: props.rateLimits ?? 'off', onCall });
    logger.debug({ endpoint: emulator.endpoint, statePath }, 'embedded emulator started');
    return {
      mode: 'embedded',
      api,
      description: `embedded emulator (${EMBEDDED_STATE_FILE})`,
      logger,
      async close() {
        api.destroy();
        await emulator.stop();
      },
    };
  }

  const api = createIotApi({
    ...(resolved.mode === 'endpoint' ? { endpoint: options.endpoint } : {}),
    ...(resolved.region ? { region: resolved.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(resolved.mode === 'endpoint' && !resolved.realCredentials ? { credentials: DUMMY_CREDENTIALS } : {}),
    rateLimits: props.rateLimits ?? 'aws',
    onCall,
  });
  return {
    mode: resolved.mode,
    api,
    description: resolved.mode === 'endpoint' ? `endpoint ${options.endpoint}` : `AWS ${resolved.region ?? '(region from profile)'}`,
    logger,
    async close() {
      api.destroy();
    },
  };
}

/** Opens the target, runs `fn`, and always closes it (the embedded emulator saves its state on close). */
export async function withTarget<T>(props: Parameters<typeof openTarget>[0], fn: (target: OpenTarget) => Promise<T>): Promise<T> {
  const target = await openTarget(props);
  try {
    return await fn(target);
  } finally {
    await target.close();
  }
}

function callLogger(logger: Logger) {
  return (event: Parameters<NonNullable<Parameters<typeof createIotApi>[0]['onCall']>>[0]): void => {
    if (event.type === 'retry') {
      logger.debug({ operation: event.operation, attempt: event.attempt, class: event.class, delayMs: event.delayMs, error: event.errorName }, 'retrying AWS call');
    } else if (event.type === 'failed') {
      logger.debug({ operation: event.operation, error: event.error.awsErrorName, code: event.error.code }, 'AWS call failed');
    }
  };
}

/**
 * A failed AWS call as a person reads it, with what to do where the cause is the setup: missing
 * credentials, missing region, or credentials without access.
 */
export function describeError(err: unknown): string {
  if (err instanceof AwsCallError) {
    const hint =
      err.code === 'unauthorized'
        ? ' (check the credentials: plan needs read access to AWS IoT)'
        : isAwsError(err, 'CredentialsProviderError')
          ? ' (no AWS credentials found: set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; see docs/targets.md)'
          : /Region is missing/i.test(err.message)
            ? ' (no AWS region: pass --region, set AWS_REGION, put region: in iotops.yaml, or give the profile a region; see docs/targets.md)'
            : '';
    return `${err.message}${hint}`;
  }
  return err instanceof Error ? err.message : String(err);
}
