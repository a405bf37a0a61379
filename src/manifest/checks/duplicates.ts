// (kind, name) is unique across the fleet, generated things included. The first declaration in
// path order wins; later ones are reported and dropped so other checks see one resource per key.
import type { Emit } from '../../document/context.js';
import { diagAt } from '../../document/context.js';
import type { Declared } from '../../document/normalize.js';
import { resourceKey } from '../../model/resource.js';

export function dropDuplicates(declared: readonly Declared[], emit: Emit): Declared[] {
  const first = new Map<string, Declared>();
  const out: Declared[] = [];
  for (const d of declared) {
    const key = resourceKey(d.resource);
    const prev = first.get(key);
    if (prev) {
      const s = prev.resource.source;
      emit(diagAt(d.ctx, 'duplicate-resource', ['metadata', 'name'], `${key} is already declared at ${s.file}:${s.line}:${s.column}`));
      continue;
    }
    first.set(key, d);
    out.push(d);
  }
  return out;
}
