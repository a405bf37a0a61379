// The Markdown plan, for a pull-request comment: a summary table first, then one folded
// <details> block per kind. Large plans stay readable and within GitHub's 65,536-character
// comment limit: changes are grouped by action (and, for updates, by the set of changed
// fields), each group lists its first `maxPerGroup` resources and states how many more there
// are — never a silent cut.
import type { KindName } from '../model/resource.js';
import { CHANGE_ACTIONS, type ChangeAction, type Plan, type PlannedChange } from '../model/plan.js';
import { fieldOp, formatValue, summaryLine } from './values.js';

export interface MarkdownOptions {
  /** Resources listed per group before "and N more" (default 20). */
  readonly maxPerGroup?: number;
}

const ICON: Readonly<Record<ChangeAction, string>> = {
  create: '➕',
  update: '✏️',
  replace: '♻️',
  delete: '🗑️',
  adopt: '📥',
};

export function renderMarkdown(plan: Plan, opts: MarkdownOptions = {}): string {
  const max = opts.maxPerGroup ?? 20;
  const out: string[] = ['### iotops plan', ''];
  out.push(`Revision \`${code(plan.revision.slice(0, 12))}\``, '');
  if (plan.changes.length === 0) {
    out.push('**No changes.** AWS IoT matches the fleet.', '');
  } else {
    out.push(`**${summaryLine(plan.summary)}**`, '');
    out.push(...summaryTable(plan.changes));
  }
  if (plan.warnings.length > 0) {
    out.push('#### Warnings', '');
    for (const w of plan.warnings) {
      const subject = w.kind && w.name ? ` (\`${code(`${w.kind}/${w.name}`)}\`)` : '';
      out.push(`- ⚠️ \`${code(w.code)}\`: ${text(w.message)}${subject}`);
    }
    out.push('');
  }
  for (const kind of kindsIn(plan.changes)) {
    const changes = plan.changes.filter((c) => c.kind === kind);
    if (changes.length > 0) out.push(...kindDetails(kind, changes, max));
  }
  return `${out.join('\n').trimEnd()}\n`;
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
    if (of.length > 0) rows.push(`| ${kind} | ${countRow(of).join(' | ')} |`);
  }
  rows.push(`| **Total** | ${total.map((n) => `**${n}**`).join(' | ')} |`, '');
  return rows;
}

function countRow(changes: readonly PlannedChange[]): number[] {
  const counts = CHANGE_ACTIONS.map((a) => changes.filter((c) => c.action === a && !c.blocked).length);
  return [...counts, changes.filter((c) => c.blocked).length];
}

function kindDetails(kind: KindName, changes: readonly PlannedChange[], max: number): string[] {
  const parts = CHANGE_ACTIONS.map((a) => [a, changes.filter((c) => c.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${a}`);
  const out = ['<details>', `<summary><b>${kind}</b>: ${parts.join(', ')}</summary>`, ''];
  for (const group of groupChanges(changes)) {
    const heading = group.fieldPaths.length > 0 ? `${group.label} (${group.fieldPaths.map((p) => `\`${code(p)}\``).join(', ')})` : group.label;
    out.push(`**${ICON[group.action]} ${heading}: ${group.changes.length}**`, '');
    for (const change of group.changes.slice(0, max)) out.push(...changeItem(change));
    const rest = group.changes.length - max;
    if (rest > 0) out.push(`- … and ${rest} more`);
    out.push('');
  }
  out.push('</details>', '');
  return out;
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

function changeItem(change: PlannedChange): string[] {
  const reason = change.reason ? ` — ${text(change.reason)}` : '';
  const blocked = change.blocked ? ` — **blocked**: ${text(change.blocked.message)}` : '';
  const lines = [`- \`${code(change.name)}\`${reason}${blocked}`];
  for (const field of change.fields) {
    const op = fieldOp(field);
    const value =
      op === 'set' ? formatValue(field.after) : op === 'remove' ? `${formatValue(field.before)} → (removed)` : `${formatValue(field.before)} → ${formatValue(field.after)}`;
    lines.push(`  - \`${code(field.path)}\`: \`${code(truncateValue(value))}\``);
  }
  for (const note of change.notes ?? []) lines.push(`  - ${text(note)}`);
  return lines;
}

/** Long values (policy documents) are shortened in the comment; the JSON plan has them whole. */
function truncateValue(value: string, width = 200): string {
  return value.length <= width ? value : `${value.slice(0, width)}… (${value.length} chars; full value in the JSON plan)`;
}

/** Text inside inline code: backticks can't be escaped there, so they become a lookalike. */
function code(s: string): string {
  return s.replace(/`/g, 'ˋ').replace(/\r?\n/g, ' ');
}

/** Free text: neutralize HTML and table pipes so a value can't break the comment's layout. */
function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
