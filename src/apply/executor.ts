// Executes exactly a Plan, walking the plan's apply graph (src/plan/graph.ts: forward changes by
// dependency, then deletes phase by phase in the kinds' delete order). Scheduling is dynamic, not
// wave by wave: a change starts as soon as what it waits for is done, so one slow call never
// holds up unrelated work and a large apply keeps every API's token bucket busy. A failed step
// marks everything that needs it (transitively) skipped; independent steps still run; every
// change of the plan is accounted for. Blocked changes are reported, never executed. Kinds do
// the AWS work (Kind.apply); rate limits live in the IotApi client.
import { resourceKey } from '../model/resource.js';
import type { ApplyContext, Kind } from '../kinds/types.js';
import { deletePhases, type KindRegistry } from '../kinds/registry.js';
import type { ChangeAction, Plan, PlannedChange } from '../model/plan.js';
import { applyGraph, type ApplyNode } from '../plan/graph.js';
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

/** An ApplyNode with its run state. */
interface Node {
  readonly graph: ApplyNode;
  readonly key: string;
  /** The change to run; undefined for a barrier, which orders the graph and is not reported. */
  readonly change: ApplyNode['change'];
  waitingOn: number;
  /** Longest chain of dependencies above this node (0 for a root); set as its dependencies finish. */
  depth: number;
  readonly height: number;
  state: 'pending' | 'running' | StepOutcome;
}

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
  const graph = applyGraph(plan.changes, deletePhases(kinds));
  if (!graph.ok) {
    const message = `dependency cycle: ${graph.cycle.join(' -> ')}`;
    for (const c of runnable) record(c, { outcome: 'skipped', error: { message } });
    return { ok: false, steps: ordered(), cycle: graph.cycle };
  }

  const nodes: Node[] = graph.nodes.map((g) => ({ graph: g, key: g.key, change: g.change, waitingOn: g.waitsFor, depth: 0, height: g.height, state: 'pending' }));
  // Virtual nodes take no slot and are settled at once; real ones wait for a slot in the queue.
  const ready = createReadyQueue<Node>((n) => n.change!.kind);
  const settle: Node[] = [];
  const enqueue = (n: Node): void => void (n.change ? ready.push(n) : settle.push(n));
  for (const n of nodes) if (n.waitingOn === 0) enqueue(n);
  const runningByKind = new Map<string, number>();
  const limit = Math.max(1, props.concurrency ?? 32);

  const finish = (node: Node, outcome: StepOutcome, extra: Omit<StepResult, 'kind' | 'name' | 'action' | 'outcome'> = {}): void => {
    node.state = outcome;
    if (node.change) record(node.change, { outcome, ...extra });
    for (const { to: index, needsSuccess } of node.graph.dependents) {
      const to = nodes[index]!;
      if (to.state !== 'pending') continue;
      if (needsSuccess && outcome !== 'applied') finish(to, 'skipped', { skippedBecause: node.key });
      to.depth = Math.max(to.depth, node.depth + 1);
      if (--to.waitingOn === 0) enqueue(to);
    }
  };

  const run = async (node: Node, change: PlannedChange): Promise<void> => {
    const kind = kinds[change.kind] as Kind | undefined;
    const t0 = now();
    if (!kind?.apply) return finish(node, 'failed', { error: { message: `iotops cannot apply ${change.kind} changes yet` } });
    const journal = props.journal && journaled(change) ? props.journal : undefined;
    try {
      journal?.begin(change);
      await kind.apply(change, ctx);
      // A failed create keeps its open journal entry: it may have stopped half-way, like a crash.
      journal?.end(change);
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
        const change = node.change!; // the queue holds steps only; barriers settle at once
        const kind = change.kind;
        node.state = 'running';
        progress.running++;
        runningByKind.set(kind, (runningByKind.get(kind) ?? 0) + 1);
        void run(node, change).finally(() => {
          progress.running--;
          runningByKind.set(kind, (runningByKind.get(kind) ?? 1) - 1);
          pump();
        });
      }
      if (progress.running > 0) return;
      if (props.signal?.aborted) {
        for (const n of nodes) {
          if (!n.change || n.state !== 'pending') continue;
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
