// src/plan: the pure planner. buildPlan (diff.ts) compares the desired state with the live state
// through each kind's compare, with the field helpers of fields.ts; graph.ts orders the changes.
// No SDK, no fs, no clock: the live stage (src/live) reads, the session (src/session) wires both.
export { buildPlan, liveDigest, DEFAULT_MAX_DELETES, type BuildPlanProps, type PlanConfig } from './diff.js';
export { applyGraph, topologicalWaves, findCycle, type ApplyEdge, type ApplyGraph, type ApplyNode, type GraphNode, type WavesResult } from './graph.js';
