// One invalid fleet per rule in test/fixtures/validate/<case>/, each with the exact diagnostics
// (code, file, line, column) it must produce. Directories starting with `_` hold shared data.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSchemaValidator, loadFleet } from '../../src/manifest/index.js';

interface Expected {
  readonly env?: string;
  readonly processEnv?: Record<string, string>;
  readonly diagnostics: { code: string; file: string; line: number; column: number }[];
}

const root = new URL('../fixtures/validate/', import.meta.url);
const cases = readdirSync(root, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
  .map((e) => e.name)
  .sort();
const validator = createSchemaValidator();

function expectedOf(name: string): Expected {
  return JSON.parse(readFileSync(new URL(`${name}/expected.json`, root), 'utf8')) as Expected;
}

describe('validate fixtures', () => {
  it('has a case for every rule', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    const covered = new Set(cases.flatMap((c) => expectedOf(c).diagnostics.map((d) => d.code)));
    const required = [
      'yaml-syntax', 'unknown-kind', 'unknown-field', 'schema', 'name-pattern', 'duplicate-resource', 'unknown-reference',
      'group-cycle', 'group-depth', 'dynamic-group-parent', 'dynamic-group-policies', 'dynamic-group-needs-indexing',
      'too-many-searchable-attributes', 'too-many-attributes', 'attribute-value-space', 'too-many-groups', 'too-many-policies',
      'policy-invalid', 'sql-invalid', 'unknown-rule-action', 'rule-actions-count', 'job-document-too-large', 'job-targets-empty',
      'job-document-source', 'certificate-source', 'private-key-in-fleet', 'undefined-variable', 'file-not-found',
      'unreadable-file', 'binary-file', 'empty-fleet', 'env-not-found', 'csv-invalid', 'thing-fleet-template', 'tag-invalid',
    ];
    expect(required.filter((c) => !covered.has(c))).toEqual([]);
  });

  it.each(cases)('%s', async (name) => {
    const expected = expectedOf(name);
    const result = await loadFleet({
      dir: new URL(name, root).pathname,
      ...(expected.env === undefined ? {} : { env: expected.env }),
      processEnv: expected.processEnv ?? {},
      validator,
    });
    expect(result.diagnostics.map(({ code, file, line, column }) => ({ code, file, line, column }))).toEqual(expected.diagnostics);
    for (const d of result.diagnostics) expect(d.message.length).toBeGreaterThan(10);
    const hasError = result.diagnostics.some((d) => d.severity === 'error');
    expect(result.state === undefined).toBe(hasError);
  });
});
