// Tokens of AWS IoT SQL. Keywords are plain identifiers here; the parser compares them
// case-insensitively. Offsets are UTF-16 indexes into the statement.

export type TokenType = 'ident' | 'number' | 'string' | 'variable' | 'op' | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Identifier/operator text, the number as written, or a string's unescaped content. */
  readonly value: string;
  readonly offset: number;
}

export interface LexError {
  readonly message: string;
  readonly offset: number;
}

export type LexResult =
  | { readonly ok: true; readonly tokens: readonly Token[] }
  | { readonly ok: false; readonly error: LexError };

const TWO_CHAR_OPS = ['<>', '!=', '<=', '>='];
const ONE_CHAR_OPS = '=<>+-*/%(),.[]{}:';

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Reads a quoted string starting at `start` (the quote). Both quote styles are string literals in IoT SQL. */
function readString(sql: string, start: number): { value: string; end: number } | undefined {
  const quote = sql[start];
  let value = '';
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\' && i + 1 < sql.length) {
      value += sql[i + 1];
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
    i++;
  }
  return undefined;
}

export function tokenize(sql: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const str = readString(sql, i);
      if (str === undefined) return { ok: false, error: { message: `unterminated string starting with ${c}`, offset: i } };
      tokens.push({ type: 'string', value: str.value, offset: i });
      i = str.end;
      continue;
    }
    if (c === '$' && sql[i + 1] === '{') {
      return {
        ok: false,
        error: {
          message: 'substitution templates ${...} belong in rule action parameters (or inside a quoted string), not in the SQL statement',
          offset: i,
        },
      };
    }
    if (c === '@') {
      let j = i + 1;
      while (j < sql.length && isIdentPart(sql[j])) j++;
      if (j === i + 1) return { ok: false, error: { message: 'a variable needs a name after @ (e.g. @temp)', offset: i } };
      tokens.push({ type: 'variable', value: sql.slice(i + 1, j), offset: i });
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < sql.length && isIdentPart(sql[j])) j++;
      tokens.push({ type: 'ident', value: sql.slice(i, j), offset: i });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(sql[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(i));
      const text = m === null ? c : m[0];
      if (isIdentStart(sql[i + text.length] ?? '')) {
        return { ok: false, error: { message: `malformed number "${text}${sql[i + text.length]}"`, offset: i } };
      }
      tokens.push({ type: 'number', value: text, offset: i });
      i += text.length;
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (TWO_CHAR_OPS.includes(two)) {
      tokens.push({ type: 'op', value: two, offset: i });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.includes(c)) {
      tokens.push({ type: 'op', value: c, offset: i });
      i++;
      continue;
    }
    return { ok: false, error: { message: `unexpected character "${c}"`, offset: i } };
  }
  tokens.push({ type: 'eof', value: '', offset: sql.length });
  return { ok: true, tokens };
}
