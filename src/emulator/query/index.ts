// The emulator's fleet-indexing query language, used by SearchIndex and dynamic thing groups.
// Pure: no I/O, nothing imported from outside this folder. Behaviour and the decisions taken
// where the AWS docs are silent are listed in ./README.md.
//
//   const query = parseQuery('thingName:tv* AND attributes.battery<20'); // throws QueryError
//   things.filter((doc) => matchesQuery(query, doc));
export { QueryError, defaultLimits } from './ast.js';
export type {
  Bound,
  CompareOp,
  Field,
  FieldSource,
  Operand,
  Query,
  QueryLimits,
  QueryNode,
  ThingDocument,
  ValueTest,
} from './ast.js';
export { parseQuery } from './parser.js';
export { matchesQuery } from './match.js';
