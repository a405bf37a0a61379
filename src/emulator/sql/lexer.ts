// Tokens of AWS IoT SQL. Keywords are case-insensitive; identifiers keep their case.

export type TokenKind = 'ident' | 'keyword' | 'number' | 'string' | 'dstring' | 'template' | 'var' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Keywords are upper-cased; strings are unquoted. */
  readonly value: string;
  readonly pos: number;
  /** The token as written (keywords keep their case here). */
  readonly text?: string;
}

export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(`${message} at position ${pos + 1}`);
  }
}

const KEYWORDS = new Set([
  'SELECT', 'VALUE', 'FROM', 'WHERE', 'AS', 'AND', 'OR', 'NOT', 'IN', 'CONTAINS',
  'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'TRUE', 'FALSE', 'NULL', 'SET',
]);

const OPERATORS = ['<>', '!=', '<=', '>=', '||', '(', ')', '[', ']', '{', '}', ',', '.', ':', '*', '/', '%', '+', '-', '=', '<', '>'];

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      const [value, end] = quoted(sql, i, c);
      out.push({ kind: c === "'" ? 'string' : 'dstring', value, pos: start });
      i = end;
      continue;
    }
    if (c === '`') {
      const [value, end] = quoted(sql, i, c);
      out.push({ kind: 'ident', value, pos: start });
      i = end;
      continue;
    }
    if (c === '$' && sql[i + 1] === '{') {
      const end = sql.indexOf('}', i);
      if (end < 0) throw new SqlSyntaxError('Unterminated substitution template', start);
      out.push({ kind: 'template', value: sql.slice(i, end + 1), pos: start });
      i = end + 1;
      continue;
    }
    const num = /^(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(i));
    if (num) {
      out.push({ kind: 'number', value: num[0], pos: start });
      i += num[0].length;
      continue;
    }
    const word = /^@?[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i));
    if (word) {
      const w = word[0];
      if (w.startsWith('@')) out.push({ kind: 'var', value: w, pos: start });
      else if (KEYWORDS.has(w.toUpperCase())) out.push({ kind: 'keyword', value: w.toUpperCase(), pos: start, text: w });
      else out.push({ kind: 'ident', value: w, pos: start });
      i += w.length;
      continue;
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    if (!op) throw new SqlSyntaxError(`Unexpected character '${c}'`, start);
    out.push({ kind: 'op', value: op, pos: start });
    i += op.length;
  }
  out.push({ kind: 'eof', value: '', pos: sql.length });
  return out;
}

/** A quoted run; the quote character is escaped by doubling it or with a backslash. */
function quoted(sql: string, start: number, q: string): [string, number] {
  let value = '';
  for (let i = start + 1; i < sql.length; i++) {
    const c = sql[i];
    if (c === '\\' && i + 1 < sql.length) {
      value += sql[++i];
      continue;
    }
    if (c === q) {
      if (sql[i + 1] === q) {
        value += q;
        i++;
        continue;
      }
      return [value, i + 1];
    }
    value += c;
  }
  throw new SqlSyntaxError('Unterminated quoted text', start);
}
