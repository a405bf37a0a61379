import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../../src/cli/io.js';

const repo = new URL('../../', import.meta.url).pathname;

function fleet(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotops-validate-cli-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const invalid = {
  'things.yaml': [
    'apiVersion: iotops/v1',
    'kind: Thing',
    'metadata: { name: t1 }',
    'spec:',
    '  type: missing-type',
    '  colour: red',
    '',
  ].join('\n'),
};

describe('iotops validate', () => {
  it('accepts the example fleet (default ./fleet relative to cwd) with exit 0 and a per-kind summary', async () => {
    const io = captureIo({ cwd: repo });
    const code = await main(['node', 'iotops', 'validate'], io);
    expect(code).toBe(0);
    const lines = io.out.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^fleet valid: \d+ resources \(1 FleetIndexing, .*Thing.*\)$/);
  });

  it('prints one line per diagnostic with position, code, kind/name and field, then a summary; exit 1', async () => {
    const dir = fleet(invalid);
    const io = captureIo({ cwd: dir });
    const code = await main(['node', 'iotops', 'validate', '--fleet', '.'], io);
    expect(code).toBe(1);
    expect(io.out.join('').trim().split('\n')).toEqual([
      'things.yaml:5:9: error unknown-reference: ThingType missing-type is not declared in the fleet (Thing/t1 at spec.type)',
      'things.yaml:6:3: error unknown-field: unknown field "colour" in spec (allowed: type, attributes, groups) (Thing/t1 at spec.colour)',
      '2 errors, 0 warnings in 1 file',
    ]);
  });

  it('writes {valid, diagnostics} JSON with --format json', async () => {
    const dir = fleet(invalid);
    const io = captureIo({ cwd: '/' });
    const code = await main(['node', 'iotops', 'validate', '--fleet', dir, '--format', 'json'], io);
    expect(code).toBe(1);
    const out = JSON.parse(io.out.join('')) as { valid: boolean; diagnostics: Record<string, unknown>[] };
    expect(out.valid).toBe(false);
    expect(out.diagnostics.map((d) => [d.code, d.file, d.line, d.column, d.kind, d.name, d.path])).toEqual([
      ['unknown-reference', 'things.yaml', 5, 9, 'Thing', 't1', 'spec.type'],
      ['unknown-field', 'things.yaml', 6, 3, 'Thing', 't1', 'spec.colour'],
    ]);
  });

  it('reads variables from --env and the process environment; warnings keep exit 0', async () => {
    const dir = fleet({
      'iotops.yaml': 'vars:\n  site: berlin\n',
      'env/prod.yaml': 'vars:\n  site: munich\n',
      'a.yaml': [
        'apiVersion: iotops/v1',
        'kind: ThingType',
        'metadata: { name: old }',
        'spec: { deprecated: true }',
        '---',
        'apiVersion: iotops/v1',
        'kind: Thing',
        'metadata: { name: "t-{{ var.site }}-{{ env.IOTOPS_VAR_UNIT }}" }',
        'spec: { type: old }',
        '',
      ].join('\n'),
    });
    const io = captureIo({ cwd: dir, env: { IOTOPS_VAR_UNIT: '7' } });
    const code = await main(['node', 'iotops', 'validate', '--fleet', '.', '--env', 'prod'], io);
    expect(code).toBe(0);
    expect(io.out.join('').trim().split('\n')).toEqual([
      'a.yaml:9:15: warning deprecated-thing-type: ThingType old is deprecated; AWS refuses to associate new things with it (Thing/t-munich-7 at spec.type)',
      'fleet valid: 2 resources (1 ThingType, 1 Thing), 1 warning',
    ]);
  });

  it('rejects an unknown --format value through commander with exit 1', async () => {
    const io = captureIo({ cwd: repo });
    const code = await main(['node', 'iotops', 'validate', '--format', 'yaml'], io);
    expect(code).toBe(1);
    expect(io.err.join('')).toMatch(/argument 'yaml' is invalid/);
  });

  it('reports a missing fleet directory as a diagnostic, not a stack trace', async () => {
    const io = captureIo({ cwd: tmpdir() });
    const code = await main(['node', 'iotops', 'validate', '--fleet', 'no-such-fleet-dir'], io);
    expect(code).toBe(1);
    expect(io.out.join('')).toMatch(/^no-such-fleet-dir:1:1: error fleet-not-found: fleet directory .* does not exist\n1 error, 0 warnings in 1 file\n$/);
    expect(io.err.join('')).toBe('');
  });
  it('rejects a tag key with control characters and shows it escaped, so the terminal and a PR comment stay intact', async () => {
    const dir = fleet({
      'groups.yaml': ['apiVersion: iotops/v1', 'kind: ThingGroup', 'metadata:', '  name: sensors', '  tags:', '    "team\\r<!--": platform', '    "\\e[2Jx": y', 'spec: {}', ''].join('\n'),
    });
    const io = captureIo({ cwd: dir });
    const code = await main(['node', 'iotops', 'validate', '--fleet', '.'], io);
    expect(code).toBe(1);
    const out = io.out.join('');
    expect(out).not.toMatch(/[\r\u001b]/);
    expect(out.trim().split('\n')).toEqual([
      'groups.yaml:6:5: error tag-invalid: invalid tag key "team\\r<!--": AWS requires 1–128 letters, digits, spaces or _ . : / = + - @, not starting with aws: (ThingGroup/sensors at metadata.tags.team\\r<!--)',
      'groups.yaml:7:5: error tag-invalid: invalid tag key "\\u001b[2Jx": AWS requires 1–128 letters, digits, spaces or _ . : / = + - @, not starting with aws: (ThingGroup/sensors at metadata.tags.\\x1b[2Jx)',
      '2 errors, 0 warnings in 1 file',
    ]);
  });

  it('shortens a huge invalid tag key in the message', async () => {
    const key = `a\\r${'b'.repeat(5000)}`;
    const dir = fleet({ 'groups.yaml': `apiVersion: iotops/v1\nkind: ThingGroup\nmetadata:\n  name: g\n  tags:\n    ? "${key}"\n    : v\nspec: {}\n` });
    const io = captureIo({ cwd: dir });
    await main(['node', 'iotops', 'validate', '--fleet', '.', '--format', 'json'], io);
    const { diagnostics } = JSON.parse(io.out.join('')) as { diagnostics: { code: string; message: string }[] };
    expect(diagnostics.map((d) => d.code)).toEqual(['tag-invalid']);
    expect(diagnostics[0]!.message).toMatch(/^invalid tag key "a\\rb{50,}… \(\d+ characters\)": AWS requires/);
    expect(diagnostics[0]!.message.length).toBeLessThan(250);
  });
});
