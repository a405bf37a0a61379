// src/session: the stages wired together for a command or a controller cycle. planFleet (read
// live, then plan) serves `plan`; runApplySession (recover → plan → execute → ledger) is the one
// apply session `iotops apply` and the controller both run.
export { planFleet, planConfig, type PlanOverrides } from './plan-fleet.js';
export { runApplySession, type ApplySessionEvents, type ApplySessionOutcome, type ApplySessionProps } from './apply-session.js';
