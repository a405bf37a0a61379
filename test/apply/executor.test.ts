// Ordering, failure isolation and accounting of the executor, with recording kinds.
// (Each kind's AWS calls are tested against the emulator in test/kinds/.)
import { describe, expect, it } from 'vitest';
import { executePlan, type StepResult } from '../../src/apply/executor.js';
import { kindRegistry, type KindRegistry } from '../../src/kinds/registry.js';
import type { KindName } from '../../src/model/resource.js';
import type { ApplyContext, Kind } from '../../src/kinds/types.js';
import { summarize, type ChangeAction, type Plan, type PlannedChange } from '../../src/model/plan.js';

const ctx = {} as ApplyContext;

function change(kind: KindName, name: string, action: ChangeAction, dependsOn: string[] = [], blocked = false): PlannedChange {
  return { kind, name, action, fields: [], dependsOn, ...(blocked ? { blocked: { code: 'prune-disabled', message: 'needs --prune' } } : {}) };
}

function planOf(changes: PlannedChange[]): Plan {
  return { formatVersion: 1, revision: 'r', liveDigest: 'd', summary: summarize(changes), changes, warnings: [] };
}

function recordingKinds(opts: { fail?: Set<string>; delayMs?: number } = {}) {
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const kinds: Record<string, Kind> = {};
  for (const kind of ['FleetIndexing', 'ThingType', 'ThingGroup', 'DynamicThingGroup', 'Thing', 'Policy', 'Certificate', 'TopicRule', 'Job'] as KindName[]) {
    kinds[kind] = {
      kind,
      taggable: false,
      read: async () => [],
      manifest: kindRegistry[kind]!.manifest as Kind['manifest'],
      references: kindRegistry[kind]?.references ?? [],
      compare: () => ({ fields: [] }),
      apply: async (c) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, opts.delayMs ?? 1));
        inFlight--;
        const key = `${c.kind}/${c.name}`;
        log.push(`${c.action} ${key}`);
        if (opts.fail?.has(key)) throw new Error(`boom ${key}`);
      },
    };
  }
  return { kinds: kinds as KindRegistry, log, maxInFlight: () => maxInFlight };
}

const byKey = (steps: readonly StepResult[]) => Object.fromEntries(steps.map((s) => [`${s.kind}/${s.name}`, s.outcome]));
const count = (steps: readonly StepResult[], outcome: string) => steps.filter((s) => s.outcome === outcome).length;

