// src/lang: the languages inside manifests, as pure parsers and checkers: IoT policy documents
// (policy/), the fleet-indexing query language (query/) and IoT SQL with rule actions (sql/), and
// the one wildcard matcher of the fleet's patterns (wildcard.ts: ignore:, policy actions, query terms).
// Shared by validate (src/manifest), the kinds (dynamic-group previews, permission diffs) and
// plan (ignore: matching, wildcard.ts only).
export * as policy from './policy/index.js';
export * as query from './query/index.js';
export * as sql from './sql/index.js';
