import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../src/render/index.js';
import { summarize, type Plan, type PlannedChange } from '../../src/model/plan.js';

function plan(changes: PlannedChange[], warnings: Plan['warnings'] = []): Plan {
  return { formatVersion: 1, revision: 'abcdef0123456789', liveDigest: 'live', summary: summarize(changes), changes, warnings };
}

const sample = plan(
  [
    { kind: 'ThingType', name: 'temperature-sensor', action: 'replace', reason: 'searchableAttributes cannot change in AWS', dependsOn: [], fields: [{ path: 'searchableAttributes', before: ['site'], after: ['model', 'site'] }] },
    { kind: 'Thing', name: 'sensor-001', action: 'create', dependsOn: ['ThingType/temperature-sensor'], fields: [{ path: 'attributes.site', after: 'berlin' }] },
    { kind: 'Thing', name: 'sensor-002', action: 'update', dependsOn: [], fields: [{ path: 'attributes.battery', before: '80', after: '90' }, { path: 'attributes.old', before: 'x' }] },
    { kind: 'Policy', name: 'legacy', action: 'delete', reason: 'no longer in the fleet', dependsOn: [], fields: [], blocked: { code: 'prune-disabled', message: 'deleting needs --prune' } },
    { kind: 'TopicRule', name: 'audits', action: 'adopt', reason: 'exists in AWS without the iotops:managed-by tag', dependsOn: [], fields: [], notes: ['run with --adopt to take it over'] },
  ],
  [{ code: 'policy-version-pruned', message: 'version 1 will be deleted', kind: 'Policy', name: 'telemetry' }],
);

describe('text renderer', () => {
  it('prints a terraform-like plan with symbols, fields, reasons, notes and a summary line', () => {
    expect(renderPlan(sample, 'text')).toBe(
      [
        'iotops will perform the following actions:',
        '',
        '-/+ ThingType/temperature-sensor (replace: searchableAttributes cannot change in AWS)',
        '      ~ searchableAttributes: ["site"] -> ["model","site"]',
        '',
        '  + Thing/sensor-001',
        '      + attributes.site: "berlin"',
        '',
        '  ~ Thing/sensor-002',
        '      ~ attributes.battery: "80" -> "90"',
        '      - attributes.old: "x"',
        '',
        '  - Policy/legacy (delete: no longer in the fleet)',
        '      blocked: prune-disabled: deleting needs --prune',
        '',
        ' <= TopicRule/audits (adopt: exists in AWS without the iotops:managed-by tag)',
        '      # run with --adopt to take it over',
        '',
        'Warning: policy-version-pruned: version 1 will be deleted (Policy/telemetry)',
        '',
        'Plan: 1 to create, 1 to update, 1 to replace, 0 to delete, 1 to adopt. (1 blocked, not applied)',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing changes', () => {
    expect(renderPlan(plan([]), 'text')).toBe('No changes. AWS IoT matches the fleet.\n');
  });

  it('uses ANSI colors only when asked', () => {
    expect(renderPlan(sample, 'text')).not.toContain('\u001b[');
    expect(renderPlan(sample, 'text', { color: true })).toContain('\u001b[32m  + Thing/sensor-001\u001b[0m');
  });

  it('prints large values such as policy documents as indented JSON', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iot:Connect', 'iot:Publish'], Resource: ['arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}'] }] };
    const out = renderPlan(plan([{ kind: 'Policy', name: 'p', action: 'create', dependsOn: [], fields: [{ path: 'document', after: doc }] }]), 'text');
    expect(out).toContain('      + document:\n          + {\n          +   "Version": "2012-10-17",');
    expect(out).toContain('${iot:Connection.Thing.ThingName}');
  });
});

describe('json renderer', () => {
  it('round-trips the plan exactly', () => {
    const out = renderPlan(sample, 'json');
    expect(JSON.parse(out)).toEqual(sample);
    expect(out.endsWith('}\n')).toBe(true);
  });
});

