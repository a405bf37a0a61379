// A DynamicThingGroup's query must be one AWS accepts (CreateDynamicThingGroup would fail with
// InvalidQueryException at apply time, after other changes already ran). The error points into
// the query scalar when its text maps 1:1 onto the YAML (plain or quoted one-line, block literal,
// no variables substituted); otherwise at the field, and the message carries the offset.
import type { Emit } from '../context.js';
import { diagAt } from '../context.js';
import type { Declared } from '../kinds/types.js';
import { parseFleetQuery } from '../../lang/query/index.js';

export function checkDynamicGroupQuery(d: Declared, emit: Emit): void {
  if (d.resource.kind !== 'DynamicThingGroup') return;
  const parsed = parseFleetQuery(d.resource.spec.query);
  if (parsed.ok) return;
  const path = ['spec', 'query'];
  const where = d.ctx.locateInString?.(path, parsed.offset, d.resource.spec.query) ?? d.ctx.locate(path);
  const diag = diagAt(d.ctx, 'dynamic-group-query', path, `fleet-indexing query: ${parsed.message} (offset ${parsed.offset})`);
  emit({ ...diag, file: where.file, line: where.at.line, column: where.at.column });
}
