// Turns query text into tokens. Words keep which characters were escaped, because an escaped
// `*`, `?` or keyword is a literal while an unescaped one is a wildcard or an operator.
import { QueryError } from './ast.js';

/** A piece of a word: literal text, `*` (any run) or `?` (one character). */
export type WordPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'star' }
  | { readonly kind: 'one' };

export type Token =
  | {
      readonly kind: 'word';
      readonly pos: number;
      /** Unescaped text; wildcards appear as `*` and `?`. */
      readonly text: string;
      readonly parts: readonly WordPart[];
      /** True when any character was backslash-escaped (so `\AND` is not an operator). */
      readonly escaped: boolean;
    }
  | { readonly kind: 'phrase'; readonly pos: number; readonly text: string }
  | { readonly kind: 'cmp'; readonly pos: number; readonly op: '<' | '<=' | '>' | '>=' }
  | {
      readonly kind: 'lparen' | 'rparen' | 'lbrack' | 'rbrack' | 'lbrace' | 'rbrace' | 'colon' | 'minus' | 'eof';
      readonly pos: number;
    };

export type TokenKind = Token['kind'];

const punctuation: Readonly<Record<string, TokenKind>> = {
  '(': 'lparen',
  ')': 'rparen',
  '[': 'lbrack',
  ']': 'rbrack',
  '{': 'lbrace',
  '}': 'rbrace',
  ':': 'colon',
};

// Java's Character.isWhitespace, which the AWS docs name as the word separator: Unicode space,
// line and paragraph separators except the non-breaking ones, plus the ASCII control separators.
const javaWhitespace = /^[\t\n\u000b\f\r\u001c-\u001f\p{Zs}\p{Zl}\p{Zp}]$/u;
const nonBreaking = new Set(['\u00a0', '\u2007', '\u202f']);

export function isWhitespace(ch: string): boolean {
  return javaWhitespace.test(ch) && !nonBreaking.has(ch);
}

function endsWord(ch: string): boolean {
  return ch in punctuation || ch === '"' || ch === '<' || ch === '>' || isWhitespace(ch);
}

/** Column numbers in messages are 1-based, as a person counts. */
export function at(pos: number): string {
  return `at column ${pos + 1}`;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // Inside `[a TO b]` and right after `:`/`<`, a leading `-` belongs to the value (`[-5 TO 0]`).
  let rangeDepth = 0;
  let i = 0;
  const previousKind = (): TokenKind | undefined => tokens[tokens.length - 1]?.kind;

  while (i < text.length) {
    const ch = text[i];
    if (isWhitespace(ch)) {
      i++;
      continue;
    }
    const punct = punctuation[ch];
    if (punct !== undefined) {
      if (punct === 'lbrack' || punct === 'lbrace') rangeDepth++;
      if ((punct === 'rbrack' || punct === 'rbrace') && rangeDepth > 0) rangeDepth--;
      tokens.push({ kind: punct, pos: i } as Token);
      i++;
      continue;
    }
    if (ch === '<' || ch === '>') {
      const withEq = text[i + 1] === '=';
      tokens.push({ kind: 'cmp', pos: i, op: withEq ? (`${ch}=` as '<=' | '>=') : ch });
      i += withEq ? 2 : 1;
      continue;
    }
    if (ch === '"') {
      const [phrase, next] = readPhrase(text, i);
      tokens.push({ kind: 'phrase', pos: i, text: phrase });
      i = next;
      continue;
    }
    const prev = previousKind();
    const valuePosition = rangeDepth > 0 || prev === 'colon' || prev === 'cmp';
    if (ch === '-' && !valuePosition) {
      const next = text[i + 1];
      if (next === undefined || isWhitespace(next) || next === ')') {
        throw new QueryError(`'-' ${at(i)} must be directly followed by the term it excludes`);
      }
      tokens.push({ kind: 'minus', pos: i });
      i++;
      continue;
    }
    const [word, next] = readWord(text, i);
    tokens.push(word);
    i = next;
  }
  tokens.push({ kind: 'eof', pos: text.length });
  return tokens;
}

function readPhrase(text: string, start: number): [string, number] {
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') {
      if (i + 1 >= text.length) break;
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '"') return [out, i + 1];
    out += ch;
    i++;
  }
  throw new QueryError(`unterminated quoted string starting ${at(start)}`);
}

function readWord(text: string, start: number): [Token, number] {
  const parts: WordPart[] = [];
  let literal = '';
  let plain = '';
  let escaped = false;
  let i = start;
  const flush = (): void => {
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    literal = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === undefined) throw new QueryError(`dangling escape character '\\' ${at(i)}`);
      literal += next;
      plain += next;
      escaped = true;
      i += 2;
      continue;
    }
    if (endsWord(ch)) break;
    if (ch === '*' || ch === '?') {
      flush();
      parts.push({ kind: ch === '*' ? 'star' : 'one' });
    } else {
      literal += ch;
    }
    plain += ch;
    i++;
  }
  flush();
  return [{ kind: 'word', pos: start, text: plain, parts, escaped }, i];
}
