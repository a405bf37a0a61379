// Static group hierarchy: parents must be static groups of the fleet, no cycles, depth ≤ 7
// (a root group has depth 1). Also computes each group's root for the "one group per
// hierarchy" rule on things.
import type { Emit } from '../../document/context.js';
import { diagAt } from '../../document/context.js';
import type { Declared } from '../../document/normalize.js';

export const MAX_GROUP_DEPTH = 7;

export interface GroupIndex {
  /** Root group of each static group whose chain of parents is complete and acyclic. */
  readonly rootOf: ReadonlyMap<string, string>;
}

export function checkGroupHierarchy(groups: readonly Declared[], dynamicNames: { has(name: string): boolean }, emit: Emit): GroupIndex {
  const byName = new Map<string, Declared>();
  for (const g of groups) byName.set(g.resource.name, g);
  const parentOf = (d: Declared): string | undefined => (d.resource.kind === 'ThingGroup' ? d.resource.spec.parent : undefined);
  for (const g of groups) {
    const parent = parentOf(g);
    if (parent === undefined || byName.has(parent)) continue;
    const message = dynamicNames.has(parent)
      ? `parent ${parent} is a DynamicThingGroup; dynamic groups cannot be part of a hierarchy`
      : `parent group ${parent} is not declared in the fleet (expected a ThingGroup)`;
    emit(diagAt(g.ctx, 'unknown-reference', ['spec', 'parent'], message));
  }
  // depth: 0 = unknown (broken chain or cycle), n = depth; state tracks the DFS walk.
  const depth = new Map<string, number>();
  const rootOf = new Map<string, string>();
  const done = new Set<string>();
  for (const start of groups) {
    const name = start.resource.name;
    if (done.has(name)) continue;
    const chain: string[] = [];
    const onChain = new Set<string>();
    let cur: string | undefined = name;
    while (cur !== undefined && !done.has(cur) && byName.has(cur) && !onChain.has(cur)) {
      chain.push(cur);
      onChain.add(cur);
      cur = parentOf(byName.get(cur) as Declared);
    }
    if (cur !== undefined && onChain.has(cur)) {
      const cycle = chain.slice(chain.indexOf(cur));
      const text = [...cycle, cur].join(' → ');
      for (const member of cycle) {
        emit(diagAt((byName.get(member) as Declared).ctx, 'group-cycle', ['spec', 'parent'], `group parent cycle: ${text}`));
        depth.set(member, 0);
        done.add(member);
      }
    }
    // Walk back from the end of the chain so each depth is known when its child needs it.
    for (let i = chain.length - 1; i >= 0; i--) {
      const g = chain[i];
      if (done.has(g)) continue;
      const parent = parentOf(byName.get(g) as Declared);
      let d: number;
      if (parent === undefined) d = 1;
      else if (!byName.has(parent)) d = 0;
      else d = (depth.get(parent) ?? 0) === 0 ? 0 : (depth.get(parent) as number) + 1;
      depth.set(g, d);
      if (d > 0) rootOf.set(g, parent === undefined ? g : (rootOf.get(parent) as string));
      done.add(g);
      if (d > MAX_GROUP_DEPTH) {
        emit(diagAt((byName.get(g) as Declared).ctx, 'group-depth', ['spec', 'parent'], `group hierarchy depth ${d} exceeds AWS's maximum of ${MAX_GROUP_DEPTH}`));
      }
    }
  }
  return { rootOf };
}
