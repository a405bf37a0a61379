import { describe, expect, it } from 'vitest';
import { applyGraph, findCycle, topologicalWaves, type ApplyGraph } from '../../src/plan/graph.js';
import { deletePhases, kindRegistry, type KindRegistry } from '../../src/kinds/registry.js';
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

/** The order a one-at-a-time walk of the apply graph runs its steps in, as levels of keys. */
function levels(graph: ApplyGraph): string[][] {
  if (!graph.ok) throw new Error(`cycle: ${graph.cycle.join(' -> ')}`);
  const waiting = graph.nodes.map((n) => n.waitsFor);
  const out: string[][] = [];
  let ready = graph.nodes.flatMap((n, i) => (n.waitsFor === 0 ? [i] : []));
  while (ready.length > 0) {
    const next: number[] = [];
    const steps: string[] = [];
    for (const i of ready) {
      if (graph.nodes[i]!.change) steps.push(graph.nodes[i]!.key);
      for (const e of graph.nodes[i]!.dependents) if (--waiting[e.to]! === 0) next.push(e.to);
    }
    if (steps.length > 0) out.push(steps.sort());
    ready = next;
  }
  return out;
}

describe('applyGraph', () => {
  it('runs forward changes by dependency, then deletes in reverse, and leaves blocked changes out', () => {
    const r = applyGraph(
      [
        change('ThingType/t', 'create'),
        change('Thing/x', 'update', ['ThingType/t']),
        change('ThingGroup/parent', 'delete'),
        change('ThingGroup/child', 'delete', ['ThingGroup/parent']),
        change('Thing/old', 'delete', [], true),
      ],
      deletePhases(kindRegistry),
    );
    expect(levels(r)).toEqual([['ThingType/t'], ['Thing/x'], ['ThingGroup/child'], ['ThingGroup/parent']]);
  });

  it('deletes kind by kind in the order the kinds refer to each other, whatever the plan order', () => {
    const r = applyGraph(
      [
        change('Policy/p', 'delete'),
        change('ThingType/t', 'delete'),
        change('Thing/x', 'delete'),
        change('Certificate/c', 'delete'),
        change('Job/j', 'delete'),
      ],
      deletePhases(kindRegistry),
    );
    expect(levels(r)).toEqual([['Certificate/c', 'Job/j'], ['Thing/x'], ['ThingType/t'], ['Policy/p']]);
  });

  it('reports a cycle among forward changes by name', () => {
    const r = applyGraph([change('ThingGroup/a', 'create', ['ThingGroup/b']), change('ThingGroup/b', 'create', ['ThingGroup/a'])], deletePhases(kindRegistry));
    expect(r).toEqual({ ok: false, cycle: ['ThingGroup/a', 'ThingGroup/b', 'ThingGroup/a'] });
  });
});

describe('deletePhases', () => {
  it('derives the phases from the kinds\' references: dependents first, concurrent kinds together', () => {
    expect(deletePhases(kindRegistry)).toEqual([
      ['Certificate', 'TopicRule', 'Job'],
      ['Thing', 'DynamicThingGroup'],
      ['ThingType', 'ThingGroup', 'FleetIndexing'],
      ['Policy'],
    ]);
  });

  it('refuses kinds that refer to each other in a cycle', () => {
    const registry = {
      ThingType: { ...kindRegistry.ThingType!, references: [{ path: ['x'], to: ['Thing'] as const }] },
      Thing: kindRegistry.Thing!,
    } as unknown as KindRegistry;
    expect(() => deletePhases(registry)).toThrow(/cycle: ThingType, Thing/);
  });
});
