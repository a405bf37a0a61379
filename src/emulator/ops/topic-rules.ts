import type { OpTable } from './types.js';

export const topicRuleOps: OpTable = {};
