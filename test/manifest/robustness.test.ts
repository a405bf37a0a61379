// Whatever the input, the loader returns diagnostics and never throws.
import { kindRegistry } from '../../src/kinds/registry.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDesiredState, contentCheckers, createSchemaValidator } from '../../src/manifest/index.js';
import type { FleetFile } from '../../src/manifest/index.js';

const validator = createSchemaValidator();
const enc = new TextEncoder();

function run(files: Record<string, string>): ReturnType<typeof buildDesiredState> {
  const list: FleetFile[] = Object.entries(files)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, text]) => ({ path, bytes: enc.encode(text) }));
  return buildDesiredState({ files: list, processEnv: {}, checkers: contentCheckers, validator, kinds: kindRegistry });
}

const fragments = [
  'apiVersion: iotops/v1\n', 'kind: Thing\n', 'kind: ThingFleet\n', 'kind: Policy\n', 'kind: TopicRule\n', 'kind: Job\n', 'kind: Certificate\n',
  'kind: ThingGroup\n', 'metadata:\n', '  name: x\n', 'metadata: { name: a }\n', 'spec:\n', '  count: 3\n', '  nameTemplate: "t{index:02}"\n',
  '  from: a.csv\n', '  documentFile: d.json\n', '  document: { Version: "2012-10-17" }\n', '  sql: SELECT\n', '  actions: [{}]\n',
  '  parent: x\n', '  groups: [x, x]\n', '  attributes: { a: "b c" }\n', '  csrFile: a.csv\n', '  generate: true\n', '---\n', '- a\n',
  '  targets: {}\n', 'a: &a [*a]\n', '{{ var.x }}\n', '  type: {{ env.Y }}\n', ': :\n', '\t\n', '"\n', '  certificatePem: x\n',
];

describe('loader robustness', () => {
  it('never throws and never returns a state alongside an error, for arbitrary manifest soup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 25 }), fc.string(), (parts, csv) => {
        const r = run({ 'a.yaml': parts.join(''), 'a.csv': csv, 'd.json': csv });
        const errors = r.diagnostics.filter((d) => d.severity === 'error');
        expect(errors.every((d) => d.line >= 1 && d.column >= 1 && d.code !== 'internal-error')).toBe(true);
        expect(r.state === undefined).toBe(errors.length > 0);
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it('reports an alias bomb as a YAML problem instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    const r = run({ 'a.yaml': bomb });
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toContainEqual(['yaml-syntax', 1, 1]);
  });

  it('reports a recursive alias at the value that closes the cycle', () => {
    const r = run({ 'a.yaml': 'apiVersion: iotops/v1\nkind: Thing\nmetadata: { name: t }\nspec: &s\n  groups: [*s]\n' });
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([['yaml-syntax', 'a.yaml', 5, 12]]);
  });
});
