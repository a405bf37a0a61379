// The text plan, read like `terraform plan`: one block per change with a symbol
// (+ create, ~ update, -/+ replace, - delete, <= adopt), its fields, then a summary line.
// Every name, path, value and message passes through `esc`: it came from the fleet or from AWS,
// and a raw ESC or CR would act on the terminal right before the apply prompt.
import type { ChangeAction, FieldChange, Plan, PlannedChange } from '../model/plan.js';
import { escapeControl as esc } from '../model/escape.js';
import { lineDiff } from './line-diff.js';
import { fieldOp, formatValue, isLarge, summaryLine } from './values.js';

export interface TextOptions {
  /** ANSI colors; the CLI enables them only on a TTY and never with --no-color. */
  readonly color?: boolean;
}

const SYMBOL: Readonly<Record<ChangeAction, string>> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  adopt: '<=',
};

const COLOR: Readonly<Record<ChangeAction | 'blocked' | 'warning' | 'dim', string>> = {
  create: '\u001b[32m',
  update: '\u001b[33m',
  replace: '\u001b[35m',
  delete: '\u001b[31m',
  adopt: '\u001b[36m',
  blocked: '\u001b[90m',
  warning: '\u001b[33m',
  dim: '\u001b[2m',
};
const RESET = '\u001b[0m';

type Paint = (style: keyof typeof COLOR, text: string) => string;

export function renderText(plan: Plan, opts: TextOptions = {}): string {
  const paint: Paint = opts.color ? (style, text) => `${COLOR[style]}${text}${RESET}` : (_style, text) => text;
  const lines: string[] = [];
  if (plan.changes.length === 0) {
    lines.push('No changes. AWS IoT matches the fleet.');
  } else {
    lines.push('iotops will perform the following actions:', '');
    for (const change of plan.changes) lines.push(...renderChange(change, paint), '');
  }
  for (const w of plan.warnings) {
    const subject = w.kind && w.name ? ` (${esc(`${w.kind}/${w.name}`)})` : '';
    lines.push(paint('warning', `Warning: ${esc(w.code)}: ${esc(w.message)}${subject}`));
  }
  if (plan.warnings.length > 0) lines.push('');
  if (plan.changes.length > 0) lines.push(summaryLine(plan.summary));
  return `${lines.join('\n')}\n`;
}

function renderChange(change: PlannedChange, paint: Paint): string[] {
  const style = change.blocked ? 'blocked' : change.action;
  const head = `${SYMBOL[change.action].padStart(3)} ${esc(`${change.kind}/${change.name}`)}`;
  const why = change.reason ? ` (${change.action}: ${esc(change.reason)})` : '';
  const out = [paint(style, head) + why];
  if (change.blocked) out.push(paint('blocked', `      blocked: ${esc(change.blocked.code)}: ${esc(change.blocked.message)}`));
  for (const field of change.fields) out.push(...renderField(field, paint));
  for (const note of change.notes ?? []) out.push(paint('dim', `      # ${esc(note)}`));
  return out;
}

function renderField(field: FieldChange, paint: Paint): string[] {
  const op = fieldOp(field);
  const sign = op === 'set' ? '+' : op === 'remove' ? '-' : '~';
  const style = op === 'set' ? 'create' : op === 'remove' ? 'delete' : 'update';
  if (isLarge(field.before) || isLarge(field.after)) {
    const out = [`      ${paint(style, sign)} ${esc(field.path)}:`];
    const lines = (v: unknown) => (v === undefined ? [] : JSON.stringify(v, null, 2).split('\n'));
    for (const line of lineDiff(lines(field.before), lines(field.after))) {
      if (line.op === '…') out.push(paint('dim', `            … ${line.skipped} unchanged line${line.skipped === 1 ? '' : 's'}`));
      else if (line.op === ' ') out.push(`            ${esc(line.text)}`);
      else out.push(`          ${paint(line.op === '+' ? 'create' : 'delete', line.op)} ${esc(line.text)}`);
    }
    return out;
  }
  const value =
    op === 'set' ? formatValue(field.after) : op === 'remove' ? formatValue(field.before) : `${formatValue(field.before)} -> ${formatValue(field.after)}`;
  return [`      ${paint(style, sign)} ${esc(field.path)}: ${esc(value)}`];
}

