// src/model: the data every stage shares, and nothing else: the desired state the manifests
// produce (resource.ts), the live state the live stage reads (live.ts), the Plan (plan.ts),
// canonical JSON (canonical.ts) and the escaping of untrusted text for display (escape.ts).
// A leaf: it imports no other folder of src/.
export * from './resource.js';
export * from './live.js';
export * from './plan.js';
export * from './canonical.js';
export * from './escape.js';
