// src/document: what a manifest document is made of, shared by the loader (src/manifest) and
// the kinds' manifest modules: source positions (yaml-source.ts), diagnostics with stable codes
// (diagnostics.ts), a document's context for pointing at a field (context.ts), the fleet's files
// (file-set.ts, referenced-file.ts), the normalizer contract (normalize.ts), schema building
// blocks and AWS name rules (schema.ts), attribute rules (attributes.ts). Pure.
export * from './diagnostics.js';
export * from './normalize.js';
export * from './schema.js';
