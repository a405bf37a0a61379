// The Markdown plan, for a pull-request comment: a summary table first, then one folded
// <details> block per kind. Large plans stay readable and within GitHub's 65,536-character
// comment limit (over it, nothing is posted): changes are grouped by action (and, for updates, by
// the set of changed fields), each group lists its first `maxPerGroup` resources and states how
// many more there are, and the whole comment has a size budget (`maxChars`); what does not fit is
// counted in a closing line that points to the JSON plan — never a silent cut.
// Everything taken from the plan is untrusted (it comes from a pull request or from AWS): free
// text goes through `markdownText`, names and values through `codeSpan` (markdown-escape.ts).
import type { KindName } from '../model/resource.js';
import { CHANGE_ACTIONS, type ChangeAction, type Plan, type PlannedChange } from '../model/plan.js';
import { codeSpan, markdownText as text } from './markdown-escape.js';
import { fieldOp, formatValue, summaryLine } from './values.js';

export interface MarkdownOptions {
  /** Resources listed per group before "and N more" (default 20). */
  readonly maxPerGroup?: number;
  /** Size budget of the comment in characters (default 60,000; at most 65,000). */
  readonly maxChars?: number;
}

/** GitHub rejects a comment body over 65,536 characters; the budget leaves room for the closing lines. */
export const MARKDOWN_MAX_CHARS = 60_000;
const HARD_MAX_CHARS = 65_000;

const ICON: Readonly<Record<ChangeAction, string>> = {
  create: '➕',
  update: '✏️',
  replace: '♻️',
  delete: '🗑️',
  adopt: '📥',
};

/**
 * Lines within a character budget. `add` takes all of its lines or none, and after the first
 * miss takes nothing more, so what is shown is always a prefix of the plan in plan order.
 * `close` always adds: only short, bounded lines (the end of a block, the closing count).
 */
class Budget {
  readonly lines: string[] = [];
  private used = 0;
  full = false;

  constructor(private readonly limit: number) {}

  add(...lines: string[]): boolean {
    if (this.full) return false;
    const n = lines.reduce((sum, l) => sum + l.length + 1, 0);
    if (this.used + n > this.limit) {
      this.full = true;
      return false;
    }
    this.lines.push(...lines);
    this.used += n;
    return true;
  }

  close(...lines: string[]): void {
    this.lines.push(...lines);
    this.used += lines.reduce((sum, l) => sum + l.length + 1, 0);
  }
}

export function renderMarkdown(plan: Plan, opts: MarkdownOptions = {}): string {
  const max = opts.maxPerGroup ?? 20;
  const out = new Budget(Math.min(opts.maxChars ?? MARKDOWN_MAX_CHARS, HARD_MAX_CHARS));
  out.add('### iotops plan', '');
  out.add(`Revision ${codeSpan(plan.revision.slice(0, 12))}`, '');
  if (plan.changes.length === 0) {
    out.add('**No changes.** AWS IoT matches the fleet.', '');
  } else {
    out.add(`**${summaryLine(plan.summary)}**`, '');
    out.add(...summaryTable(plan.changes));
  }
  let warningsCut = 0;
  if (plan.warnings.length > 0) {
    out.add('#### Warnings', '');
    plan.warnings.forEach((w, i) => {
      const subject = w.kind && w.name ? ` (${codeSpan(`${w.kind}/${w.name}`)})` : '';
      if (!out.add(`- ⚠️ ${codeSpan(w.code)}: ${text(w.message)}${subject}`) && warningsCut === 0) {
        warningsCut = plan.warnings.length - i;
        out.close(`- … and ${warningsCut} more warning${warningsCut === 1 ? '' : 's'}`);
      }
    });
    out.add('');
  }
  const notShown = new Map<KindName, number>();
  for (const kind of kindsIn(plan.changes)) {
    const changes = plan.changes.filter((c) => c.kind === kind);
    const shown = kindDetails(out, kind, changes, max);
    if (shown < changes.length) notShown.set(kind, changes.length - shown);
  }
  const cut = [...notShown.values()].reduce((a, b) => a + b, 0);
  if (cut > 0 || warningsCut > 0) out.close(...(out.lines.at(-1) === '' ? [] : ['']), closingLine(cut, notShown, warningsCut));
  return `${out.lines.join('\n').trimEnd()}\n`;
}

function closingLine(cut: number, byKind: ReadonlyMap<KindName, number>, warningsCut: number): string {
  const kinds = byKind.size <= 10 ? ` (${[...byKind].map(([k, n]) => `${text(k)}: ${n}`).join(', ')})` : '';
  const changes = cut > 0 ? `${cut} change${cut === 1 ? '' : 's'} not shown${kinds}` : '';
  const warnings = warningsCut > 0 ? `${warningsCut} warning${warningsCut === 1 ? '' : 's'} not shown` : '';
  return `_… ${[changes, warnings].filter(Boolean).join('; ')}; run \`iotops plan --format json\` for the full plan._`;
}

