import type { OpTable } from './types.js';

export const principalOps: OpTable = {};