describe('markdown renderer', () => {
  it('starts with a summary table and folds details per kind', () => {
    const md = renderPlan(sample, 'markdown');
    const lines = md.split('\n');
    expect(lines[0]).toBe('### iotops plan');
    expect(md).toContain('| Kind | Create | Update | Replace | Delete | Adopt | Blocked |');
    expect(md).toContain('| ThingType | 0 | 0 | 1 | 0 | 0 | 0 |');
    expect(md).toContain('| Thing | 1 | 1 | 0 | 0 | 0 | 0 |');
    expect(md).toContain('| Policy | 0 | 0 | 0 | 0 | 0 | 1 |');
    expect(md).toContain('| **Total** | **1** | **1** | **1** | **0** | **1** | **1** |');
    expect(md.indexOf('| Kind |')).toBeLessThan(md.indexOf('<details>'));
    expect(md).toContain('<summary><b>Thing</b>: 1 create, 1 update</summary>');
    expect(md).toContain('- `sensor-002`\n  - `attributes.battery`: `"80" → "90"`\n  - `attributes.old`: `"x" → (removed)`');
    expect(md).toContain('**blocked**: deleting needs --prune');
  });

  it('keeps a 10,000-change plan under the 65,536-character comment limit and counts what it leaves out', () => {
    const changes: PlannedChange[] = [];
    for (let i = 0; i < 6000; i++) changes.push({ kind: 'Thing', name: `sensor-${String(i).padStart(5, '0')}`, action: 'create', dependsOn: [], fields: [{ path: 'attributes.site', after: 'berlin' }] });
    for (let i = 0; i < 4000; i++) changes.push({ kind: 'Thing', name: `old-${String(i).padStart(5, '0')}`, action: 'update', dependsOn: [], fields: [{ path: 'attributes.battery', before: '10', after: '90' }] });
    const md = renderPlan(plan(changes), 'markdown');
    expect(md.length).toBeLessThan(65_536);
    expect(md).toContain('| Thing | 6000 | 4000 | 0 | 0 | 0 | 0 |');
    expect(md).toContain('**➕ create: 6000**');
    expect(md).toContain('- … and 5980 more');
    expect(md).toContain('**✏️ update (`attributes.battery`): 4000**');
    expect(md).toContain('- … and 3980 more');
  });

  it('groups updates by the set of changed fields', () => {
    const md = renderPlan(
      plan([
        { kind: 'Thing', name: 'a', action: 'update', dependsOn: [], fields: [{ path: 'attributes.battery', before: '1', after: '2' }] },
        { kind: 'Thing', name: 'b', action: 'update', dependsOn: [], fields: [{ path: 'groups', before: [], after: ['berlin'] }] },
        { kind: 'Thing', name: 'c', action: 'update', dependsOn: [], fields: [{ path: 'attributes.battery', before: '3', after: '4' }] },
      ]),
      'markdown',
    );
    expect(md).toContain('**✏️ update (`attributes.battery`): 2**');
    expect(md).toContain('**✏️ update (`groups`): 1**');
  });

  it('cannot be broken out of by values with backticks, pipes or HTML', () => {
    const md = renderPlan(
      plan([{ kind: 'Thing', name: 'x', action: 'delete', reason: 'a | b <script>', dependsOn: [], fields: [{ path: 'attributes.k', before: 'v`1' }] }]),
      'markdown',
    );
    expect(md).toContain('a \\| b &lt;script&gt;');
    // The value is shown exactly: a longer fence keeps the backtick inside the code span.
    expect(md).toContain('``"v`1" → (removed)``');
  });

  it('shortens very long values and points to the JSON plan', () => {
    const long = 'x'.repeat(500);
    const md = renderPlan(plan([{ kind: 'Thing', name: 'x', action: 'create', dependsOn: [], fields: [{ path: 'attributes.k', after: long }] }]), 'markdown');
    expect(md).toContain('… (502 chars; full value in the JSON plan)');
  });
});

describe('text renderer: large value changes', () => {
  it('shows only the changed lines of a document, with context and counts of what it skips', () => {
    const statement = (sid: string, resource: string) => ({ Sid: sid, Effect: 'Allow', Action: 'iot:Publish', Resource: resource });
    const before = { Version: '2012-10-17', Statement: ['a', 'b', 'c', 'd', 'e'].map((s) => statement(s, `topic/${s}`)) };
    const after = { Version: '2012-10-17', Statement: ['a', 'b', 'c', 'd', 'e'].map((s) => statement(s, s === 'c' ? 'topic/changed' : `topic/${s}`)) };
    const out = renderPlan(plan([{ kind: 'Policy', name: 'p', action: 'update', dependsOn: [], fields: [{ path: 'document', before, after }] }]), 'text');
    expect(out).toContain(
      [
        '  ~ Policy/p',
        '      ~ document:',
        '            … 16 unchanged lines',
        '                  "Sid": "c",',
        '                  "Effect": "Allow",',
        '                  "Action": "iot:Publish",',
        '          -       "Resource": "topic/c"',
        '          +       "Resource": "topic/changed"',
        '                },',
        '                {',
        '                  "Sid": "d",',
        '            … 12 unchanged lines',
      ].join('\n'),
    );
  });
});
