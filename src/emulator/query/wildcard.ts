// Wildcard terms of the query language (`*` any run, `?` exactly one character), matched without
// building a RegExp from the query: a backtracking regex of `a*a*a*…b` takes exponential time on a
// long value, and queries come from API callers. Two pointers, backtracking only to the last `*`:
// O(pattern × value) in the worst case, no recursion, no allocation per test.
//
// This is the emulator's own copy (the emulator imports nothing from the rest of src/, see
// README.md). Semantics are those of the RegExp it replaces, `^…$` with flags `isu`: a wildcard
// also matches line breaks, `?` is one code point (a surrogate pair is one character), and letters
// compare under Unicode simple case folding, approximated by lower(upper(c)) with the two
// non-ASCII characters that fold onto ASCII (K KELVIN SIGN, ſ LONG S) as the only exceptions to
// "non-ASCII never folds onto ASCII" (so `ı` stays itself, as it does for the RegExp).
import type { WordPart } from './lexer.js';

export interface WildcardMatcher {
  test(value: string): boolean;
}

const STAR = -1;
const ONE = -2;

/** The code point a `u` + `i` RegExp compares. */
function fold(cp: number): number {
  if (cp < 128) return cp >= 65 && cp <= 90 ? cp + 32 : cp;
  const base = single(String.fromCodePoint(cp).toUpperCase()) ?? cp;
  const f = single(String.fromCodePoint(base).toLowerCase()) ?? base;
  return f < 128 && cp !== 0x212a && cp !== 0x17f ? cp : f;
}

/** The code point of a one-code-point string, else undefined. */
function single(s: string): number | undefined {
  const cp = s.codePointAt(0);
  if (cp === undefined) return undefined;
  return s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
}

export function compileWildcard(parts: readonly WordPart[]): WildcardMatcher {
  const codes: number[] = [];
  for (const part of parts) {
    if (part.kind === 'star') {
      if (codes[codes.length - 1] !== STAR) codes.push(STAR);
    } else if (part.kind === 'one') {
      codes.push(ONE);
    } else {
      for (const ch of part.text) codes.push(fold(ch.codePointAt(0) as number));
    }
  }
  const pat = Int32Array.from(codes);
  return { test: (value) => matches(pat, value) };
}

/**
 * On a mismatch the last `*` seen swallows one more character and matching resumes just after it;
 * earlier stars never need revisiting, so each restart moves the value position forward.
 */
function matches(pat: Int32Array, value: string): boolean {
  const m = pat.length;
  const n = value.length;
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < n) {
    const cp = value.codePointAt(t) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (p < m) {
      const want = pat[p] as number;
      if (want === STAR) {
        starP = p++;
        starT = t;
        continue;
      }
      if (want === ONE || want === fold(cp)) {
        p++;
        t += width;
        continue;
      }
    }
    if (starP < 0) return false;
    p = starP + 1;
    const skipped = value.codePointAt(starT) as number;
    starT += skipped > 0xffff ? 2 : 1;
    t = starT;
  }
  while (p < m && pat[p] === STAR) p++;
  return p === m;
}
