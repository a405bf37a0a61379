// `iotops validate`: offline checks of a fleet (schema, variables, references, quotas, policy
// and SQL syntax). Diagnostics are the command's result, so they go to stdout; exit code 0 when
// the fleet is valid, 1 when any error was found (warnings alone keep it valid).
import { posix } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { CliIo } from './io.js';
import type { Diagnostic } from '../manifest/index.js';
import { formatDiagnostic, loadFleetWithOptions } from './fleet.js';
import { addFleetInputOptions, type FleetInputOptions } from './options.js';
import { kindNames, kindRegistry } from '../kinds/registry.js';
import type { DesiredState } from '../model/resource.js';
import { escapeJsonText } from '../model/escape.js';

interface ValidateOptions extends FleetInputOptions {
  readonly fleet: string;
  readonly env?: string;
  readonly format: 'text' | 'json';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summarize(diagnostics: readonly Diagnostic[], state: DesiredState | undefined): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (!state) return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(new Set(diagnostics.map((d) => d.file)).size, 'file')}`;
  const counts = kindNames(kindRegistry).map((k) => [k, state.resources.filter((r) => r.kind === k).length] as const).filter(([, n]) => n > 0);
  const byKind = counts.map(([k, n]) => `${n} ${k}`).join(', ');
  return `fleet valid: ${plural(state.resources.length, 'resource')}${byKind ? ` (${byKind})` : ''}${warnings ? `, ${plural(warnings, 'warning')}` : ''}`;
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command('validate')
    .description('check the fleet manifests offline: schema, variables, references, quotas, policy and SQL syntax')
    .option('--fleet <dir>', 'fleet directory', 'fleet')
    .option('--env <name>', 'variables from env/<name>.yaml in the fleet')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
  addFleetInputOptions(cmd).action(async (opts: ValidateOptions) => {
    const result = await loadFleetWithOptions(io, opts);
    const valid = result.state !== undefined;
    if (opts.format === 'json') {
      const diagnostics = result.diagnostics.map((d) => ({
        severity: d.severity, code: d.code, file: d.file, line: d.line, column: d.column,
        kind: d.kind, name: d.name, path: d.path, message: d.message,
      }));
      io.stdout(`${escapeJsonText(JSON.stringify({ valid, diagnostics }, null, 2))}\n`);
    } else {
      const prefix = posix.normalize(opts.fleet.replace(/\\/g, '/')).replace(/\/$/, '');
      for (const d of result.diagnostics) io.stdout(`${formatDiagnostic(d, prefix)}\n`);
      io.stdout(`${summarize(result.diagnostics, result.state)}\n`);
    }
    io.exit(valid ? 0 : 1);
  });
}
