// The dependency graph of a plan's changes: topological waves (changes in one wave are
// independent and may run concurrently), deletes in reverse, and cycles reported by name.
// Pure; apply walks `executionWaves` and the planner uses `findCycle` to warn early.
import type { PlannedChange } from '../model/plan.js';
import { resourceKey, type KindName } from '../model/resource.js';

export interface GraphNode {
  readonly key: string;
  /** Keys this node waits for; keys that are not nodes are ignored. */
  readonly dependsOn: readonly string[];
}

export type WavesResult =
  | { readonly ok: true; readonly waves: readonly (readonly string[])[] }
  | { readonly ok: false; readonly cycle: readonly string[] };

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Kahn's algorithm by levels: wave n holds the nodes whose dependencies are all in earlier waves.
 * Waves are sorted, so the result is deterministic. A cycle is returned as the path that closes it.
 */
export function topologicalWaves(nodes: readonly GraphNode[]): WavesResult {
  const keys = new Set(nodes.map((n) => n.key));
  const pending = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    const deps = [...new Set(n.dependsOn)].filter((d) => keys.has(d) && d !== n.key);
    pending.set(n.key, deps.length);
    for (const d of deps) {
      const list = dependents.get(d);
      if (list) list.push(n.key);
      else dependents.set(d, [n.key]);
    }
  }
  const waves: string[][] = [];
  let ready = [...pending].filter(([, c]) => c === 0).map(([k]) => k);
  let done = 0;
  while (ready.length > 0) {
    ready.sort(byString);
    waves.push(ready);
    done += ready.length;
    const next: string[] = [];
    for (const k of ready) {
      for (const dep of dependents.get(k) ?? []) {
        const left = (pending.get(dep) ?? 0) - 1;
        pending.set(dep, left);
        if (left === 0) next.push(dep);
      }
    }
    ready = next;
  }
  if (done === nodes.length) return { ok: true, waves };
  return { ok: false, cycle: findCycle(nodes) ?? [...pending].filter(([, c]) => c > 0).map(([k]) => k).sort(byString) };
}

