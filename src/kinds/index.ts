// src/kinds: one module per AWS IoT resource kind behind the Kind interface (types.ts), and the
// registry that maps KindName → module (registry.ts). Kind quirks (policy versions, thing-type
// deprecation, job immutability) live in their module and nowhere else.
export * from './types.js';
export { kindRegistry, deletePhases, kindNames, type KindRegistry } from './registry.js';
export { referencedKeys, referencedKinds, referencedNames } from './shared/references.js';
