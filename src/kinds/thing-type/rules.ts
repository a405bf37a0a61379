// AWS's thing-type lifecycle rules, as pure functions of the live state and an injected clock:
// description and searchable attributes are immutable (a change is a replace = delete + create);
// a type can be deleted only ≥ 5 minutes after deprecation and only when no thing uses it.
import type { Blocked } from '../../model/plan.js';
import type { CompareContext } from '../types.js';
import type { ThingTypeLive } from '../thing-type.js';

export const DEPRECATION_WAIT_MS = 5 * 60 * 1000;

/** Things known to use the type: the reader's own lookup plus the things in scope. */
export function thingsUsingType(name: string, live: ThingTypeLive, ctx: CompareContext): { readonly names: string[]; readonly more: boolean } {
  const names = new Set(live.usedBy ?? []);
  for (const thing of ctx.live.get('Thing') ?? []) {
    if ((thing.state as { type?: string } | undefined)?.type === name) names.add(thing.name);
  }
  return { names: [...names].sort(), more: live.usedByMore === true };
}

/**
 * For a delete: the users that still have the type after this plan's other changes. Apply runs
 * every create/update before any delete, and deletes things before their type, so things the plan
 * moves to another type or prunes are gone by the time DeleteThingType runs (a pruned thing whose
 * delete is refused by --prune/--max-deletes refuses the type's delete with it).
 */
export function thingsStayingOnType(name: string, live: ThingTypeLive, ctx: CompareContext): { readonly names: string[]; readonly more: boolean } {
  const users = thingsUsingType(name, live, ctx);
  const desired = new Map<string, string | undefined>();
  for (const r of ctx.desired.resources) if (r.kind === 'Thing') desired.set(r.name, r.spec.type || undefined);
  const managed = new Set((ctx.live.get('Thing') ?? []).filter((t) => t.ownership === 'managed').map((t) => t.name));
  const leaving = (thing: string): boolean => (desired.has(thing) ? desired.get(thing) !== name : managed.has(thing));
  return { names: users.names.filter((n) => !leaving(n)), more: users.more };
}

export function typeInUse(name: string, users: { readonly names: readonly string[]; readonly more: boolean }, why: string): Blocked {
  const shown = users.names.slice(0, 5).join(', ');
  const rest = users.names.length - Math.min(users.names.length, 5);
  const count = users.more ? `more than ${users.names.length}` : String(users.names.length);
  const list = rest > 0 || users.more ? `${shown}, …` : shown;
  return {
    code: 'type-in-use',
    message:
      `${count} thing(s) still use thing type ${name} (${list}); ${why} AWS deletes a thing type only when no thing uses it: ` +
      'move those things to another type (or remove their type) first.',
  };
}

/** Milliseconds until AWS accepts DeleteThingType; 0 when allowed now or when the date is unknown. */
export function deletionWaitLeft(live: ThingTypeLive, now: number): number {
  if (!live.deprecated || live.deprecationDate === undefined) return 0;
  return Math.max(0, live.deprecationDate + DEPRECATION_WAIT_MS - now);
}

export function deprecationPending(name: string, live: ThingTypeLive, now: number): Blocked {
  const left = deletionWaitLeft(live, now);
  const at = new Date((live.deprecationDate ?? now) + DEPRECATION_WAIT_MS).toISOString();
  return {
    code: 'deprecation-pending',
    message:
      `thing type ${name} was deprecated at ${new Date(live.deprecationDate ?? now).toISOString()}; AWS deletes a thing type ` +
      `only 5 minutes after deprecation: ${formatDuration(left)} left (a run after ${at} deletes it).`,
  };
}

export function formatDuration(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m > 0 ? `${m}m ${s}s` : `${s}s`;
}

export const DEPRECATE_FIRST_NOTE =
  'step 1 of 2: this run deprecates the thing type; AWS deletes it only 5 minutes after deprecation, so a later run completes the change';
