// Escaping of text that came from the fleet repository or from AWS before it reaches a terminal,
// a log line or a comment. Names, tag keys and values can hold control characters (a lone CR, ESC,
// C1 codes such as U+009B, the CSI of 8-bit terminals); printed raw they rewrite the terminal line,
// recolour or hide text, or end a Markdown line early. Every renderer and message that echoes such
// text passes it through `escapeControl` (or `escapeJsonText` for JSON it printed itself).
//
// Escaped: C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F), the line and paragraph separators
// (U+2028, U+2029) and the bidirectional controls (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)
// that can make displayed text read differently from what it is. Backslashes are left alone, so a
// value that literally contains `\x1b` prints the same as an escaped ESC: ambiguous, never harmful.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same set without C0: what JSON.stringify leaves unescaped inside strings. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** True when `s` holds a character `escapeControl` would rewrite. */
export function hasControl(s: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s);
}

/**
 * One line of visible text: `\r`, `\n`, `\t`, other C0 as `\x1b`, DEL, C1 and the rest as `\u009b`.
 * Everything else is unchanged, so text without control characters prints exactly as before.
 */
export function escapeControl(s: string): string {
  return s.replace(UNSAFE, (c) => NAMED[c] ?? (c.charCodeAt(0) < 0x20 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : unicodeEscape(c)));
}

/** Like `escapeControl` but keeps line feeds (multi-line text such as a stack trace). */
export function escapeControlLines(s: string): string {
  return s.split('\n').map(escapeControl).join('\n');
}

/**
 * JSON text made by JSON.stringify, safe to print: the characters it leaves raw inside strings
 * (DEL, C1, separators, bidi controls) become `\uXXXX` escapes. Parses to the same value.
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, unicodeEscape);
}

/** `escapeControl`, then at most `max` characters (never splitting a surrogate pair), with a mark when cut. */
export function escapeAndTruncate(s: string, max: number): string {
  const e = escapeControl(s);
  if (e.length <= max) return e;
  let end = max;
  const code = e.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${e.slice(0, end)}… (${e.length} characters)`;
}
