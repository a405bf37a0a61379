// The `iotops` command line: one file per command, each exporting `register(program, io)`.
// Commands set their exit code through `io.exit`; main never calls process.exit so pending
// output is flushed and tests can run commands in-process.
import { Command, CommanderError } from 'commander';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import { escapeControl } from '../model/escape.js';

type Register = (program: Command, io: CliIo) => void;

// Add a command: write src/cli/<name>.ts exporting `register`, then list it here.
const commands: ReadonlyArray<() => Promise<{ register: Register }>> = [
  () => import('./validate.js'),
  () => import('./emulator.js'),
  () => import('./plan.js'),
  () => import('./apply.js'),
  () => import('./run.js'),
];

export async function buildProgram(io: CliIo): Promise<Command> {
  const program = new Command('iotops')
    .description('GitOps for AWS IoT Core: validate, plan and apply fleets of YAML manifests')
    .version(io.version, '-V, --version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  for (const load of commands) (await load()).register(program, io);
  return program;
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = await buildProgram(io);
  try {
    await program.parseAsync([...argv]);
    return io.exitCode();
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr(`iotops: ${escapeControl(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}
