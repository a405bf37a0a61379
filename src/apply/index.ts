// src/apply: the writing half of an apply session. executor.ts executes a Plan through the
// kinds (the plan's apply graph, bounded concurrency, failed steps skip their dependents);
// journal.ts records the creates a run starts; recover.ts hands those a crash interrupted to
// their kinds on the next run; ownership.ts keeps the ownership ledger in step.
export { executePlan, type ApplyResult, type ExecutePlanProps, type StepError, type StepOutcome, type StepResult } from './executor.js';
export { journalPath, openJournal, type ApplyJournal, type JournalEntry, type StepJournal } from './journal.js';
export { recoverInterrupted, type RecoveryReport } from './recover.js';
export { recordPendingCreates, syncOwnershipLedger, type LedgerSyncReport } from './ownership.js';
