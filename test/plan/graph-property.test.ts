// Properties of the dependency graph: waves respect every edge, and a reported cycle is real.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findCycle, topologicalWaves } from '../../src/plan/graph.js';

const keys = Array.from({ length: 12 }, (_, i) => `n${String(i).padStart(2, '0')}`);

/** Random graphs over `keys`; `dag` keeps only edges to lower indexes, so no cycle can form. */
const graph = (dag: boolean) =>
  fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 11 })), { maxLength: 40 }).map((edges) =>
    keys.map((key, i) => ({
      key,
      dependsOn: edges.filter(([from, to]) => from === i && (!dag || to < i)).map(([, to]) => keys[to]),
    })),
  );

describe('graph properties', () => {
  it('every node lands in exactly one wave, after all of its dependencies', () => {
    fc.assert(
      fc.property(graph(true), (nodes) => {
        const r = topologicalWaves(nodes);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const waveOf = new Map<string, number>();
        r.waves.forEach((w, i) => w.forEach((k) => waveOf.set(k, i)));
        expect([...waveOf.keys()].sort()).toEqual(keys);
        for (const n of nodes) for (const d of n.dependsOn) if (d !== n.key) expect(waveOf.get(d)!).toBeLessThan(waveOf.get(n.key)!);
      }),
    );
  });

  it('a reported cycle follows real edges back to its start; no cycle means waves exist', () => {
    fc.assert(
      fc.property(graph(false), (nodes) => {
        const cycle = findCycle(nodes);
        const r = topologicalWaves(nodes);
        expect(r.ok).toBe(cycle === undefined);
        if (!cycle) return;
        expect(cycle[0]).toBe(cycle[cycle.length - 1]);
        const deps = new Map(nodes.map((n) => [n.key, n.dependsOn]));
        for (let i = 0; i + 1 < cycle.length; i++) expect(deps.get(cycle[i])).toContain(cycle[i + 1]);
      }),
    );
  });
});
