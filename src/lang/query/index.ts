// The fleet-indexing query language: parse (validate) and evaluate (plan preview). See README.md.
export type { DeviceStateClass, FleetQuery, QueryNode } from './ast.js';
export { MAX_QUERY_BYTES, MAX_TERMS } from './ast.js';
export type { ParseResult } from './parser.js';
export { parseFleetQuery } from './parser.js';
export type { MatchOptions, RegistryThing, Tri } from './match.js';
export { deviceStateDependencies, matchesThing } from './match.js';
