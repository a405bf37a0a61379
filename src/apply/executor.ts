// Executes exactly a Plan. Scheduling is dynamic, not wave by wave: a change starts as soon as
// what it waits for is done, so one slow call never holds up unrelated work and a large apply
// keeps every API's token bucket busy. Creates, updates, replaces and adopts wait for the
// changes they depend on; deletes run after all of those, kind by kind from Job down to
// FleetIndexing, and within a kind after the deletes of their dependents (child groups before
// parents). A failed step marks everything that needs it (transitively) skipped; independent
// steps still run; every change of the plan is accounted for. Blocked changes are reported,
// never executed. Kinds do the AWS work (Kind.apply); rate limits live in the IotApi client.
import { KIND_NAMES, resourceKey, type KindName } from '../model/resource.js';
import type { ApplyContext, Kind } from '../kinds/types.js';
import type { KindRegistry } from '../kinds/registry.js';
import type { ChangeAction, Plan, PlannedChange } from '../model/plan.js';
import { executionWaves } from '../plan/graph.js';
import { AwsCallError } from '../aws/errors.js';
import { journaled, type StepJournal } from './journal.js';
import { createReadyQueue } from './ready-queue.js';

export type StepOutcome = 'applied' | 'failed' | 'skipped' | 'blocked';

export interface StepError {
  readonly message: string;
  readonly code?: string;
  readonly awsErrorName?: string;
  readonly operation?: string;
}

export interface StepResult {
  readonly kind: PlannedChange['kind'];
  readonly name: string;
  readonly action: ChangeAction;
  readonly outcome: StepOutcome;
  readonly error?: StepError;
  /** For skipped steps: the failed or skipped step this one waited for. */
  readonly skippedBecause?: string;
  /** For blocked steps: the plan's blocked code. */
  readonly blockedCode?: string;
  readonly durationMs?: number;
}

export interface ApplyProgress {
  /** Runnable (not blocked) steps in the plan. */
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
  readonly running: number;
}

export interface ApplyResult {
  /** True when no step failed or was skipped (blocked steps do not count). */
  readonly ok: boolean;
  /** Every change of the plan, in plan order (kind, then name). */
  readonly steps: readonly StepResult[];
  /** Set when the plan's dependency graph has a cycle: nothing was executed. */
  readonly cycle?: readonly string[];
}

export interface ExecutePlanProps {
  readonly plan: Plan;
  readonly kinds: KindRegistry;
  readonly ctx: ApplyContext;
  /** Steps in flight at once (default 32); the API client's token buckets do the pacing. */
  readonly concurrency?: number;
  readonly onStep?: (step: StepResult, progress: ApplyProgress) => void;
  readonly now?: () => number;
  /**
   * Records each create before its first AWS call and after it was applied, so a crash in
   * between can be recovered by the next apply (src/apply/journal.ts, recover.ts).
   */
  readonly journal?: StepJournal;
  /** Aborting stops the run at the next step boundary: steps in flight finish, no new one starts. */
  readonly signal?: AbortSignal;
}

interface Edge {
  readonly to: Node;
  /** true: `to` runs only if this node was applied; false: ordering only. */
  readonly needsSuccess: boolean;
}

interface Node {
  readonly change: PlannedChange;
  readonly key: string;
  /** Virtual nodes (phase barriers) order the graph and are not reported. */
  readonly virtual: boolean;
  waitingOn: number;
  /** Longest chain of dependencies above this node (0 for a root); set as its dependencies finish. */
  depth: number;
  /** Longest chain of dependents below this node (0 for a leaf). */
  height: number;
  readonly dependents: Edge[];
  state: 'pending' | 'running' | StepOutcome;
}

const DELETE_PHASES: readonly KindName[] = [...KIND_NAMES].reverse();

function stepError(err: unknown): StepError {
  if (err instanceof AwsCallError) return { message: err.message, code: err.code, awsErrorName: err.awsErrorName, operation: err.operation };
  return { message: err instanceof Error ? err.message : String(err) };
}

