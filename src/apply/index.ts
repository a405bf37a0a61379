// src/apply: executes a Plan against AWS through the kinds (executor.ts): dependency waves,
// deletes in reverse, bounded concurrency, failed steps skip their dependents. journal.ts records
// the creates an apply starts; recover.ts finishes those a crash interrupted, on the next apply.
export { executePlan, type ApplyResult, type ExecutePlanProps, type StepError, type StepOutcome, type StepResult } from './executor.js';
export { journalPath, openJournal, type ApplyJournal, type JournalEntry, type StepJournal } from './journal.js';
export { recoverInterrupted, type RecoveryReport } from './recover.js';
