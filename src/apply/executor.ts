// The executor: runs exactly the changes of a Plan, as a dependency graph with bounded
// concurrency. Creates and updates start as soon as what they depend on is done; deletes run
// after every other change, in reverse dependency order (a resource is deleted only after the
// resources that depend on it are), kind by kind from Job down to FleetIndexing. A failed step
// marks everything that depends on it skipped; independent work still completes, and the
// result accounts for every step. Per-API rate limits live in the IotApi client, not here.
import { KIND_NAMES, type KindName } from '../manifest/model.js';
import type { ChangeAction, Plan, PlannedChange } from '../plan/model.js';
import type { ApplyContext, Kind } from '../kinds/types.js';

export type StepOutcome = 'succeeded' | 'failed' | 'skipped';

export interface StepResult {
  readonly key: string;
  readonly kind: KindName;
  readonly name: string;
  readonly action: ChangeAction;
  readonly outcome: StepOutcome;
  /** For failed steps: what went wrong; for skipped ones: which failed step caused it. */
  readonly message?: string;
  readonly durationMs: number;
}

export interface ApplyProgress {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
  readonly running: number;
}

export interface ApplyResult {
  readonly steps: readonly StepResult[];
  readonly succeeded: number;
  readonly failed: number;
  readonly skipped: number;
  readonly durationMs: number;
}

export interface ExecuteProps {
  readonly plan: Plan;
  readonly kinds: ReadonlyMap<KindName, Kind>;
  readonly context: ApplyContext;
  /** Steps in flight at once (default 32); the API client's token buckets do the pacing. */
  readonly concurrency?: number;
  readonly onStep?: (step: StepResult, progress: ApplyProgress) => void;
  readonly now?: () => number;
}

interface Edge {
  readonly to: Node;
  /** true: `to` runs only if this node succeeded; false: ordering only (`to` runs after it either way). */
  readonly needsSuccess: boolean;
}

interface Node {
  readonly change: PlannedChange;
  readonly key: string;
  /** Virtual nodes order the graph and are not reported. */
  readonly virtual: boolean;
  waitingOn: number;
  readonly dependents: Edge[];
  state: 'pending' | 'running' | StepOutcome;
}

const DELETE_PHASE: readonly KindName[] = [...KIND_NAMES].reverse();

export async function executePlan(props: ExecuteProps): Promise<ApplyResult> {
  const now = props.now ?? Date.now;
  const started = now();
  const nodes = buildGraph(props.plan.changes.filter((c) => !c.blocked));
  const results: StepResult[] = [];
  const progress = { total: nodes.filter((n) => !n.virtual).length, done: 0, failed: 0, skipped: 0, running: 0 };
  const ready: Node[] = nodes.filter((n) => n.waitingOn === 0);
  let head = 0; // ready is a queue; an index beats Array.shift at 100k steps
  const limit = Math.max(1, props.concurrency ?? 32);

  const release = (node: Node): void => {
    for (const { to, needsSuccess } of node.dependents) {
      if (to.state !== 'pending') continue;
      if (needsSuccess && node.state !== 'succeeded') {
        finish(to, 'skipped', 0, `skipped because ${node.key} ${node.state === 'failed' ? 'failed' : 'was skipped'}`);
      } else if (--to.waitingOn === 0) {
        ready.push(to);
      }
    }
  };

  const finish = (node: Node, outcome: StepOutcome, durationMs: number, message?: string): void => {
    node.state = outcome;
    if (!node.virtual) {
      progress.done++;
      if (outcome === 'failed') progress.failed++;
      if (outcome === 'skipped') progress.skipped++;
      const step: StepResult = { key: node.key, kind: node.change.kind, name: node.change.name, action: node.change.action, outcome, durationMs, ...(message ? { message } : {}) };
      results.push(step);
      props.onStep?.(step, { ...progress });
    }
    release(node);
  };

  const run = async (node: Node): Promise<void> => {
    const kind = props.kinds.get(node.change.kind);
    const t0 = now();
    try {
      if (!kind?.apply) throw new Error(`iotops cannot ${node.change.action} ${node.change.kind} resources yet`);
      await kind.apply(node.change, props.context);
      finish(node, 'succeeded', now() - t0);
    } catch (err) {
      finish(node, 'failed', now() - t0, err instanceof Error ? err.message : String(err));
    }
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (progress.running < limit && head < ready.length) {
        const node = ready[head++]!;
        if (node.state !== 'pending') continue;
        if (node.virtual) {
          finish(node, 'succeeded', 0);
          continue;
        }
        node.state = 'running';
        progress.running++;
        void run(node).finally(() => {
          progress.running--;
          pump();
        });
      }
      if (progress.running === 0 && head >= ready.length) {
        // Anything still pending waits on a cycle the plan should have rejected: account for it.
        for (const n of nodes) if (n.state === 'pending' && !n.virtual) finish(n, 'skipped', 0, 'skipped: dependency cycle');
        resolve();
      }
    };
    pump();
  });

  const count = (o: StepOutcome) => results.filter((r) => r.outcome === o).length;
  const order = new Map(nodes.map((n, i) => [n.key, i]));
  results.sort((a, b) => order.get(a.key)! - order.get(b.key)!);
  return { steps: results, succeeded: count('succeeded'), failed: count('failed'), skipped: count('skipped'), durationMs: now() - started };
}

/**
 * Edges: a non-delete change needs the non-delete changes it depends on to succeed. Deletes
 * come after every non-delete change has finished (an update may detach what is being
 * deleted), phase by phase from Job down to FleetIndexing (ordering only: a failed delete in
 * one phase shows up as a failure, not a skip, in the next), and within a kind a resource is
 * deleted only after the resources that depend on it (child groups before parents).
 */
function buildGraph(changes: readonly PlannedChange[]): Node[] {
  const nodes = changes.map((change) => node(change, `${change.kind}/${change.name}`, false));
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const upserts = nodes.filter((n) => n.change.action !== 'delete');
  const deletes = nodes.filter((n) => n.change.action === 'delete');
  for (const n of upserts) {
    for (const dep of new Set(n.change.dependsOn)) {
      const d = byKey.get(dep);
      if (d && d !== n && d.change.action !== 'delete') edge(d, n, true);
    }
  }
  if (deletes.length === 0) return nodes;
  // Virtual barriers keep the edge count linear: all upserts → barrier → first delete phase → barrier → ...
  let barrier = node(deletes[0]!.change, '<upserts done>', true);
  for (const n of upserts) edge(n, barrier, false);
  const virtuals = [barrier];
  for (const kind of DELETE_PHASE) {
    const phase = deletes.filter((d) => d.change.kind === kind);
    if (phase.length === 0) continue;
    const inPhase = new Map(phase.map((n) => [n.key, n]));
    const next = node(phase[0]!.change, `<${kind} deletes done>`, true);
    for (const n of phase) {
      edge(barrier, n, false);
      edge(n, next, false);
      for (const dep of new Set(n.change.dependsOn)) {
        const d = inPhase.get(dep);
        if (d && d !== n) edge(n, d, true);
      }
    }
    virtuals.push(next);
    barrier = next;
  }
  return [...nodes, ...virtuals];
}

function node(change: PlannedChange, key: string, virtual: boolean): Node {
  return { change, key, virtual, waitingOn: 0, dependents: [], state: 'pending' };
}

function edge(from: Node, to: Node, needsSuccess: boolean): void {
  from.dependents.push({ to, needsSuccess });
  to.waitingOn++;
}
