// Untrusted text in the plan (names, tag keys and values from a pull request or from AWS) cannot
// act on the terminal or on the Markdown PR comment: control characters arrive escaped, and
// Markdown free text cannot become a link, image, mention, HTML or a broken table.
import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../src/render/index.js';
import { codeSpan, markdownText } from '../../src/render/markdown-escape.js';
import { summarize, type Plan, type PlannedChange } from '../../src/model/plan.js';

function plan(changes: PlannedChange[], warnings: Plan['warnings'] = []): Plan {
  return { formatVersion: 1, revision: 'abcdef0123456789', liveDigest: 'live', summary: summarize(changes), changes, warnings };
}

/** A live tag key with a CR (AWS accepts what another tool wrote), followed by a policy that grants everything. */
const hiding = plan([
  { kind: 'ThingGroup', name: 'sensors', action: 'update', dependsOn: [], fields: [{ path: 'tags.team\r<!--', before: 'x\r<!--' }] },
  {
    kind: 'Policy', name: 'allow-all', action: 'create', dependsOn: [],
    fields: [{ path: 'document', after: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] } }],
  },
]);

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('control characters', () => {
  it('markdown: a CR + HTML comment in a live tag key cannot hide the rest of the comment', () => {
    const md = renderPlan(hiding, 'markdown');
    expect(md).not.toMatch(CONTROL);
    expect(md).toContain('- `tags.team\\r<!--`: `"x\\r<!--" → (removed)`');
    // No line of the comment starts an HTML block other than the renderer's own tags.
    const htmlLines = md.split('\n').filter((l) => l.startsWith('<'));
    expect(new Set(htmlLines)).toEqual(new Set(['<details>', '</details>', '<summary><b>ThingGroup</b>: 1 update</summary>', '<summary><b>Policy</b>: 1 create</summary>']));
    expect(md).toContain('iot:*');
  });

  it('text: the same key and value print escaped, the policy still follows', () => {
    const out = renderPlan(hiding, 'text', { color: false });
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain('      - tags.team\\r<!--: "x\\r<!--"');
    expect(out).toContain('"Action": "iot:*"');
  });

  it('text: an ESC sequence in a live value is shown, not executed (also with colors on)', () => {
    const p = plan([
      {
        kind: 'Thing', name: 'sensor-\u009b2J', action: 'update', reason: 'drift\u001b[1A', dependsOn: [],
        fields: [
          { path: 'attributes.label', before: '\u001b]0;owned\u0007\u001b[2K\rOK', after: 'plain' },
          { path: 'attributes.big', before: { note: 'C1 \u009b31m inside' }, after: { note: 'x'.repeat(90) } },
        ],
        notes: ['note\u001b[8m'],
      },
    ], [{ code: 'w', message: 'warn\u001bc', kind: 'Thing', name: 'sensor-\u009b2J' }]);
    for (const color of [false, true]) {
      const out = renderPlan(p, 'text', { color });
      // The renderer's own colors are the only ESC it writes: ESC followed by "[<digits>m".
      expect(out.replace(/\u001b\[\d+m/g, '')).not.toMatch(CONTROL);
      expect(out).toContain('Thing/sensor-\\u009b2J');
      expect(out).toContain('"\\u001b]0;owned\\u0007\\u001b[2K\\rOK" -> "plain"');
      expect(out).toContain('C1 \\u009b31m inside');
      expect(out).toContain('(update: drift\\x1b[1A)');
      expect(out).toContain('note\\x1b[8m');
      expect(out).toContain('warn\\x1bc');
    }
  });

  it('json: the plan parses back unchanged, with C1 and bidi characters as \\u escapes', () => {
    const p = plan([{ kind: 'Thing', name: 'a\u009bb\u202e', action: 'create', dependsOn: [], fields: [{ path: 'attributes.k', after: 'v\u001b' }] }]);
    const json = renderPlan(p, 'json');
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(json).toContain('"name": "a\\u009bb\\u202e"');
    expect(JSON.parse(json)).toEqual(p);
  });
});

describe('markdown free text', () => {
  const attack =
    'ping @octocat and @org/team, see [docs](https://evil.example/x) ![px](https://evil.example/p.png) <img src=x onerror=alert(1)> <!-- hide --> ' +
    'https://evil.example www.evil.example fixes #12 a | b `code` **bold** ~~strike~~ \\[x]';

  it('renders no link, image, mention, issue reference, HTML or table break', () => {
    const md = renderPlan(plan([{ kind: 'Thing', name: 'x', action: 'delete', reason: attack, dependsOn: [], fields: [] }]), 'markdown');
    const line = md.split('\n').find((l) => l.startsWith('- `x`'))!;
    expect(line).not.toMatch(/<|>/); // no HTML at all
    const reason = line.slice('- `x` — '.length);
    expect(reason.replace(/\\\\/g, '')).not.toMatch(/(^|[^\\])[[\]`|*~_]/); // every Markdown punctuation escaped
    expect(line).toContain('\\[docs\\](https:\u2060//evil.example/x)');
    expect(line).toContain('!\\[px\\]');
    expect(line).toContain('&lt;img src=x onerror=alert(1)&gt; &lt;!-- hide --&gt;');
    expect(line).toContain('@\u2060octocat');
    expect(line).toContain('@\u2060org/team');
    expect(line).not.toMatch(/@[a-z]/);
    expect(line).toContain('https:\u2060//evil.example www\u2060.evil.example');
    expect(line).toContain('#\u206012');
    expect(line).toContain('a \\| b \\`code\\` \\*\\*bold\\*\\* \\~\\~strike\\~\\~ \\\\\\[x\\]');
  });

  it('leaves ordinary text readable', () => {
    expect(markdownText('exists in AWS without the iotops:managed-by tag')).toBe('exists in AWS without the iotops:managed-by tag');
    expect(markdownText('deleting needs --prune (max 5)')).toBe('deleting needs --prune (max 5)');
  });

  it('escapes warning messages and subjects the same way', () => {
    const md = renderPlan(plan([], [{ code: 'c', message: 'hi @octocat <b>x</b>', kind: 'Policy', name: 'p`q' }]), 'markdown');
    expect(md).toContain('- ⚠️ `c`: hi @\u2060octocat &lt;b&gt;x&lt;/b&gt; (``Policy/p`q``)');
  });
});

describe('code spans', () => {
  it('show a value with backticks exactly, whatever the run length', () => {
    expect(codeSpan('plain')).toBe('`plain`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('a```b``c')).toBe('````a```b``c````');
    expect(codeSpan('`edge`')).toBe('`` `edge` ``');
    expect(codeSpan(' x')).toBe('`  x `');
    expect(codeSpan('')).toBe('` `');
  });

  it('keep control characters visible and on one line', () => {
    expect(codeSpan('a\r\nb\u001b')).toBe('`a\\r\\nb\\x1b`');
  });
});
