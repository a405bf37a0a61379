import { describe, expect, it } from 'vitest';
import { executionWaves, findCycle, topologicalWaves } from '../../src/plan/graph.js';
import type { PlannedChange } from '../../src/model/plan.js';

const change = (key: string, action: PlannedChange['action'], dependsOn: string[] = [], blocked = false): PlannedChange => {
  const [kind, name] = key.split('/');
  return { kind: kind as PlannedChange['kind'], name, action, fields: [], dependsOn, ...(blocked ? { blocked: { code: 'prune-disabled', message: 'x' } } : {}) };
};

describe('topologicalWaves', () => {
  it('puts independent nodes in one sorted wave and dependents after their dependencies', () => {
    const r = topologicalWaves([
      { key: 'c', dependsOn: ['a', 'b'] },
      { key: 'b', dependsOn: ['a'] },
      { key: 'a', dependsOn: ['missing'] },
      { key: 'd', dependsOn: [] },
    ]);
    expect(r).toEqual({ ok: true, waves: [['a', 'd'], ['b'], ['c']] });
  });

  it('reports a cycle as the path that closes it', () => {
    const r = topologicalWaves([
      { key: 'x', dependsOn: [] },
      { key: 'a', dependsOn: ['b'] },
      { key: 'b', dependsOn: ['c'] },
      { key: 'c', dependsOn: ['a'] },
    ]);
    expect(r).toEqual({ ok: false, cycle: ['a', 'b', 'c', 'a'] });
    expect(findCycle([{ key: 'a', dependsOn: ['a'] }])).toBeUndefined();
  });
});

describe('executionWaves', () => {
  it('runs forward changes by dependency, then deletes in reverse, and leaves blocked changes out', () => {
    const r = executionWaves([
      change('ThingType/t', 'create'),
      change('Thing/x', 'update', ['ThingType/t']),
      change('ThingGroup/parent', 'delete'),
      change('ThingGroup/child', 'delete', ['ThingGroup/parent']),
      change('Thing/old', 'delete', [], true),
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const names = (waves: readonly (readonly PlannedChange[])[]) => waves.map((w) => w.map((c) => `${c.kind}/${c.name}`));
    expect(names(r.waves.forward)).toEqual([['ThingType/t'], ['Thing/x']]);
    expect(names(r.waves.deletes)).toEqual([['ThingGroup/child'], ['ThingGroup/parent']]);
  });
});
