// Characters → tokens. Offsets are UTF-16 indexes into the query text (what diagnostics map
// into the YAML scalar). Whether `-` excludes or belongs to a value depends on the previous token,
// so the scanner tracks it (see README "Syntax decisions").

import type { WildcardPart } from '../wildcard.js';

export type Keyword = 'AND' | 'OR' | 'NOT' | 'TO';

export interface WordToken {
  readonly type: 'word';
  readonly offset: number;
  /** Unescaped text. */
  readonly text: string;
  /** The text with its unescaped `*`/`?` as wildcards (only meaningful when `stars + marks > 0`). */
  readonly parts: readonly WildcardPart[];
  readonly stars: number;
  readonly marks: number;
  /** The first character is an unescaped `*` or `?`. */
  readonly leadingWildcard: boolean;
  /** Set only for an unescaped, upper-case keyword. */
  readonly keyword?: Keyword;
}

export type Token =
  | WordToken
  | { readonly type: 'phrase'; readonly offset: number; readonly text: string }
  | { readonly type: '(' | ')' | ':' | '[' | '{' | ']' | '}' | '-'; readonly offset: number }
  | { readonly type: 'cmp'; readonly offset: number; readonly op: '<' | '<=' | '>' | '>=' };

export class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const KEYWORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', 'TO']);
const STOP = new Set(['(', ')', ':', '<', '>', '"', '[', ']', '{', '}']);

// Java's Character.isWhitespace, which the AWS docs name (no non-breaking spaces).
export function isSpace(ch: string): boolean {
  return /[\t\n\u000b\f\r\u001c-\u001f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]/.test(ch);
}

export function scan(text: string): Token[] {
  const tokens: Token[] = [];
  let rangeDepth = 0;
  let i = 0;
  const prevType = (): string | undefined => tokens[tokens.length - 1]?.type;
  while (i < text.length) {
    const ch = text[i] as string;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ':') {
      tokens.push({ type: ch, offset: i++ });
      continue;
    }
    if (ch === '[' || ch === '{') {
      rangeDepth++;
      tokens.push({ type: ch, offset: i++ });
      continue;
    }
    if (ch === ']' || ch === '}') {
      rangeDepth = Math.max(0, rangeDepth - 1);
      tokens.push({ type: ch, offset: i++ });
      continue;
    }
    if (ch === '<' || ch === '>') {
      const eq = text[i + 1] === '=';
      tokens.push({ type: 'cmp', offset: i, op: eq ? `${ch}=` : ch });
      i += eq ? 2 : 1;
      continue;
    }
    if (ch === '"') {
      const start = i++;
      let out = '';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') {
          if (i + 1 >= text.length) throw new ScanError('a backslash at the end of the query escapes nothing', i);
          out += text[i + 1];
          i += 2;
          continue;
        }
        out += text[i++];
      }
      if (i >= text.length) throw new ScanError('unterminated quoted phrase: add the closing "', start);
      i++;
      tokens.push({ type: 'phrase', offset: start, text: out });
      continue;
    }
    const valueContext = rangeDepth > 0 || prevType() === ':' || prevType() === 'cmp';
    if (ch === '-' && !valueContext) {
      const next = text[i + 1];
      if (next === undefined || isSpace(next) || next === ')') throw new ScanError("'-' must be followed by the term it excludes", i);
      tokens.push({ type: '-', offset: i++ });
      continue;
    }
    const [word, end] = scanWord(text, i);
    tokens.push(word);
    i = end;
  }
  return tokens;
}

function scanWord(text: string, start: number): [WordToken, number] {
  let i = start;
  let out = '';
  const parts: WildcardPart[] = [];
  let literal = '';
  let stars = 0;
  let marks = 0;
  let escaped = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (isSpace(ch) || STOP.has(ch)) break;
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === undefined) throw new ScanError('a backslash at the end of the query escapes nothing', i);
      escaped = true;
      out += next;
      literal += next;
      i += 2;
      continue;
    }
    if (ch === '*' || ch === '?') {
      if (ch === '*') stars++;
      else marks++;
      if (literal !== '') parts.push({ kind: 'text', text: literal });
      literal = '';
      parts.push({ kind: ch === '*' ? 'star' : 'one' });
    } else literal += ch;
    out += ch;
    i++;
  }
  if (literal !== '') parts.push({ kind: 'text', text: literal });
  const first = text[start];
  const keyword = !escaped && KEYWORDS.has(out) ? (out as Keyword) : undefined;
  const word: WordToken = {
    type: 'word',
    offset: start,
    text: out,
    parts,
    stars,
    marks,
    leadingWildcard: first === '*' || first === '?',
    ...(keyword ? { keyword } : {}),
  };
  return [word, i];
}
