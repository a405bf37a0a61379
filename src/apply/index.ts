// src/apply: executes a Plan against AWS through the kinds (executor.ts): dependency waves,
// deletes in reverse, bounded concurrency, failed steps skip their dependents.
export { executePlan, type ApplyResult, type ExecutePlanProps, type StepError, type StepOutcome, type StepResult } from './executor.js';
