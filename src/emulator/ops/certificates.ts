import type { OpTable } from './types.js';

export const certificateOps: OpTable = {};
