import type { Plan } from '../model/plan.js';

/** The Plan JSON contract (DESIGN.md), as saved by `plan --out` and read by `apply --plan`. */
export function renderJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
