import type { OpContext, OpTable } from './types.js';

export const jobOps: OpTable = {};

/** Called by the group operations when things join a group, so CONTINUOUS jobs targeting it get executions. */
export function onGroupMembershipChanged(_ctx: OpContext, _groupName: string, _addedThings: readonly string[]): void {}
