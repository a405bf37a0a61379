// Helpers for the apply e2e and reliability tests: a copy of the example fleet (or a small one)
// in its own temp dir, the CLI run in-process through main() against an emulator, and SDK
// look-ups of what the emulator holds.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';
import type { Plan } from '../../src/model/plan.js';
import type { TestEmulator } from '../support/emulator.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const EXAMPLE_FLEET = join(REPO, 'fleet');

export interface Workdir {
  readonly cwd: string;
  readonly fleetDir: string;
  remove(): void;
}

/** A temp working directory holding a copy of the example fleet as `fleet/`. */
export function exampleWorkdir(): Workdir {
  const cwd = mkdtempSync(join(tmpdir(), 'iotops-apply-'));
  const fleetDir = join(cwd, 'fleet');
  cpSync(EXAMPLE_FLEET, fleetDir, { recursive: true });
  return { cwd, fleetDir, remove: () => rmSync(cwd, { recursive: true, force: true }) };
}

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function cli(cwd: string, args: readonly string[], opts: { answers?: string[]; isTty?: boolean } = {}): Promise<CliRun> {
  const io = captureIo({ cwd, ...(opts.answers ? { answers: opts.answers } : {}), ...(opts.isTty !== undefined ? { isTty: opts.isTty } : {}) });
  const code = await main(['node', 'iotops', ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** `plan --format json` against the endpoint; throws when the plan command errors. */
export async function planJson(cwd: string, endpoint: string, extra: readonly string[] = []): Promise<{ code: number; plan: Plan }> {
  const r = await cli(cwd, ['plan', '--endpoint', endpoint, '--format', 'json', '--detailed-exitcode', ...extra]);
  if (r.code === 1) throw new Error(`plan failed: ${r.err}`);
  return { code: r.code, plan: JSON.parse(r.out) as Plan };
}

/** `action Kind/name [blocked-code]` per change, for compact assertions. */
export const actions = (p: Plan): string[] => p.changes.map((c) => `${c.action} ${c.kind}/${c.name}${c.blocked ? ` [${c.blocked.code}]` : ''}`);

/** Operations the emulator saw that change state (everything but List/Describe/Get). */
export function mutatingCalls(env: TestEmulator): Record<string, number> {
  return Object.fromEntries(Object.entries(env.emulator.stats()).filter(([op]) => !/^(List|Describe|Get|Search)/.test(op)));
}

export async function thingExists(env: TestEmulator, thingName: string): Promise<boolean> {
  try {
    await env.api.send('DescribeThing', { thingName });
    return true;
  } catch {
    return false;
  }
}
