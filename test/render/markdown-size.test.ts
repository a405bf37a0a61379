// GitHub rejects a comment body over 65,536 characters, and then nothing is posted: the Markdown
// plan stays under that whatever the plan, and says what it left out and where the full plan is.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/markdown.js';
import { summarize, type Plan, type PlannedChange } from '../../src/model/plan.js';

const GITHUB_LIMIT = 65_536;

function plan(changes: PlannedChange[], warnings: Plan['warnings'] = []): Plan {
  return { formatVersion: 1, revision: 'abcdef0123456789', liveDigest: 'live', summary: summarize(changes), changes, warnings };
}

function expectWellFormed(md: string): void {
  expect(md.length).toBeLessThan(GITHUB_LIMIT);
  expect(md.split('\n').filter((l) => l === '<details>').length).toBe(md.split('\n').filter((l) => l === '</details>').length);
}

describe('markdown size budget', () => {
  it('caps a 10,000-change plan with huge values and many fields, and counts what it cut', () => {
    const huge = 'v'.repeat(2000);
    const changes: PlannedChange[] = [];
    for (let i = 0; i < 10_000; i++) {
      const fields = Array.from({ length: 10 }, (_, f) => ({ path: `attributes.a${f}-${'p'.repeat(100)}`, before: `${huge}\u001b${i}`, after: `${huge}${i}` }));
      changes.push({ kind: i % 2 ? 'Thing' : 'ThingGroup', name: `n-${i}-${'x'.repeat(100)}`, action: 'update', reason: 'r'.repeat(2000), dependsOn: [], fields });
    }
    const md = renderMarkdown(plan(changes));
    expectWellFormed(md);
    expect(md.length).toBeGreaterThan(50_000); // the budget is used, not wasted
    expect(md).toMatch(/_… \d+ changes not shown \(ThingGroup: \d+, Thing: \d+\); run `iotops plan --format json` for the full plan\._\n$/);
    const listed = md.split('\n').filter((l) => l.startsWith('- `n-')).length;
    const cut = Number(/_… (\d+) changes not shown/.exec(md)![1]);
    expect(listed + cut).toBe(10_000);
  });

  it('caps a plan of a few enormous policy diffs', () => {
    const statements = (n: number, effect: string) => Array.from({ length: n }, (_, i) => ({ Effect: effect, Action: `iot:Publish${i}`, Resource: `arn:aws:iot:*:*:topic/${'t'.repeat(200)}${i}` }));
    const changes: PlannedChange[] = Array.from({ length: 5 }, (_, i) => ({
      kind: 'Policy' as const, name: `p${i}`, action: 'update' as const, dependsOn: [],
      fields: Array.from({ length: 150 }, (_, f) => ({ path: `document.v${f}`, before: { Statement: statements(50, 'Deny') }, after: { Statement: statements(50, 'Allow') } })),
    }));
    const md = renderMarkdown(plan(changes));
    expectWellFormed(md);
    expect(md).toContain('- `p0`\n  - `document.v0`: `{"Statement":[{"Effect":"Deny"');
    expect(md).toMatch(/  - … and \d+ more fields and notes\n/);
    expect(md).toContain('_… 3 changes not shown (Policy: 3); run `iotops plan --format json` for the full plan._');
  });

  it('caps 10,000 groups of one change each (distinct changed fields) and 10,000 long warnings', () => {
    const changes: PlannedChange[] = Array.from({ length: 10_000 }, (_, i) => ({
      kind: 'Thing' as const, name: `t${i}`, action: 'update' as const, dependsOn: [], fields: [{ path: `attributes.k${i}`, before: '1', after: '2' }],
    }));
    const warnings = Array.from({ length: 10_000 }, (_, i) => ({ code: 'policy-version-pruned', message: `warning ${i} ${'w'.repeat(300)}` }));
    const md = renderMarkdown(plan(changes, warnings));
    expectWellFormed(md);
    expect(md).toMatch(/- … and \d+ more warnings/);
    expect(md).toMatch(/_… 10000 changes not shown \(Thing: 10000\); \d+ warnings not shown; run `iotops plan --format json` for the full plan\._/);
  });

  it('keeps an ordinary plan whole, without a closing note', () => {
    const md = renderMarkdown(plan([{ kind: 'Thing', name: 'a', action: 'create', dependsOn: [], fields: [{ path: 'attributes.site', after: 'berlin' }] }]));
    expect(md).toContain('- `a`\n  - `attributes.site`: `"berlin"`');
    expect(md).not.toContain('not shown');
  });

  it('honours a smaller budget, still with the closing note', () => {
    const changes: PlannedChange[] = Array.from({ length: 100 }, (_, i) => ({ kind: 'Thing' as const, name: `t${i}`, action: 'create' as const, dependsOn: [], fields: [] }));
    const md = renderMarkdown(plan(changes), { maxChars: 1000, maxPerGroup: 100 });
    expect(md.length).toBeLessThan(1400);
    expect(md).toMatch(/- … and \d+ more\n\n<\/details>\n\n_… \d+ changes not shown \(Thing: \d+\); run/);
  });
});
