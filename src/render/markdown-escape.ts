// Markdown for a GitHub comment from untrusted text: names, values and messages come from the
// fleet (a pull request) or from AWS. Free text must not become a link, an image, a mention, an
// issue reference, HTML (a `<!--` hides the rest of the comment) or a table cell break; a value
// in a code span must not end the span early. Control characters are shown escaped first (a lone
// CR ends a Markdown line, so `team\r<!--` would start an HTML comment block).
import { escapeControl } from '../model/escape.js';

/** U+2060 WORD JOINER: invisible, and breaks GitHub's @mention, #123 and bare-URL recognition. */
const JOINER = '\u2060';

/** Text in a Markdown line, rendered literally. */
export function markdownText(s: string): string {
  return (
    escapeControl(s)
      .replace(/\\/g, '\\\\')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Link and image brackets, code spans, emphasis, strikethrough and table cell separators.
      .replace(/[[\]`*_~|]/g, (c) => `\\${c}`)
      .replace(/@(?=[\p{L}\p{N}])/gu, `@${JOINER}`)
      .replace(/#(?=\d)/g, `#${JOINER}`)
      .replace(/:\/\//g, `:${JOINER}//`)
      .replace(/\b(www)\./gi, `$1${JOINER}.`)
  );
}

/**
 * An inline code span showing `s` exactly (control characters escaped): the fence is one backtick
 * longer than the longest run of backticks inside, and padded with spaces when the text starts or
 * ends with a backtick or a space (CommonMark strips one space on each side).
 */
export function codeSpan(s: string): string {
  const text = escapeControl(s);
  if (text === '') return '` `';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
