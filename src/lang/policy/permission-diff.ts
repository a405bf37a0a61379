// policyPermissionDiff: what a policy change grants and takes away, as human lines for plan
// previews, e.g. "Allow iot:Publish on topic/telemetry/${iot:Connection.Thing.ThingName}".

import { canonicalPolicyDocument } from './canonical.js';

const IOT_ARN_PREFIX = /^arn:[^:]*:iot:[^:]*:[^:]*:/;

interface PermissionLine {
  /** Identity of the permission (full ARNs). */
  readonly key: string;
  /** What the user reads (IoT ARNs shortened to `<type>/<name>`). */
  readonly short: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

function permissionLines(doc: unknown): PermissionLine[] {
  const canonical = canonicalPolicyDocument(doc);
  if (!isPlainObject(canonical) || !Array.isArray(canonical.Statement)) return [];
  const lines: PermissionLine[] = [];
  for (const statement of canonical.Statement) {
    if (!isPlainObject(statement)) continue;
    const effect = typeof statement.Effect === 'string' ? statement.Effect : '?';
    const actions = 'NotAction' in statement
      ? [`every action except ${strings(statement.NotAction).join(', ')}`]
      : strings(statement.Action);
    const notResource = 'NotResource' in statement;
    const resources = strings(notResource ? statement.NotResource : statement.Resource);
    const when = statement.Condition === undefined ? '' : ` when ${JSON.stringify(statement.Condition)}`;
    for (const action of actions) {
      for (const resource of resources) {
        const on = notResource ? 'on everything except' : 'on';
        lines.push({
          key: `${effect} ${action} ${on} ${resource}${when}`,
          short: `${effect} ${action} ${on} ${resource.replace(IOT_ARN_PREFIX, '')}${when}`,
        });
      }
    }
  }
  return lines;
}

/**
 * Permissions in `after` but not in `before` (granted) and the reverse (removed), sorted.
 * A line whose short form would read the same on both sides (only region/account changed)
 * is shown with its full ARN.
 */
export function policyPermissionDiff(before: unknown, after: unknown): { granted: string[]; removed: string[] } {
  const old = permissionLines(before);
  const neu = permissionLines(after);
  const oldKeys = new Set(old.map((l) => l.key));
  const newKeys = new Set(neu.map((l) => l.key));
  const granted = neu.filter((l) => !oldKeys.has(l.key));
  const removed = old.filter((l) => !newKeys.has(l.key));
  const grantedShort = new Set(granted.map((l) => l.short));
  const removedShort = new Set(removed.map((l) => l.short));
  const render = (l: PermissionLine, other: ReadonlySet<string>): string => (other.has(l.short) ? l.key : l.short);
  const unique = (xs: string[]): string[] => [...new Set(xs)].sort();
  return {
    granted: unique(granted.map((l) => render(l, removedShort))),
    removed: unique(removed.map((l) => render(l, grantedShort))),
  };
}
