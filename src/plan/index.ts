// src/plan: the Plan model (model.ts), the live read through the kinds (live.ts), the pure diff
// (diff.ts) with its field helpers (fields.ts, canonical.ts), and the dependency graph apply
// walks (graph.ts). Everything but live.ts is pure: no SDK, no fs, no clock.
export * from './model.js';
export { buildPlan, liveDigest, DEFAULT_MAX_DELETES, type BuildPlanProps, type LiveState, type PlanConfig } from './diff.js';
export { readLive, createReadContext, type ReadLiveProps } from './live.js';
export { executionWaves, topologicalWaves, findCycle, type ExecutionWaves, type GraphNode, type WavesResult } from './graph.js';
export { canonicalJson, jsonEqual, sha256Hex } from './canonical.js';
export { planFleet, planConfig, type PlanOverrides } from './plan-fleet.js';
