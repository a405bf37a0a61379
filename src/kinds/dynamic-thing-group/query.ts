// Query normalization for dynamic thing groups (pure).
/**
 * Trims the query and collapses whitespace runs outside double quotes, so YAML block scalars
 * (trailing newline, wrapped lines) do not show as drift. Quoted values are left as written.
 */
export function normQuery(query: string): string {
  let out = '';
  let quoted = false;
  let pendingSpace = false;
  for (let i = 0; i < query.length; i++) {
    const ch = query[i] as string;
    if (!quoted && /\s/.test(ch)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += ch;
    if (ch === '\\' && i + 1 < query.length) {
      out += query[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
  }
  return out;
}
