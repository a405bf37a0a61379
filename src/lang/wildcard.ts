// Wildcard patterns (`*` any run, `?` exactly one character) as used by iotops.yaml `ignore:`,
// policy Action/NotAction entries and fleet-indexing query terms. Patterns come from the fleet
// repository, which is untrusted input, so they are never turned into a RegExp: a backtracking
// regex of `*?*?…*?Q` takes exponential time on a long name. `compileWildcard` simulates the
// pattern's automaton on all states at once, 32 states per machine word (shift-and): one pass over
// the text, O(text × pattern / 32), no backtracking, no recursion, no allocation per test.
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

const ONE = -1;
/** Distinct non-ASCII characters whose state masks a matcher keeps (ASCII is always tabled). */
const MAX_CACHED_MASKS = 1024;

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
 *
 * The automaton: state i = "the first i characters of the pattern that are not `*` matched";
 * reading a character moves i to i+1 when pattern character i accepts it, and keeps i when a `*`
 * follows pattern character i-1. The text matches when the last state is reached at its end.
 */
export function compileWildcard(pattern: string | readonly WildcardPart[], options: WildcardOptions = {}): WildcardMatcher {
  const parts = typeof pattern === 'string' ? wildcardParts(pattern) : pattern;
  const fold = options.caseInsensitive === true;
  const tokens: number[] = [];
  const loops: number[] = [];
  for (const part of parts) {
    if (part.kind === 'star') loops.push(tokens.length);
    else if (part.kind === 'one') tokens.push(ONE);
    else for (let i = 0; i < part.text.length; i++) tokens.push(fold ? foldCase(part.text.charCodeAt(i)) : part.text.charCodeAt(i));
  }
  const k = tokens.length;
  const words = (k >>> 5) + 1;
  const loop = new Uint32Array(words);
  for (const i of loops) loop[i >>> 5] = (loop[i >>> 5] as number) | (1 << (i & 31));
  const maskOf = (c: number, into: Uint32Array, at: number): void => {
    const folded = fold ? foldCase(c) : c;
    for (let i = 0; i < k; i++) {
      if (tokens[i] === ONE || tokens[i] === folded) into[at + (i >>> 5)] = (into[at + (i >>> 5)] as number) | (1 << (i & 31));
    }
  };
  const ascii = new Uint32Array(128 * words);
  for (let c = 0; c < 128; c++) maskOf(c, ascii, c * words);
  const others = new Map<number, Uint32Array>();
  const scratch = new Uint32Array(words);
  const otherMask = (c: number): Uint32Array => {
    const cached = others.get(c);
    if (cached) return cached;
    const mask = others.size < MAX_CACHED_MASKS ? new Uint32Array(words) : scratch.fill(0);
    maskOf(c, mask, 0);
    if (mask !== scratch) others.set(c, mask);
    return mask;
  };
  let state = new Uint32Array(words);
  let next = new Uint32Array(words);
  return {
    test(text: string): boolean {
      // Every pattern character that is not `*` consumes exactly one text character.
      if (loops.length > 0 ? text.length < k : text.length !== k) return false;
      state.fill(0);
      state[0] = 1;
      for (let t = 0; t < text.length; t++) {
        const c = text.charCodeAt(t);
        const table = c < 128 ? ascii : otherMask(c);
        const at = c < 128 ? c * words : 0;
        let carry = 0;
        let alive = 0;
        for (let w = 0; w < words; w++) {
          const d = state[w] as number;
          const moved = d & (table[at + w] as number);
          const n = (moved << 1) | carry | (d & (loop[w] as number));
          carry = moved >>> 31;
          next[w] = n;
          alive |= n;
        }
        const done = state;
        state = next;
        next = done;
        if (alive === 0) return false;
      }
      return (((state[k >>> 5] as number) >>> (k & 31)) & 1) === 1;
    },
  };
}
