import type { Plan } from '../model/plan.js';
import { escapeJsonText } from '../model/escape.js';

/**
 * The Plan JSON contract (DESIGN.md), as saved by `plan --out` and read by `apply --plan`.
 * JSON.stringify escapes C0 control characters; `escapeJsonText` escapes the C1 and bidi ones it
 * leaves raw, so the plan can be printed on a terminal. It parses to the same plan.
 */
export function renderJson(plan: Plan): string {
  return `${escapeJsonText(JSON.stringify(plan, null, 2))}\n`;
}
