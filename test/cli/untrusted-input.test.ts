// Issue #11: the fleet repo is untrusted input (CI validates and plans pull requests). Each test
// reproduces an attack through `iotops validate` and shows the error the user gets.
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';

const H = 'apiVersion: iotops/v1\n';

function fleet(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotops-untrusted-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const group = (description: string): string => `${H}kind: ThingGroup\nmetadata: { name: berlin }\nspec:\n  description: "${description}"\n`;

async function validate(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const io = captureIo({ cwd, env });
  const code = await main(['node', 'iotops', 'validate', '--fleet', '.', ...args], io);
  return { code, out: io.out.join('') + io.err.join('') };
}

describe('environment variables are allow-listed', () => {
  const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

  it('refuses AWS_* even when the operator lists it, and never prints the value', async () => {
    const dir = fleet({ 'g.yaml': group('{{ env.AWS_SECRET_ACCESS_KEY }}') });
    const r = await validate(dir, ['--allow-env', 'AWS_SECRET_ACCESS_KEY'], { AWS_SECRET_ACCESS_KEY: SECRET });
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'g.yaml:5:16: error env-not-allowed: env.AWS_SECRET_ACCESS_KEY cannot be used: AWS_* and IOTOPS_GIT_* variables are credentials and are never substituted (ThingGroup/berlin at spec.description)',
    );
    expect(r.out).not.toContain(SECRET);
  });

  it('refuses IOTOPS_GIT_TOKEN and any unlisted name, saying how to allow it', async () => {
    const dir = fleet({ 'g.yaml': group('{{ env.IOTOPS_GIT_TOKEN }} {{ env.SITE }}') });
    const r = await validate(dir, [], { IOTOPS_GIT_TOKEN: 'ghp_secret_token_value', SITE: 'berlin' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('env.IOTOPS_GIT_TOKEN cannot be used');
    expect(r.out).toContain('env.SITE is not allowed: rename it IOTOPS_VAR_SITE (then write {{ env.IOTOPS_VAR_SITE }}), or have the operator allow it with --allow-env SITE');
    expect(r.out).not.toContain('ghp_secret_token_value');
  });

  it('substitutes IOTOPS_VAR_* and names given with --allow-env', async () => {
    const dir = fleet({ 'g.yaml': group('{{ env.IOTOPS_VAR_SITE }}-{{ env.SITE }}') });
    const r = await validate(dir, ['--allow-env', 'SITE'], { IOTOPS_VAR_SITE: 'berlin', SITE: 'x' });
    expect(r).toEqual({ code: 0, out: 'fleet valid: 1 resource (1 ThingGroup)\n' });
  });

  it('never echoes an allowed value in an error, and cuts long values to 80 characters', async () => {
    const allowed = 'sensitive-value-0123456789';
    const dir = fleet({
      'g.yaml': `${H}kind: Thing\nmetadata: { name: t1 }\nspec:\n  attributes: { a: "{{ env.IOTOPS_VAR_A }} x" }\n`,
      'h.yaml': `${H}kind: Thing\nmetadata: { name: t2 }\nspec:\n  attributes: { a: "${'y'.repeat(100_000)}" }\n`,
    });
    const r = await validate(dir, [], { IOTOPS_VAR_A: allowed });
    expect(r.code).toBe(1);
    expect(r.out).toContain('attribute-value-space');
    expect(r.out).not.toContain(allowed);
    expect(r.out).toContain('<redacted: value of an environment variable>');
    expect(r.out).toContain(`${'y'.repeat(80)}… (100000 chars)`);
    expect(Math.max(...r.out.split('\n').map((l) => l.length))).toBeLessThan(1200);
  });
});

describe('files stay inside the fleet', () => {
  it('refuses a documentFile that is a symbolic link to a file outside the fleet', async () => {
    const outside = fleet({ 'token': '{"secret": "k8s-service-account-token"}' });
    const dir = fleet({
      'g.yaml': group('x'),
      'job.yaml': `${H}kind: Job\nmetadata: { name: j1 }\nspec:\n  documentFile: doc.json\n  targets: { groups: [berlin] }\n`,
    });
    symlinkSync(join(outside, 'token'), join(dir, 'doc.json'));
    const r = await validate(dir, []);
    expect(r.code).toBe(1);
    expect(r.out).toContain('doc.json:1:1: error symlink-outside-fleet: doc.json is a symbolic link to a file outside the fleet directory; fleet files must live inside the fleet (replace the link with the file)');
    expect(r.out).not.toContain('k8s-service-account-token');
  });

  it('keeps symbolic links inside the fleet working', async () => {
    const dir = fleet({ 'real/g.yaml': group('x') });
    symlinkSync(join(dir, 'real', 'g.yaml'), join(dir, 'linked.yaml'));
    mkdirSync(join(dir, 'more'));
    writeFileSync(join(dir, 'more', 't.yaml'), `${H}kind: Thing\nmetadata: { name: t1 }\nspec: { groups: [berlin] }\n`);
    const r = await validate(dir, []);
    // The link and its target declare the same group: the loader read the link.
    expect(r.out).toContain('duplicate-resource');
    expect(r.out).not.toContain('symlink-outside-fleet');
  });

  it('refuses a --fleet that is a symbolic link out of the working directory', async () => {
    const outside = fleet({ 'g.yaml': group('x') });
    const cwd = fleet({});
    symlinkSync(outside, join(cwd, 'fleet'));
    const io = captureIo({ cwd });
    const code = await main(['node', 'iotops', 'validate', '--fleet', 'fleet'], io);
    expect(code).toBe(1);
    expect(io.out.join('')).toMatch(/^fleet:1:1: error symlink-outside-fleet: the fleet directory fleet is a symbolic link to .*, outside the working directory; refused/);
  });
});

describe('size limits', () => {
  it('refuses a file over --max-file-bytes, naming the limit and the flag', async () => {
    const dir = fleet({ 'g.yaml': group('x'), 'big.yaml': `# ${'x'.repeat(2000)}\n` });
    const r = await validate(dir, ['--max-file-bytes', '1000']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('big.yaml:1:1: error file-too-large: big.yaml is 2003 bytes, more than the limit of 1000 bytes per file; the operator can raise it with --max-file-bytes <n>');
  });

  it('refuses a fleet over --max-fleet-bytes and reads nothing', async () => {
    const dir = fleet({ 'a.yaml': group('x'), 'b.yaml': `# ${'x'.repeat(500)}\n` });
    const r = await validate(dir, ['--max-fleet-bytes', '300']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^\.:1:1: error fleet-too-large: the fleet's files total \d+ bytes, more than the limit of 300 bytes; the operator can raise it with --max-fleet-bytes <n>/m);
  });

  it('refuses a file of a million `---` lines before parsing it', async () => {
    const dir = fleet({ 'g.yaml': group('x'), 'dashes.yaml': '---\n'.repeat(1_000_000) });
    const r = await validate(dir, []);
    expect(r.code).toBe(1);
    expect(r.out).toContain('dashes.yaml:10001:1: error too-many-documents: dashes.yaml holds more than 10000 YAML documents (the limit); split the file, or the operator can raise it with --max-documents <n>');
  });

  it('refuses ThingFleets that together exceed --max-things, without expanding them', async () => {
    const tf = (n: number): string => `${H}kind: ThingFleet\nmetadata: { name: f${n} }\nspec:\n  count: 120000\n  nameTemplate: "f${n}-{index}"\n`;
    const dir = fleet({ 'f.yaml': Array.from({ length: 40 }, (_, i) => tf(i)).join('---\n') });
    // A lower limit keeps the test fast; by default the 9th fleet (past 1,000,000) is the one refused.
    const r = await validate(dir, ['--max-things', '250000']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('error too-many-things: the fleet declares more than 250000 things (the limit); the operator can raise it with --max-things <n> (ThingFleet/f2 at spec.count)');
  });

  it('expands a ThingFleet past 125,000 things (push(...) overflowed the call stack there)', async () => {
    const dir = fleet({ 'f.yaml': `${H}kind: ThingFleet\nmetadata: { name: big }\nspec:\n  count: 200000\n  nameTemplate: "s-{index:06}"\n` });
    const r = await validate(dir, []);
    expect(r).toEqual({ code: 0, out: 'fleet valid: 200000 resources (200000 Thing)\n' });
  });
});
