// `iotops run`: the GitOps controller. Follows a fleet directory (watched) or a git branch
// (polled), reconciles on every new revision and every interval, serves /healthz, /readyz,
// /metrics and /status, and on SIGTERM/SIGINT finishes the current step and exits 0.
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliIo } from './io.js';
import { addFleetGuardOptions, fleetIdMismatch, FLEET_ID_ENV, guardOverrides, operatorFleetId, wholeNumber, type GuardOptions } from './options.js';
import { addFleetInputOptions, fleetInputProps, type FleetInputOptions } from './options.js';
import { fleetRootProblem } from './fleet.js';
import { addTargetOptions, createCliLogger, openTarget, resolveTarget, targetMismatch, type TargetOptions } from './target.js';
import { prettyLogger } from '../controller/pretty-log.js';
import { createController } from '../controller/loop.js';
import { startStatusServer } from '../controller/http.js';
import { createMetrics } from '../controller/metrics.js';
import { createReconciler } from '../controller/reconcile.js';
import type { ReconcileMode } from '../controller/types.js';
import { kindRegistry } from '../kinds/registry.js';
import { loadFleetConfigDefaults } from './run-config.js';
import { dirSource } from '../source/dir.js';
import { gitSource } from '../source/git.js';
import type { Source } from '../source/types.js';

export interface RunOptions extends TargetOptions, GuardOptions, FleetInputOptions {
  readonly fleet?: string;
  readonly git?: string;
  readonly branch: string;
  readonly path: string;
  readonly env?: string;
  readonly interval: number;
  readonly mode: ReconcileMode;
  /** A HOST:PORT string (from code) or the parsed address (from the command line). */
  readonly listen?: string | ListenAddress;
  readonly secretsDir: string;
  readonly concurrency?: number;
}