export async function executePlan(props: ExecutePlanProps): Promise<ApplyResult> {
  const { plan, kinds, ctx } = props;
  const now = props.now ?? Date.now;
  const results = new Map<string, StepResult>();
  const progress = { total: 0, done: 0, failed: 0, skipped: 0, running: 0 };
  const record = (change: PlannedChange, r: Omit<StepResult, 'kind' | 'name' | 'action'>): void => {
    const step: StepResult = { kind: change.kind, name: change.name, action: change.action, ...r };
    results.set(resourceKey(change), step);
    if (r.outcome !== 'blocked') {
      progress.done++;
      if (r.outcome === 'failed') progress.failed++;
      if (r.outcome === 'skipped') progress.skipped++;
    }
    props.onStep?.(step, { ...progress });
  };
  const ordered = (): StepResult[] => plan.changes.map((c) => results.get(resourceKey(c))!);

  const runnable = plan.changes.filter((c) => !c.blocked);
  progress.total = runnable.length;
  for (const c of plan.changes) if (c.blocked) record(c, { outcome: 'blocked', blockedCode: c.blocked.code });
  const check = executionWaves(plan.changes);
  if (!check.ok) {
    const message = `dependency cycle: ${check.cycle.join(' -> ')}`;
    for (const c of runnable) record(c, { outcome: 'skipped', error: { message } });
    return { ok: false, steps: ordered(), cycle: check.cycle };
  }

  const nodes = buildGraph(runnable);
  computeHeights(nodes);
  // Virtual nodes take no slot and are settled at once; real ones wait for a slot in the queue.
  const ready = createReadyQueue<Node>((n) => n.change.kind);
  const settle: Node[] = [];
  const enqueue = (n: Node): void => void (n.virtual ? settle.push(n) : ready.push(n));
  for (const n of nodes) if (n.waitingOn === 0) enqueue(n);
  const runningByKind = new Map<string, number>();
  const limit = Math.max(1, props.concurrency ?? 32);

  const finish = (node: Node, outcome: StepOutcome, extra: Omit<StepResult, 'kind' | 'name' | 'action' | 'outcome'> = {}): void => {
    node.state = outcome;
    if (!node.virtual) record(node.change, { outcome, ...extra });
    for (const { to, needsSuccess } of node.dependents) {
      if (to.state !== 'pending') continue;
      if (needsSuccess && outcome !== 'applied') finish(to, 'skipped', { skippedBecause: node.key });
      to.depth = Math.max(to.depth, node.depth + 1);
      if (--to.waitingOn === 0) enqueue(to);
    }
  };

  const run = async (node: Node): Promise<void> => {
    const kind = kinds[node.change.kind] as Kind | undefined;
    const t0 = now();
    if (!kind?.apply) return finish(node, 'failed', { error: { message: `iotops cannot apply ${node.change.kind} changes yet` } });
    const journal = props.journal && journaled(node.change) ? props.journal : undefined;
    try {
      journal?.begin(node.change);
      await kind.apply(node.change, ctx);
      // A failed create keeps its open journal entry: it may have stopped half-way, like a crash.
      journal?.end(node.change);
      finish(node, 'applied', { durationMs: now() - t0 });
    } catch (err) {
      finish(node, 'failed', { error: stepError(err), durationMs: now() - t0 });
    }
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      for (;;) {
        const barrier = settle.pop();
        if (barrier) {
          finish(barrier, 'applied');
          continue;
        }
        if (progress.running >= limit || props.signal?.aborted) break;
        // While several kinds have work waiting, none may hold more than half the slots: steps
        // queued on a slow API's token bucket (certificates, 10 TPS) must not starve the steps
        // of a fast one (things, 100 TPS). A kind alone may use them all.
        const cap = ready.kinds() > 1 ? Math.ceil(limit / 2) : limit;
        const node = ready.pop((kind) => (runningByKind.get(kind) ?? 0) < cap);
        if (!node) break;
        if (node.state !== 'pending') continue;
        const kind = node.change.kind;
        node.state = 'running';
        progress.running++;
        runningByKind.set(kind, (runningByKind.get(kind) ?? 0) + 1);
        void run(node).finally(() => {
          progress.running--;
          runningByKind.set(kind, (runningByKind.get(kind) ?? 1) - 1);
          pump();
        });
      }
      if (progress.running > 0) return;
      if (props.signal?.aborted) {
        for (const n of nodes) {
          if (n.virtual || n.state !== 'pending') continue;
          n.state = 'skipped';
          record(n.change, { outcome: 'skipped', error: { message: 'not started: the run was cancelled' } });
        }
        return resolve();
      }
      if (ready.size() === 0 && settle.length === 0) resolve();
    };
    props.signal?.addEventListener('abort', () => pump(), { once: true });
    pump();
  });

  const steps = ordered();
  return { ok: steps.every((s) => s.outcome === 'applied' || s.outcome === 'blocked'), steps };
}

/**
 * Edges: a forward change needs the forward changes it depends on to be applied. Deletes come
 * after every forward change has finished (an update may detach what is being deleted), phase by
 * phase in reverse kind order (ordering only: a failed delete in one phase shows up as a failure,
 * not a skip, in the next), and within a kind a resource is deleted only after the resources
 * that depend on it.
 */
function buildGraph(changes: readonly PlannedChange[]): Node[] {
  const nodes = changes.map((change) => node(change, resourceKey(change), false));
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const forward = nodes.filter((n) => n.change.action !== 'delete');
  const deletes = nodes.filter((n) => n.change.action === 'delete');
  for (const n of forward) {
    for (const dep of new Set(n.change.dependsOn)) {
      const d = byKey.get(dep);
      if (d && d !== n && d.change.action !== 'delete') edge(d, n, true);
    }
  }
  if (deletes.length === 0) return nodes;
  // Virtual barriers keep the edge count linear: all forward → barrier → first delete phase → barrier → ...
  let barrier = node(deletes[0]!.change, '<forward done>', true);
  for (const n of forward) edge(n, barrier, false);
  const virtuals = [barrier];
  for (const kind of DELETE_PHASES) {
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
  return { change, key, virtual, waitingOn: 0, depth: 0, height: 0, dependents: [], state: 'pending' };
}

/** Longest chain of must-succeed dependents below each node (ordering-only barrier edges excluded). */
function computeHeights(nodes: readonly Node[]): void {
  const pending = new Map<Node, number>();
  for (const n of nodes) pending.set(n, n.dependents.filter((e) => e.needsSuccess).length);
  const dependencies = new Map<Node, Node[]>();
  for (const n of nodes) for (const e of n.dependents) if (e.needsSuccess) (dependencies.get(e.to) ?? dependencies.set(e.to, []).get(e.to)!).push(n);
  const sinks = nodes.filter((n) => pending.get(n) === 0);
  for (let i = 0; i < sinks.length; i++) {
    const n = sinks[i]!;
    for (const d of dependencies.get(n) ?? []) {
      d.height = Math.max(d.height, n.height + 1);
      const left = pending.get(d)! - 1;
      pending.set(d, left);
      if (left === 0) sinks.push(d);
    }
  }
}

function edge(from: Node, to: Node, needsSuccess: boolean): void {
  from.dependents.push({ to, needsSuccess });
  to.waitingOn++;
}