/** The kinds of a plan's changes in plan order (a plan lists its changes by kind, then name). */
function kindsIn(changes: readonly PlannedChange[]): KindName[] {
  return [...new Set(changes.map((c) => c.kind))];
}

function summaryTable(changes: readonly PlannedChange[]): string[] {
  const rows: string[] = ['| Kind | Create | Update | Replace | Delete | Adopt | Blocked |', '|---|--:|--:|--:|--:|--:|--:|'];
  const total = countRow(changes);
  for (const kind of kindsIn(changes)) {
    const of = changes.filter((c) => c.kind === kind);
    if (of.length > 0) rows.push(`| ${text(kind)} | ${countRow(of).join(' | ')} |`);
  }
  rows.push(`| **Total** | ${total.map((n) => `**${n}**`).join(' | ')} |`, '');
  return rows;
}

function countRow(changes: readonly PlannedChange[]): number[] {
  const counts = CHANGE_ACTIONS.map((a) => changes.filter((c) => c.action === a && !c.blocked).length);
  return [...counts, changes.filter((c) => c.blocked).length];
}

/** Adds a kind's block within the budget; returns how many of its changes it lists. */
function kindDetails(out: Budget, kind: KindName, changes: readonly PlannedChange[], max: number): number {
  const parts = CHANGE_ACTIONS.map((a) => [a, changes.filter((c) => c.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${a}`);
  if (!out.add('<details>', `<summary><b>${text(kind)}</b>: ${parts.join(', ')}</summary>`, '')) return 0;
  let shown = 0;
  for (const group of groupChanges(changes)) {
    const heading = group.fieldPaths.length > 0 ? `${text(group.label)} (${group.fieldPaths.map(codeSpan).join(', ')})` : text(group.label);
    if (!out.add(`**${ICON[group.action]} ${heading}: ${group.changes.length}**`, '')) break;
    let listed = 0;
    for (const change of group.changes.slice(0, max)) {
      if (!addChange(out, change)) break;
      listed++;
    }
    shown += listed;
    const rest = group.changes.length - listed;
    if (rest > 0) out.close(`- … and ${rest} more`);
    out.close('');
    if (out.full) break;
  }
  out.close('</details>', '');
  return shown;
}

interface ChangeGroup {
  readonly action: ChangeAction;
  readonly label: string;
  readonly fieldPaths: readonly string[];
  readonly changes: PlannedChange[];
}

/** Groups by action, blocked-ness and, for updates, the set of changed field paths (first-seen order). */
function groupChanges(changes: readonly PlannedChange[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const action of CHANGE_ACTIONS) {
    for (const change of changes) {
      if (change.action !== action) continue;
      const paths = action === 'update' ? [...new Set(change.fields.map((f) => f.path))].sort() : [];
      const blocked = change.blocked ? `blocked ${change.blocked.code}` : '';
      const key = `${action}|${blocked}|${paths.join(',')}`;
      let group = groups.get(key);
      if (!group) {
        const label = blocked ? `${action}, ${blocked}` : action;
        group = { action, label, fieldPaths: paths, changes: [] };
        groups.set(key, group);
      }
      group.changes.push(change);
    }
  }
  return [...groups.values()];
}

/**
 * Adds a change: its line, then its fields and notes one by one, so one enormous change (a policy
 * with many large fields) is listed as far as the budget goes. False when not even its line fits.
 */
function addChange(out: Budget, change: PlannedChange): boolean {
  const reason = change.reason ? ` — ${text(change.reason)}` : '';
  const blocked = change.blocked ? ` — **blocked**: ${text(change.blocked.message)}` : '';
  if (!out.add(`- ${codeSpan(change.name)}${reason}${blocked}`)) return false;
  const lines = [...change.fields.map((field) => () => fieldLine(field)), ...(change.notes ?? []).map((note) => () => `  - ${text(note)}`)];
  for (const [i, line] of lines.entries()) {
    if (!out.add(line())) {
      out.close(`  - … and ${lines.length - i} more field${lines.length - i === 1 ? '' : 's'} and notes`);
      break;
    }
  }
  return true;
}

function fieldLine(field: PlannedChange['fields'][number]): string {
  const op = fieldOp(field);
  const value =
    op === 'set' ? formatValue(field.after) : op === 'remove' ? `${formatValue(field.before)} → (removed)` : `${formatValue(field.before)} → ${formatValue(field.after)}`;
  return `  - ${codeSpan(field.path)}: ${codeSpan(truncateValue(value))}`;
}

/** Long values (policy documents) are shortened in the comment; the JSON plan has them whole. */
function truncateValue(value: string, width = 200): string {
  if (value.length <= width) return value;
  const code = value.charCodeAt(width - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? width - 1 : width;
  return `${value.slice(0, end)}… (${value.length} chars; full value in the JSON plan)`;
}
