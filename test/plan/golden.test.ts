// Golden plan cases: test/fixtures/plan/<case>/ holds fleet/, seed.json (SDK calls run in order
// against a fresh emulator), optional options.json (plan flags), and the expected plan.txt and
// plan.json. Every case runs the real `plan` command body against the emulator through the SDK.
// Regenerate with UPDATE_GOLDEN=1 after checking the diff is intended.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIo } from '../../src/cli/io.js';
import { runPlan, type PlanOptions } from '../../src/cli/plan.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { renderPlan } from '../../src/render/index.js';
import type { Plan } from '../../src/model/plan.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { runSeed, type SeedCall } from '../support/seed.js';
import { GOLDEN_NOW } from '../support/record-seed.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'plan');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
  .map((d) => d.name)
  .sort();

let env: TestEmulator | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

function readJson<T>(path: string, fallback: T): T {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : fallback;
}

// Only UPDATE_GOLDEN=1 writes: a missing golden fails, or a new case would pass on whatever it printed.
function compareGolden(path: string, actual: string): void {
  if (UPDATE) writeFileSync(path, actual);
  expect(existsSync(path), `${path} missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(actual, `${path} differs: run with UPDATE_GOLDEN=1 if intended`).toBe(readFileSync(path, 'utf8'));
}

describe('golden plans', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(ROOT, name);
    env = await startTestEmulator({ clock: () => GOLDEN_NOW });
    await runSeed(env.api, readJson<SeedCall[]>(join(dir, 'seed.json'), []));
    const flags = readJson<Partial<PlanOptions>>(join(dir, 'options.json'), {});
    const io = captureIo({ cwd: dir });

    const code = await runPlan({
      io,
      options: { fleet: 'fleet', format: 'json', color: false, endpoint: env.endpoint, logLevel: 'silent', ...flags },
      now: GOLDEN_NOW,
      kinds: kindRegistry,
    });

    expect(io.err.join('')).toBe('');
    expect(code).toBe(0);
    const json = io.out.join('');
    const plan = JSON.parse(json) as Plan;
    compareGolden(join(dir, 'plan.json'), json);
    compareGolden(join(dir, 'plan.txt'), renderPlan(plan, 'text', { color: false }));
    // The plan was read-only: nothing the seed did was changed by planning.
    expect(Object.keys(env.emulator.statsDetail().calls).filter((op) => !/^(List|Describe|Get|Search)/.test(op)).sort()).toEqual(
      [...new Set(readJson<SeedCall[]>(join(dir, 'seed.json'), []).map((c) => c.operation))].sort(),
    );
  });
});
