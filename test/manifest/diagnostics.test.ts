import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, finalizeDiagnostics, formatPath } from '../../src/document/diagnostics.js';
import type { Diagnostic } from '../../src/document/diagnostics.js';

const d = (file: string, line: number, column: number, code: Diagnostic['code'] = 'schema', message = 'm'): Diagnostic =>
  ({ severity: 'error', code, file, line, column, message });

describe('diagnostics', () => {
  it('formats field paths with dots and list indexes', () => {
    expect(formatPath(['spec', 'groups', 2])).toBe('spec.groups[2]');
    expect(formatPath(['spec', 'actions', 0, 'lambda'])).toBe('spec.actions[0].lambda');
    expect(formatPath([])).toBe('');
  });

  it('sorts by file, line, column and collapses identical reports', () => {
    const out = finalizeDiagnostics([d('b.yaml', 1, 1), d('a.yaml', 10, 2), d('a.yaml', 2, 5), d('a.yaml', 2, 3), d('a.yaml', 2, 3)]);
    expect(out.map((x) => `${x.file}:${x.line}:${x.column}`)).toEqual(['a.yaml:2:3', 'a.yaml:2:5', 'a.yaml:10:2', 'b.yaml:1:1']);
  });

  it('documents every diagnostic code in docs/validate.md, and only those', () => {
    const doc = readFileSync(new URL('../../docs/validate.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...DIAGNOSTIC_CODES].sort());
  });
});
