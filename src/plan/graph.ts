// The dependency graph of a plan's changes: topological waves (changes in one wave are
// independent and may run concurrently), deletes in reverse, and cycles reported by name.
// Pure; apply walks `executionWaves` and the planner uses `findCycle` to warn early.
import type { PlannedChange } from '../model/plan.js';
import { resourceKey } from '../model/resource.js';

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

export interface ExecutionWaves {
  /** Creates, updates, replaces and adopts, dependencies first. */
  readonly forward: readonly (readonly PlannedChange[])[];
  /** Deletes, dependents first (the reverse of their dependency order); they run after every forward wave. */
  readonly deletes: readonly (readonly PlannedChange[])[];
}

/**
 * How apply runs a plan: forward changes in dependency order, then deletes in reverse dependency
 * order, so a resource is never deleted while something the plan still creates or updates needs
 * it (a thing moves to its new type before the old type goes). Blocked changes are left out.
 */
export function executionWaves(changes: readonly PlannedChange[]): { ok: true; waves: ExecutionWaves } | { ok: false; cycle: readonly string[] } {
  const runnable = changes.filter((c) => !c.blocked);
  const byKey = new Map(runnable.map((c) => [resourceKey(c), c]));
  const forward = runnable.filter((c) => c.action !== 'delete');
  const deletes = runnable.filter((c) => c.action === 'delete');
  const f = topologicalWaves(forward.map((c) => ({ key: resourceKey(c), dependsOn: c.dependsOn })));
  if (!f.ok) return f;
  // Reverse edges: if A depends on B, deleting B waits for deleting A.
  const reversed = new Map<string, string[]>(deletes.map((c) => [resourceKey(c), []]));
  for (const c of deletes) {
    for (const dep of c.dependsOn) reversed.get(dep)?.push(resourceKey(c));
  }
  const d = topologicalWaves([...reversed].map(([key, dependsOn]) => ({ key, dependsOn })));
  if (!d.ok) return d;
  const toChanges = (waves: readonly (readonly string[])[]) => waves.map((w) => w.map((k) => byKey.get(k)!));
  return { ok: true, waves: { forward: toChanges(f.waves), deletes: toChanges(d.waves) } };
}
