import type { OpTable } from './types.js';

export const policyOps: OpTable = {};
