// src/lang: the languages inside manifests, as pure parsers and checkers: IoT policy documents
// (policy/), the fleet-indexing query language (query/) and IoT SQL with rule actions (sql/).
// Shared by validate (src/manifest), the kinds (dynamic-group previews, permission diffs) and nothing else.
export * as policy from './policy/index.js';
export * as query from './query/index.js';
export * as sql from './sql/index.js';
