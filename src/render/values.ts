// Formatting of field values shared by the text and Markdown renderers.
import type { ChangeAction, FieldChange, PlanSummary } from '../model/plan.js';

/** A compact one-line form of a JSON value; strings are quoted so "" and absent differ. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value) ?? String(value);
}

/** True when a value is too large for one line and reads better as indented JSON. */
export function isLarge(value: unknown, width = 80): boolean {
  return typeof value === 'object' && value !== null && formatValue(value).length > width;
}

export type FieldOp = 'set' | 'change' | 'remove';

export function fieldOp(field: FieldChange): FieldOp {
  if (!('before' in field) || field.before === undefined) return 'set';
  if (!('after' in field) || field.after === undefined) return 'remove';
  return 'change';
}

export const ACTION_LABEL: Readonly<Record<ChangeAction, string>> = {
  create: 'create',
  update: 'update',
  replace: 'replace',
  delete: 'delete',
  adopt: 'adopt',
};

/** "2 to create, 1 to update, ..." with every action named, so scripts can grep the line. */
export function summaryLine(s: PlanSummary): string {
  const parts = [`${s.create} to create`, `${s.update} to update`, `${s.replace} to replace`, `${s.delete} to delete`, `${s.adopt} to adopt`];
  const blocked = s.blocked > 0 ? ` (${s.blocked} blocked, not applied)` : '';
  return `Plan: ${parts.join(', ')}.${blocked}`;
}
