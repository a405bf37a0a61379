// Wildcard patterns (`*` any run, `?` exactly one character) as used by iotops.yaml `ignore:`,
// policy Action/NotAction entries and fleet-indexing query terms. Patterns come from the fleet
// repository, which is untrusted input, so they are never turned into a RegExp: a backtracking
// regex of `*?*?…*?Q` takes exponential time on a long name. `compileWildcard` matches with the
// two-pointer algorithm that backtracks only to the last `*`: O(pattern × text) in the worst case,
// no recursion, no allocation per test.
//
// Characters are UTF-16 code units (what a RegExp without the `u` flag sees). The case-insensitive
// mode folds each code unit the way such a RegExp's `i` flag does (upper-casing, never mapping a
// non-ASCII character onto an ASCII one), so it answers exactly what `^…$` with `i` answered.

/** At most this many `*`/`?` in one fleet pattern; more is refused as `pattern-too-complex`. */
export const MAX_WILDCARDS = 64;

/** A pattern as parts: `star` matches any run (also empty), `one` exactly one character. */
export type WildcardPart = { readonly kind: 'star' } | { readonly kind: 'one' } | { readonly kind: 'text'; readonly text: string };

export interface WildcardOptions {
  /** Compare letters case-insensitively (policy actions and query values are; `ignore:` is not). */
  readonly caseInsensitive?: boolean;
}

export interface WildcardMatcher {
  /** True when the whole of `text` matches the pattern. */
  test(text: string): boolean;
}

const STAR = -1;
const ONE = -2;

/** The parts of a pattern in which every `*` and `?` is a wildcard (no escapes). */
export function wildcardParts(pattern: string): WildcardPart[] {
  const parts: WildcardPart[] = [];
  let text = '';
  for (const ch of pattern) {
    if (ch !== '*' && ch !== '?') {
      text += ch;
      continue;
    }
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: ch === '*' ? 'star' : 'one' });
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return parts;
}

/** How many `*` and `?` a pattern without escapes has (what `MAX_WILDCARDS` bounds). */
export function wildcardCount(pattern: string): number {
  let n = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42 || c === 63) n++;
  }
  return n;
}

/** The code unit a RegExp with `i` (and without `u`) compares: Canonicalize in ECMA-262 22.2.2.7.3. */
export function foldCase(c: number): number {
  if (c < 128) return c >= 97 && c <= 122 ? c - 32 : c;
  const upper = String.fromCharCode(c).toUpperCase();
  if (upper.length !== 1) return c;
  const u = upper.charCodeAt(0);
  return u < 128 ? c : u;
}

/**
 * A matcher for `pattern` (a string in which every `*` and `?` is a wildcard, or parts, for
 * languages with escapes). The pattern's size is not bounded here: callers that take patterns from
 * the fleet check `wildcardCount` against `MAX_WILDCARDS` first and report the excess.
 */
export function compileWildcard(pattern: string | readonly WildcardPart[], options: WildcardOptions = {}): WildcardMatcher {
  const parts = typeof pattern === 'string' ? wildcardParts(pattern) : pattern;
  const fold = options.caseInsensitive === true;
  const codes: number[] = [];
  let fixed = 0;
  for (const part of parts) {
    if (part.kind === 'star') {
      // `**` matches what `*` matches; collapsing keeps the backtracking to one star per run.
      if (codes[codes.length - 1] !== STAR) codes.push(STAR);
      continue;
    }
    if (part.kind === 'one') {
      codes.push(ONE);
      fixed++;
      continue;
    }
    for (let i = 0; i < part.text.length; i++) {
      const c = part.text.charCodeAt(i);
      codes.push(fold ? foldCase(c) : c);
      fixed++;
    }
  }
  const pat = Int32Array.from(codes);
  const hasStar = pat.includes(STAR);
  return {
    test(text: string): boolean {
      // Every character that is not `*` consumes exactly one: a cheap exit that also bounds the
      // work by the text for patterns much longer than any name.
      if (hasStar ? text.length < fixed : text.length !== fixed) return false;
      return matches(pat, text, fold);
    },
  };
}

/**
 * Greedy match: on a mismatch, let the last `*` seen swallow one more character and retry from
 * just after it. Earlier stars never need revisiting (anything a later placement of them could
 * match, the last star can absorb), so the text position only moves forward per star restart.
 */
function matches(pat: Int32Array, text: string, fold: boolean): boolean {
  const m = pat.length;
  const n = text.length;
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < n) {
    const want = p < m ? (pat[p] as number) : 0;
    if (p < m && want === STAR) {
      starP = p++;
      starT = t;
      continue;
    }
    if (p < m && (want === ONE || want === (fold ? foldCase(text.charCodeAt(t)) : text.charCodeAt(t)))) {
      p++;
      t++;
      continue;
    }
    if (starP < 0) return false;
    p = starP + 1;
    t = ++starT;
  }
  while (p < m && pat[p] === STAR) p++;
  return p === m;
}