/** "90s", "5m", "1h", "500ms" or plain seconds → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('use a duration like 30s, 5m or 1h');
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
  if (ms < 1000) throw new InvalidArgumentError('the interval must be at least 1s');
  return Math.round(ms);
}

/** Where the status endpoints listen. `:PORT` means every interface, as in Go and Prometheus. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** HOST:PORT, [IPv6]:PORT or :PORT; parsed when the option is read, so commander reports a bad value. */
export function parseListen(value: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new InvalidArgumentError('use HOST:PORT, e.g. 127.0.0.1:8080, or :8080 for every interface');
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command('run')
    .description('run the controller: keep AWS IoT in the state of a fleet directory or git branch')
    .option('--fleet <dir>', 'follow this fleet directory (default ./fleet unless --git is given)')
    .option('--git <url>', 'follow a git repository (credentials: IOTOPS_GIT_TOKEN or IOTOPS_GIT_SSH_KEY_FILE)')
    .option('--branch <branch>', 'git branch to follow', 'main')
    .option('--path <path>', 'fleet directory inside the git repository', '.')
    .option('--env <name>', 'variables from env/<name>.yaml in the fleet')
    .addOption(new Option('--interval <duration>', 're-plan (and fetch git) this often, e.g. 30s, 5m').argParser(parseDuration).default(60_000, '60s'))
    .addOption(new Option('--mode <mode>', 'observe: apply new revisions and report drift; heal: also correct drift').choices(['observe', 'heal']).default('heal'))
    .addOption(new Option('--listen <host:port>', 'serve /healthz /readyz /metrics /status here (:PORT = every interface)').argParser(parseListen).default(parseListen('127.0.0.1:8080'), '127.0.0.1:8080'))
    .option('--prune', 'delete managed resources that left the fleet (guarded by --max-deletes and the empty-fleet check)')
    .option('--adopt', 'take over unmanaged resources that the fleet names')
    .option('--max-deletes <n>', 'refuse a cycle that would delete more than this many resources (default 25)', wholeNumber(0))
    .option('--concurrency <n>', 'apply steps in flight at once (default 32)', wholeNumber(1))
    .option('--secrets-dir <dir>', 'where generated private keys are written (mode 0600)', '.iotops/secrets');
  addTargetOptions(addFleetInputOptions(addFleetGuardOptions(cmd)));
  // The controller's events are the point of running it: its log level defaults to info.
  const logLevelOption = cmd.options.find((o) => o.long === '--log-level');
  if (logLevelOption) logLevelOption.defaultValueDescription = '"info"';
  cmd.action(async (opts: RunOptions) => {
    const logLevel = cmd.getOptionValueSource('logLevel') === 'default' ? 'info' : opts.logLevel;
    const stop = new AbortController();
    // The first SIGTERM/SIGINT stops gracefully; with the handlers gone, a second one kills.
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      stop.abort(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    try {
      io.exit(await runController({ io, options: { ...opts, ...(logLevel ? { logLevel } : {}) }, signal: stop.signal }));
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  });
}

/** Runs until `signal` aborts; returns the exit code. `onListening` reports the status URL (tests). */
export async function runController(props: {
  readonly io: CliIo;
  readonly options: RunOptions;
  readonly signal: AbortSignal;
  readonly onListening?: (url: string) => void;
}): Promise<number> {
  const { io, options } = props;
  if (options.git && options.fleet) {
    io.stderr('iotops: use either --fleet or --git, not both\n');
    return 1;
  }
  const listen = typeof options.listen === 'string' ? parseListen(options.listen) : options.listen;
  const fleetDir = resolve(io.cwd, options.fleet ?? 'fleet');
  const refused = options.git ? undefined : await fleetRootProblem(io.cwd, options.fleet ?? 'fleet');
  if (refused) {
    io.stderr(`iotops: ${refused}\n`);
    return 1;
  }
  // iotops.yaml of a local fleet may choose the target and region; a git fleet's is read per revision.
  const defaults = options.git ? {} : await loadFleetConfigDefaults(fleetDir);
  const level = options.logLevel ?? 'info';
  // The controller logs one line per event; the JSON form is for log collectors.
  const logger =
    options.logFormat === 'json'
      ? createCliLogger({ io, level, format: 'json' })
      : prettyLogger({ level, color: io.isTty, write: (text) => io.stderr(text) });
  const target = await openTarget({ options, io, defaults, logger });
  const opened = resolveTarget(options, defaults, io.env);
  const log = target.logger;
  const fleetId = operatorFleetId(options.fleetId, io.env);
  if (fleetId === undefined) {
    // Kept for existing deployments, but then whoever can merge to the branch decides which
    // fleet's resources this controller updates and prunes.
    log.warn({ setting: `--fleet-id or ${FLEET_ID_ENV}` }, 'no fleet id set by the operator: the fleet repository\'s iotops.yaml decides which fleet this controller manages and prunes; set --fleet-id');
  }
  const source: Source = options.git
    ? gitSource({ url: options.git, branch: options.branch, path: options.path, cacheDir: resolve(io.cwd, '.iotops', 'git'), pollMs: options.interval, env: io.env })
    : dirSource({ dir: fleetDir });
  const metrics = createMetrics();
  const controller = createController({
    source,
    mode: options.mode,
    intervalMs: options.interval,
    logger: log,
    metrics,
    apiStats: () => {
      const stats = target.api.stats().byOperation;
      return Object.fromEntries(Object.entries(stats).map(([op, s]) => [op, { calls: s.calls, throttles: s.throttles }]));
    },
    reconcile: createReconciler({
      api: target.api,
      kinds: kindRegistry,
      logger: log,
      overrides: guardOverrides(options),
      secretsDir: resolve(io.cwd, options.secretsDir),
      stateDir: resolve(io.cwd, '.iotops'),
      ...(options.env ? { env: options.env } : {}),
      processEnv: io.env,
      ...fleetInputProps(options),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      checkFleetId: (config) => fleetIdMismatch(fleetId, config.fleetId),
      checkTarget: (config) =>
        targetMismatch(options, opened, { ...(config.target ? { target: config.target } : {}), ...(config.region ? { region: config.region } : {}) }),
    }),
  });
  let server: Awaited<ReturnType<typeof startStatusServer>> | undefined;
  try {
    if (listen) {
      // IOTOPS_STATUS_TOKEN (environment only, so it is not in `ps`) guards /metrics and /status.
      const token = io.env.IOTOPS_STATUS_TOKEN || undefined;
      server = await startStatusServer({ ...listen, controller, metrics, ...(token ? { token } : {}) });
      log.info({ url: server.url, target: target.description }, 'status endpoints: /healthz /readyz /metrics /status');
      props.onListening?.(server.url);
    }
    const stopping = new Promise<void>((r) => {
      const onAbort = () => {
        // A second signal has no handler left and ends the process at once.
        log.info({ signal: typeof props.signal.reason === 'string' ? props.signal.reason : 'abort' }, 'stopping after the steps in flight');
        r();
      };
      if (props.signal.aborted) onAbort();
      else props.signal.addEventListener('abort', onAbort, { once: true });
    });
    await controller.start();
    await stopping;
    return 0;
  } catch (err) {
    log.error({ error: (err as Error).message }, 'controller failed');
    return 1;
  } finally {
    await controller.stop();
    await server?.close();
    await target.close();
  }
}
