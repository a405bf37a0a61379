// src/model: the data every stage shares, and nothing else: the desired state the manifests
// produce (resource.ts), the live state the live stage reads (live.ts), the Plan (plan.ts) and
// canonical JSON (canonical.ts). A leaf: it imports no other folder of src/.
export * from './resource.js';
export * from './live.js';
export * from './plan.js';
export * from './canonical.js';