describe('executePlan', () => {
  it('creates dependencies first and deletes dependents first', async () => {
    const { kinds, log } = recordingKinds();
    const plan = planOf([
      change('Thing', 'sensor-1', 'create', ['ThingType/sensor', 'ThingGroup/berlin']),
      change('ThingGroup', 'berlin', 'create', ['ThingGroup/europe']),
      change('ThingGroup', 'europe', 'create'),
      change('ThingType', 'sensor', 'create'),
      change('ThingGroup', 'old-child', 'delete', ['ThingGroup/old-parent']),
      change('ThingGroup', 'old-parent', 'delete'),
      change('Policy', 'old', 'delete'),
      change('Certificate', 'old-cert', 'delete'),
      change('Thing', 'gone', 'delete'),
    ]);
    const result = await executePlan({ plan, kinds, ctx, concurrency: 4 });
    expect(result.ok).toBe(true);
    expect(count(result.steps, 'applied')).toBe(9);
    const at = (s: string) => log.indexOf(s);
    expect(at('create ThingGroup/europe')).toBeLessThan(at('create ThingGroup/berlin'));
    expect(at('create ThingGroup/berlin')).toBeLessThan(at('create Thing/sensor-1'));
    expect(at('create ThingType/sensor')).toBeLessThan(at('create Thing/sensor-1'));
    const lastUpsert = Math.max(...log.filter((l) => !l.startsWith('delete')).map(at));
    const firstDelete = Math.min(...log.filter((l) => l.startsWith('delete')).map(at));
    expect(lastUpsert).toBeLessThan(firstDelete);
    // Kind by kind as the kinds refer to each other: a certificate holds things and policies, a
    // thing its groups, a group its policies.
    expect(at('delete Certificate/old-cert')).toBeLessThan(at('delete Thing/gone'));
    expect(at('delete Thing/gone')).toBeLessThan(at('delete ThingGroup/old-child'));
    expect(at('delete ThingGroup/old-parent')).toBeLessThan(at('delete Policy/old'));
    expect(at('delete ThingGroup/old-child')).toBeLessThan(at('delete ThingGroup/old-parent'));
  });

  it('skips what depends on a failed step and still completes independent work', async () => {
    const { kinds, log } = recordingKinds({ fail: new Set(['ThingType/sensor']) });
    const plan = planOf([
      change('ThingType', 'sensor', 'create'),
      change('Thing', 'a', 'create', ['ThingType/sensor']),
      change('Certificate', 'a-cert', 'create', ['Thing/a']),
      change('Thing', 'b', 'create'),
      change('Policy', 'p', 'update'),
    ]);
    const result = await executePlan({ plan, kinds, ctx });
    expect(byKey(result.steps)).toEqual({
      'ThingType/sensor': 'failed',
      'Thing/a': 'skipped',
      'Certificate/a-cert': 'skipped',
      'Thing/b': 'applied',
      'Policy/p': 'applied',
    });
    expect(result.steps.find((s) => s.name === 'a')?.skippedBecause).toBe('ThingType/sensor');
    expect(result.steps.find((s) => s.name === 'a-cert')?.skippedBecause).toBe('Thing/a');
    expect(result.steps.find((s) => s.name === 'sensor')?.error?.message).toBe('boom ThingType/sensor');
    expect(log).not.toContain('create Thing/a');
    expect(result.ok).toBe(false);
  });

  it('does not run blocked changes, reports them, and lists steps in plan order', async () => {
    const { kinds, log } = recordingKinds();
    const plan = planOf([change('Thing', 'a', 'create'), change('Thing', 'old', 'delete', [], true), change('Thing', 'b', 'update')]);
    const result = await executePlan({ plan, kinds, ctx });
    expect(log.sort()).toEqual(['create Thing/a', 'update Thing/b']);
    expect(result.steps.map((s) => [s.name, s.outcome])).toEqual([['a', 'applied'], ['old', 'blocked'], ['b', 'applied']]);
    expect(result.ok).toBe(true);
  });

  it('keeps at most `concurrency` steps in flight and reports progress for every step', async () => {
    const { kinds, maxInFlight } = recordingKinds({ delayMs: 5 });
    const changes = Array.from({ length: 200 }, (_, i) => change('Thing', `t-${i}`, 'create'));
    const seen: number[] = [];
    const result = await executePlan({ plan: planOf(changes), kinds, ctx, concurrency: 8, onStep: (_s, p) => seen.push(p.done) });
    expect(count(result.steps, 'applied')).toBe(200);
    expect(maxInFlight()).toBe(8);
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('a failed delete fails, rather than silently skips, deletes in later phases', async () => {
    const { kinds } = recordingKinds({ fail: new Set(['Certificate/c']) });
    const plan = planOf([change('Certificate', 'c', 'delete'), change('Policy', 'p', 'delete')]);
    const result = await executePlan({ plan, kinds, ctx });
    expect(byKey(result.steps)).toEqual({ 'Certificate/c': 'failed', 'Policy/p': 'applied' });
  });

  it('accounts for every one of 20,000 steps', async () => {
    const { kinds } = recordingKinds({ delayMs: 0 });
    const changes: PlannedChange[] = [change('ThingType', 'sensor', 'create')];
    for (let i = 0; i < 20_000; i++) changes.push(change('Thing', `t-${i}`, 'create', ['ThingType/sensor']));
    const result = await executePlan({ plan: planOf(changes), kinds, ctx, concurrency: 64 });
    expect(count(result.steps, 'applied')).toBe(20_001);
    expect(new Set(result.steps.map((s) => s.name)).size).toBe(20_001);
  });
});

describe('executePlan scheduling', () => {
  it('runs the longest remaining chains first, and a ready dependent ahead of shallower queued work', async () => {
    const { kinds, log } = recordingKinds({ delayMs: 0 });
    const changes: PlannedChange[] = [change('ThingType', 'sensor', 'create'), change('Policy', 'p', 'create')];
    for (let i = 0; i < 50; i++) changes.push(change('Thing', `t-${String(i).padStart(2, '0')}`, 'create', ['ThingType/sensor']));
    changes.push(change('Certificate', 'c-00', 'create', ['Thing/t-00', 'Policy/p']));
    changes.push(change('Certificate', 'c-01', 'create', ['Thing/t-01', 'Policy/p']));

    const result = await executePlan({ plan: planOf(changes), kinds, ctx, concurrency: 1 });

    expect(result.ok).toBe(true);
    // With one slot: the things certificates wait for come first, then the certificates, and only
    // then the 48 things nothing waits for.
    expect(log.slice(0, 6)).toEqual(['create ThingType/sensor', 'create Thing/t-00', 'create Thing/t-01', 'create Policy/p', 'create Certificate/c-00', 'create Certificate/c-01']);
    expect(log).toHaveLength(54);
  });
});

describe('executePlan slot sharing', () => {
  it('lets no kind hold more than half the slots while another kind has work waiting', async () => {
    const inFlight: Record<string, number> = { Thing: 0, Certificate: 0 };
    let thingsStarted = 0;
    let certsWhileThingsWait = 0;
    let certsAlone = 0;
    const slow = (kind: KindName, ms: number): Kind => ({
      kind,
      taggable: false,
      read: async () => [],
      manifest: kindRegistry[kind]!.manifest as Kind['manifest'],
      references: kindRegistry[kind]?.references ?? [],
      compare: () => ({ fields: [] }),
      apply: async () => {
        inFlight[kind]!++;
        if (kind === 'Thing') thingsStarted++;
        else if (thingsStarted < 40) certsWhileThingsWait = Math.max(certsWhileThingsWait, inFlight[kind]!);
        else certsAlone = Math.max(certsAlone, inFlight[kind]!);
        await new Promise((r) => setTimeout(r, ms));
        inFlight[kind]!--;
      },
    });
    const kinds = { Thing: slow('Thing', 1), Certificate: slow('Certificate', 20) } as unknown as KindRegistry;
    const changes: PlannedChange[] = [];
    for (let i = 0; i < 40; i++) changes.push(change('Certificate', `c-${i}`, 'create'), change('Thing', `t-${i}`, 'create'));

    const result = await executePlan({ plan: planOf(changes), kinds, ctx, concurrency: 8 });

    expect(count(result.steps, 'applied')).toBe(80);
    expect(certsWhileThingsWait).toBe(4);
    // Once no thing waits, certificates may use every slot.
    expect(certsAlone).toBe(8);
  });
});

describe('executePlan with a dependency cycle', () => {
  it('executes nothing and names the cycle', async () => {
    const { kinds, log } = recordingKinds();
    const plan = planOf([change('ThingGroup', 'a', 'create', ['ThingGroup/b']), change('ThingGroup', 'b', 'create', ['ThingGroup/a']), change('Thing', 'x', 'create')]);
    const result = await executePlan({ plan, kinds, ctx });
    expect(log).toEqual([]);
    expect(result.ok).toBe(false);
    expect(result.cycle).toEqual(['ThingGroup/a', 'ThingGroup/b', 'ThingGroup/a']);
    expect(result.steps.every((s) => s.outcome === 'skipped')).toBe(true);
  });
});

describe('executePlan cancellation', () => {
  it('finishes the steps in flight, starts no new one, and accounts for every step', async () => {
    const { kinds, log } = recordingKinds({ delayMs: 20 });
    const changes = Array.from({ length: 40 }, (_, i) => change('Thing', `t-${String(i).padStart(2, '0')}`, 'create'));
    const stop = new AbortController();
    let started = 0;
    const result = await executePlan({
      plan: planOf(changes),
      kinds,
      ctx,
      concurrency: 4,
      signal: stop.signal,
      onStep: () => {
        if (++started === 6) stop.abort();
      },
    });
    const applied = result.steps.filter((s) => s.outcome === 'applied');
    const skipped = result.steps.filter((s) => s.outcome === 'skipped');
    // The 6th finished step aborts; the 3 others then in flight still finish.
    expect(applied).toHaveLength(9);
    expect(log).toHaveLength(9);
    expect(skipped).toHaveLength(31);
    expect(skipped.every((s) => s.error?.message === 'not started: the run was cancelled')).toBe(true);
    expect(result.ok).toBe(false);
  });
});