/** A dependency cycle as `[a, b, …, a]`, or undefined. Self-dependencies are ignored. */
export function findCycle(nodes: readonly GraphNode[]): string[] | undefined {
  const deps = new Map<string, readonly string[]>();
  for (const n of nodes) deps.set(n.key, n.dependsOn);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string): string[] | undefined => {
    state.set(key, 'visiting');
    stack.push(key);
    for (const d of [...(deps.get(key) ?? [])].sort(byString)) {
      if (d === key || !deps.has(d)) continue;
      if (state.get(d) === 'visiting') return [...stack.slice(stack.indexOf(d)), d];
      if (state.get(d) === undefined) {
        const found = visit(d);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(key, 'done');
    return undefined;
  };
  for (const key of [...deps.keys()].sort(byString)) {
    if (state.get(key) !== undefined) continue;
    const found = visit(key);
    if (found) return found;
  }
  return undefined;
}

/** An edge of the apply graph: `to` (a node index) waits for the node that holds the edge. */
export interface ApplyEdge {
  readonly to: number;
  /** true: `to` runs only if this node was applied (a dependency); false: ordering only. */
  readonly needsSuccess: boolean;
}

export interface ApplyNode {
  readonly key: string;
  /** The change to execute; a barrier (undefined) only orders the deletes of one phase after another's. */
  readonly change?: PlannedChange;
  readonly dependents: readonly ApplyEdge[];
  /** Edges that point at this node: how many nodes it waits for. */
  readonly waitsFor: number;
  /** Longest chain of must-succeed dependents below this node (0 for a leaf): a scheduling priority. */
  readonly height: number;
}

export type ApplyGraph = { readonly ok: true; readonly nodes: readonly ApplyNode[] } | { readonly ok: false; readonly cycle: readonly string[] };

interface Building {
  readonly key: string;
  readonly change?: PlannedChange;
  readonly dependents: ApplyEdge[];
  waitsFor: number;
  height: number;
}

/**
 * The graph apply runs for a plan's runnable (not blocked) changes. Barriers keep the edge count
 * linear: every forward change → barrier → first delete phase → barrier → next phase ...; a
 * failed delete in one phase shows as a failure, not a skip, in the next (ordering edges only).
 */
export function applyGraph(changes: readonly PlannedChange[], deletePhases: readonly (readonly KindName[])[]): ApplyGraph {
  const runnable = changes.filter((c) => !c.blocked);
  const forward = runnable.filter((c) => c.action !== 'delete');
  const deletes = runnable.filter((c) => c.action === 'delete');
  const forwardCycle = findCycle(forward.map((c) => ({ key: resourceKey(c), dependsOn: c.dependsOn })));
  if (forwardCycle) return { ok: false, cycle: forwardCycle };

  const nodes: Building[] = [];
  const add = (key: string, change?: PlannedChange): number => nodes.push({ key, ...(change ? { change } : {}), dependents: [], waitsFor: 0, height: 0 }) - 1;
  const edge = (from: number, to: number, needsSuccess: boolean): void => {
    nodes[from]!.dependents.push({ to, needsSuccess });
    nodes[to]!.waitsFor++;
  };
  const index = new Map<string, number>();
  for (const c of runnable) index.set(resourceKey(c), add(resourceKey(c), c));
  for (const c of forward) {
    const n = index.get(resourceKey(c))!;
    for (const dep of new Set(c.dependsOn)) {
      const d = index.get(dep);
      if (d !== undefined && d !== n && nodes[d]!.change!.action !== 'delete') edge(d, n, true);
    }
  }
  if (deletes.length > 0) {
    let barrier = add('<forward done>');
    for (const c of forward) edge(index.get(resourceKey(c))!, barrier, false);
    const phaseOf = new Map<KindName, number>();
    deletePhases.forEach((kinds, i) => kinds.forEach((k) => phaseOf.set(k, i)));
    for (const [i, kinds] of deletePhases.entries()) {
      const phase = deletes.filter((c) => phaseOf.get(c.kind) === i);
      if (phase.length === 0) continue;
      const inPhase = new Set(phase.map((c) => resourceKey(c)));
      // Deleting a resource waits for the deletes of what depends on it: edges reversed.
      const reversed = new Map<string, string[]>(phase.map((c) => [resourceKey(c), []]));
      for (const c of phase) for (const dep of c.dependsOn) if (inPhase.has(dep) && dep !== resourceKey(c)) reversed.get(dep)!.push(resourceKey(c));
      const cycle = findCycle([...reversed].map(([key, dependsOn]) => ({ key, dependsOn })));
      if (cycle) return { ok: false, cycle };
      const next = add(`<${kinds.join('+')} deletes done>`);
      for (const c of phase) {
        const n = index.get(resourceKey(c))!;
        edge(barrier, n, false);
        edge(n, next, false);
        for (const dependent of reversed.get(resourceKey(c))!) edge(index.get(dependent)!, n, true);
      }
      barrier = next;
    }
    const unphased = deletes.find((c) => !phaseOf.has(c.kind));
    if (unphased) throw new Error(`no delete phase for kind ${unphased.kind}`);
  }
  computeHeights(nodes);
  return { ok: true, nodes };
}

/** Longest chain of must-succeed dependents below each node (ordering-only barrier edges excluded). */
function computeHeights(nodes: Building[]): void {
  const pending = nodes.map((n) => n.dependents.filter((e) => e.needsSuccess).length);
  const dependencies = nodes.map((): number[] => []);
  nodes.forEach((n, i) => {
    for (const e of n.dependents) if (e.needsSuccess) dependencies[e.to]!.push(i);
  });
  const sinks = nodes.flatMap((_, i) => (pending[i] === 0 ? [i] : []));
  for (let s = 0; s < sinks.length; s++) {
    const n = sinks[s]!;
    for (const d of dependencies[n]!) {
      nodes[d]!.height = Math.max(nodes[d]!.height, nodes[n]!.height + 1);
      if (--pending[d]! === 0) sinks.push(d);
    }
  }
}
